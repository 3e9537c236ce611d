// The home capability's public entry: what other parts of Cobro may use.
export { homeMarkMilestoneDone, homeOpened, homeOpenSetup } from "./slack/home-handlers.ts";
export { publishHome } from "./slack/publish-home.ts";
