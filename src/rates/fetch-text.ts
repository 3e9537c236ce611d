// GET of a published reference file (ECB rates): the body, or a sentence saying why there is none.
const TIMEOUT_MS = 15_000;

export async function fetchText(url: string): Promise<{ text: string } | { problem: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) return { problem: `${url} answered HTTP ${response.status}` };
    return { text: await response.text() };
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return {
      problem: `${url} is unreachable: ${cause ?? (error instanceof Error ? error.message : String(error))}`,
    };
  }
}
