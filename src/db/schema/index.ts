export * from "./audit.ts";
export * from "./collections.ts";
export * from "./deliveries.ts";
export * from "./invoices.ts";
export * from "./parties.ts";
export * from "./slack.ts";
export * from "./timesheets.ts";
export * from "./workspaces.ts";
