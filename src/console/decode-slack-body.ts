// A Web API call's or a response_url post's body as Slack reads it: JSON, or form fields whose
// JSON-valued ones (blocks, view, attachments…) are parsed.
const JSON_FIELDS = new Set(["blocks", "view", "attachments", "metadata", "initial_users"]);

export function decodeSlackBody(contentType: string, text: string): Record<string, unknown> {
  if (contentType.includes("application/json")) {
    if (!text) return {};
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (JSON_FIELDS.has(key)) {
      try {
        body[key] = JSON.parse(value);
        continue;
      } catch {
        // left as text, as Slack would then refuse it
      }
    }
    body[key] = value;
  }
  return body;
}
