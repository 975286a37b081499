// Shared helpers of the convolution, pooling and padding layers: tuple normalization and output lengths.

/** 'valid' (no padding) or 'same' (output length ceil(input / stride)), as Keras. */
export type PaddingMode = 'valid' | 'same';

/** Turns `3` or `[3, 3]` into a tuple of n positive integers, naming the option on error. */
export function normalizeTuple(value: number | readonly number[], n: number, what: string): number[] {
  const out = typeof value === 'number' ? new Array<number>(n).fill(value) : [...value];
  if (out.length !== n || out.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new Error(
      `${what} must be a positive integer or a tuple of ${n} positive integers, got ${JSON.stringify(value)}`,
    );
  }
  return out;
}

/** Checks a padding option and returns it. */
export function normalizePadding(padding: string | undefined, layer: string): PaddingMode {
  const p = padding ?? 'valid';
  if (p !== 'valid' && p !== 'same')
    throw new Error(`${layer}: padding must be 'valid' or 'same', got '${p}'`);
  return p;
}

/** Only channels-last (NHWC) is supported, like the core ops; throws on anything else. */
export function checkDataFormat(dataFormat: string | undefined, layer: string): 'channelsLast' {
  if (dataFormat !== undefined && dataFormat !== 'channelsLast' && dataFormat !== 'channels_last') {
    throw new Error(`${layer}: only dataFormat 'channelsLast' is supported, got '${dataFormat}'`);
  }
  return 'channelsLast';
}

/** Length of a conv/pool output along one axis (null stays null), as Keras' conv_output_length. */
export function convOutputLength(
  length: number | null,
  filterSize: number,
  padding: PaddingMode,
  stride: number,
  dilation = 1,
): number | null {
  if (length === null) return null;
  const eff = (filterSize - 1) * dilation + 1;
  const out = padding === 'same' ? length : length - eff + 1;
  return Math.max(0, Math.floor((out + stride - 1) / stride));
}

/** Length of a transposed-conv output along one axis, as Keras' deconv_output_length (no output padding). */
export function deconvOutputLength(
  length: number | null,
  filterSize: number,
  padding: PaddingMode,
  stride: number,
): number | null {
  if (length === null) return null;
  return padding === 'valid' ? length * stride + Math.max(filterSize - stride, 0) : length * stride;
}
