// The home capability's public entry: what other parts of Cobro may use.
export { publishHome, registerEvents } from "./slack/events.ts";
