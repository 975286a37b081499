// Turns a failed dynamic import into a readable reason, using the dev server's own error text.

/** The message of `error`, or, for an opaque "failed to fetch module", what Vite said about `url`. */
export async function importReason(url: string, error: unknown): Promise<string> {
  const message = error instanceof Error ? error.message : String(error);
  try {
    const response = await fetch(url);
    if (!response.ok) {
      const text = await response.text();
      // Vite answers a module it cannot transform with a 500 whose body names the cause.
      const match = /"message":\s*"((?:[^"\\]|\\.)*)"/.exec(text);
      const detail = match ? (JSON.parse(`"${match[1]}"`) as string) : text;
      return detail.split('\n')[0].slice(0, 300) || message;
    }
  } catch {
    // Fall through to the import's own message.
  }
  return message;
}
