// Validates service input with zod and turns the first problem into a DomainError a user can read.
import { z } from "zod";
import { DomainError } from "./errors.ts";

export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join(".") ?? "";
  throw new DomainError("input.invalid", z.prettifyError(parsed.error), {
    userMessage: `Invalid ${field || "input"}: ${issue?.message ?? "invalid value"}.`,
    ...(field ? { field } : {}),
  });
}
