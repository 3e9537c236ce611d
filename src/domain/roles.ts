// The roles an admin gives members (`/cobro setup`, people.csv).
export const ROLES = ["admin", "billing", "collector", "approver", "pm"] as const;
export type Role = (typeof ROLES)[number];
