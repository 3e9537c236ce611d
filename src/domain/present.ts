/** A value the code just read or wrote and cannot be missing; if it is, that is a bug, said by name. */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing: this is a bug in Cobro`);
  return value;
}
