// How values print in messages, summaries and callback lines, as Keras (Python) prints them: shapes with None, floats as repr.

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

/**
 * A number as Python's `repr(float)` (and so Keras's f-strings) prints it: the shortest digits
 * that round-trip, fixed notation for exponents -4..15 (with '.0' on whole numbers), else 'e-05'.
 *
 * ```ts
 * pyFloat(0.0005); // '0.0005'
 * pyFloat(5e-5); // '5e-05'
 * pyFloat(1); // '1.0'
 * ```
 */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const [mantissa, e] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(e);
  if (exp < -4 || exp >= 16) {
    const rest = digits.slice(1);
    return `${sign}${digits[0]}${rest ? `.${rest}` : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  return `${sign}${whole}.${digits.slice(exp + 1) || '0'}`;
}
