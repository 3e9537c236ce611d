// The demo capability's public entry: what other parts of Cobro may use.
export { seedDemo } from "./seed-demo.ts";
