// Reading chart inputs: tensors (awaited, never disposed: they stay the caller's) or plain number arrays.
import { Tensor } from '@webdl/core';

/**
 * A tensor or plain numbers.
 *
 * ```ts
 * const values: Values = [0.1, 0.5, 0.9]; // or a Tensor
 * await histogram(container, values, { bins: 3 });
 * ```
 */
export type Values = Tensor | ArrayLike<number>;

/** The values as a flat array of numbers. */
export async function numbers(v: Values, fn: string, what: string): Promise<ArrayLike<number>> {
  if (v instanceof Tensor) return v.data();
  if (v && typeof (v as ArrayLike<number>).length === 'number') return v;
  throw new Error(`${fn}: ${what} must be a Tensor or an array of numbers`);
}

/** Creates a child element with an optional class and test id. */
export function child<K extends keyof HTMLElementTagNameMap>(
  parent: HTMLElement,
  tag: K,
  testId?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (testId) el.dataset.testid = testId;
  parent.appendChild(el);
  return el;
}

export function checkContainer(fn: string, container: unknown): asserts container is HTMLElement {
  if (!(container instanceof HTMLElement)) throw new Error(`${fn}: container must be an HTMLElement`);
}
