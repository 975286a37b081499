// How shapes print in messages, summaries and symbolic tensors: unknown dimensions as None, as Keras prints them.

/**
 * A shape as Keras prints it, unknown dimensions as `None`.
 *
 * ```ts
 * formatShape([null, 3]); // '[None,3]'
 * ```
 */
export function formatShape(shape: readonly (number | null | undefined)[]): string {
  return `[${shape.map((d) => (d === null || d === undefined ? 'None' : String(d))).join(',')}]`;
}
