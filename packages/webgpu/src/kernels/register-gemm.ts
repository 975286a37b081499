// WGSL builder for the register-blocked GEMM kernels of CPU adapters (SwiftShader): named accumulators, hand-unrolled steps
// and guarded stores, generated from one description instead of hand-unrolled shader files. Subzero, SwiftShader's JIT,
// neither unrolls loops nor keeps dynamically indexed private arrays in registers, hence the unrolling done here.

/** Built kernel sources by their arguments: eager calls ask for the same few again and again. */
const BUILT = new Map<string, string>();
const MAX_BUILT = 256;

/**
 * The source `build` makes for `key`, built once (a 16 x 8 quad matmul takes about 0.8 ms to
 * generate, on every eager call before).
 */
function built(key: string, build: () => string): string {
  let source = BUILT.get(key);
  if (source === undefined) {
    if (BUILT.size >= MAX_BUILT) BUILT.clear();
    BUILT.set(key, (source = build()));
  }
  return source;
}

/** A TM x TN block of named scalar accumulators `c{i}_{j}`. */
export class RegisterBlock {
  readonly rows: number[];
  readonly cols: number[];

  constructor(
    readonly tm: number,
    readonly tn: number,
  ) {
    this.rows = [...Array(tm).keys()];
    this.cols = [...Array(tn).keys()];
  }

  /** `var c{i}_{j} = T();` for every accumulator. */
  declare(): string[] {
    return this.rows.flatMap((i) => this.cols.map((j) => `var c${i}_${j} = T();`));
  }

  /**
   * One rank-1 update: `c{i}_{j} += a(i) * b(j)`, the TN operands of B bound once to `b{j}` (suffix keeps names unique).
   * `ok(i)`: row i takes the update only where it holds (the product is selected away, never multiplied by a 0 that
   * would turn an Inf or NaN operand into NaN).
   */
  step(
    a: (i: number) => string,
    b: (j: number) => string,
    suffix: string,
    ok?: (i: number) => string,
  ): string[] {
    const out = this.cols.map((j) => `let b${suffix}_${j} = ${b(j)};`);
    for (const i of this.rows) {
      out.push(`let a${suffix}_${i} = ${a(i)};`);
      for (const j of this.cols) {
        const prod = `a${suffix}_${i} * b${suffix}_${j}`;
        out.push(`c${i}_${j} += ${ok ? `select(T(), ${prod}, ${ok(i)})` : prod};`);
      }
    }
    return out;
  }

  /**
   * The guarded stores of `store` as two rolled loops over the accumulators gathered into one array, the callbacks
   * getting the loop counters `i` and `j` as WGSL expressions: a few statements instead of TM x TN guarded ones,
   * which CPU shader compilers (SwiftShader) take far longer to compile next to a large register block.
   */
  storeRolled(
    rowOk: (i: string) => string,
    colOk: (j: string) => string,
    target: (i: string, j: string) => string,
    value: (i: string, j: string, acc: string) => string = (_i, _j, acc) => acc,
  ): string[] {
    const all = this.rows.flatMap((i) => this.cols.map((j) => `c${i}_${j}`));
    return [
      `var res = array<T, ${all.length}>(${all.join(', ')});`,
      `for (var i = 0u; i < ${this.tm}u; i++) {`,
      `  if (${rowOk('i')}) {`,
      `    for (var j = 0u; j < ${this.tn}u; j++) {`,
      `      if (${colOk('j')}) { ${target('i', 'j')} = ${value('i', 'j', `res[i * ${this.tn}u + j]`)}; }`,
      '    }',
      '  }',
      '}',
    ];
  }

  /**
   * Stores accumulator (i, j) at `target(i, j)` where `rowOk(i)` and `colOk(j)` hold; `value` rewrites the stored
   * value (a fused epilogue), given the accumulator's name.
   */
  store(
    rowOk: (i: number) => string,
    colOk: (j: number) => string,
    target: (i: number, j: number) => string,
    value: (i: number, j: number, acc: string) => string = (_i, _j, acc) => acc,
  ): string[] {
    return this.rows.flatMap((i) => [
      `if (${rowOk(i)}) {`,
      ...this.cols.map((j) => `  if (${colOk(j)}) { ${target(i, j)} = ${value(i, j, `c${i}_${j}`)}; }`),
      '}',
    ]);
  }
}

/** Indents generated lines by `n` levels of two spaces. */
export function indent(lines: string[], n = 1): string[] {
  const pad = '  '.repeat(n);
  return lines.map((l) => pad + l);
}

/** `count` copies of `body(u)` in their own scopes: the hand-unrolled body of a loop. */
export function unrolled(count: number, body: (u: number) => string[]): string[] {
  return [...Array(count).keys()].flatMap((u) => ['{', ...indent(body(u)), '}']);
}

/**
 * The bindings and constants of the matmul kernels. `lengths`: elements of out, a and b, declared as fixed-length
 * arrays (`array<T, N>`), whose loads skip the per-access buffer-length lookup (see sized-bindings.ts): 5-10% off
 * the MLP step's matmuls on SwiftShader in Chromium. Their pipelines are per shape (SPEC_*) anyway.
 */
function header(lengths?: readonly number[]): string[] {
  const array = (i: number): string => (lengths ? `array<T, ${lengths[i]}>` : 'array<T>');
  return [
    `@group(0) @binding(1) var<storage, read_write> out: ${array(0)};`,
    `@group(0) @binding(2) var<storage, read> a: ${array(1)};`,
    `@group(0) @binding(3) var<storage, read> b: ${array(2)};`,
    '// TRANS_A / TRANS_B read A as K x M and B as N x K. SPEC_*: when set (non-zero), M, N, K are constants the',
    '// compiler folds into the index math (CPU shader compilers fold little on their own).',
    'override TRANS_A: bool = false;',
    'override TRANS_B: bool = false;',
    'override SPEC_M: u32 = 0u;',
    'override SPEC_N: u32 = 0u;',
    'override SPEC_K: u32 = 0u;',
  ];
}

const DIMS = [
  'let M = select(p(0u), SPEC_M, SPEC_M > 0u);',
  'let N = select(p(1u), SPEC_N, SPEC_N > 0u);',
  'let K = select(p(2u), SPEC_K, SPEC_K > 0u);',
  // Element (r, k) of A is at aOff + r * aRow + k * aStep; element (k, c) of B at bOff + k * bStep + c * bCol.
  'let aRow = select(K, 1u, TRANS_A);',
  'let aStep = select(1u, M, TRANS_A);',
  'let bStep = select(N, 1u, TRANS_B);',
  'let bCol = select(1u, K, TRANS_B);',
  'let aOff = gid.z * p(3u);',
  'let bOff = gid.z * p(4u);',
];

/** Shape of a register-blocked matmul kernel. */
export interface RegsMatmul {
  /** Rows of C per invocation. */
  tm: number;
  /** Columns of C per invocation. */
  tn: number;
  /** Steps of the k loop unrolled by hand (the remainder runs one at a time). */
  unroll: number;
}

/**
 * The stored value of C(row, col) of batch `gid.z` when the kernel has a fused epilogue (the module then defines
 * `fn mmEpilogue(batch: u32, row: u32, col: u32, v: T) -> T`, see epilogue.ts), else the accumulator itself.
 */
function epilogueValue(epilogue: boolean, row: string, col: string, acc: string): string {
  return epilogue ? `mmEpilogue(gid.z, ${row}, ${col}, ${acc})` : acc;
}

/**
 * Batched matmul (or one product with its k steps split over workgroup rows z: override SPLIT_K, the steps per
 * split, outputs [splits, M, N] partial sums), each invocation accumulating a TM x TN block of C straight from global memory (no workgroup memory
 * or barriers, costly on SwiftShader). Rows and columns past the edge are clamped (computed, never stored) so the loop
 * has no branches. Params: [M, N, K, batchStrideA, batchStrideB]; workgroups of 8 x 8 invocations. `epilogue`: stores
 * go through `mmEpilogue` (a fused elementwise chain). The stores are rolled loops, one `mmEpilogue` call site instead
 * of TM x TN inlined ones: with the MLP step's fused Adam, SwiftShader compiled such kernels in 50-150 ms instead of
 * 190-420 ms (Chromium), their steady state even.
 */
export function regsMatmulSource(
  { tm, tn, unroll }: RegsMatmul,
  epilogue = false,
  lengths?: readonly number[],
): string {
  return built(`regs|${tm}|${tn}|${unroll}|${epilogue}|${lengths?.join() ?? ''}`, () =>
    buildRegsMatmul(tm, tn, unroll, epilogue, lengths),
  );
}

function buildRegsMatmul(
  tm: number,
  tn: number,
  unroll: number,
  epilogue: boolean,
  lengths: readonly number[] | undefined,
): string {
  const blk = new RegisterBlock(tm, tn);
  const step = (): string[] => [
    ...blk.step(
      (i) => `a[ar${i} + k * aStep]`,
      (j) => `b[bc${j} + k * bStep]`,
      '',
    ),
    'k++;',
  ];
  const body = [
    ...DIMS,
    `let row0 = gid.y * ${tm}u;`,
    `let col0 = gid.x * ${tn}u;`,
    'if (row0 >= M || col0 >= N) { return; }',
    ...blk.rows.map((i) => `let ar${i} = aOff + min(row0 + ${i}u, M - 1u) * aRow;`),
    ...blk.cols.map((j) => `let bc${j} = bOff + min(col0 + ${j}u, N - 1u) * bCol;`),
    ...blk.declare(),
    // SPLIT_K: workgroup row z sums steps [z SPLIT_K, (z + 1) SPLIT_K) of k into partial z (batch strides are 0).
    'let kEnd = select(K, min(K, (gid.z + 1u) * SPLIT_K), SPLIT_K > 0u);',
    'var k = select(0u, gid.z * SPLIT_K, SPLIT_K > 0u);',
    `for (; k + ${unroll}u <= kEnd;) {`,
    ...indent(unrolled(unroll, step)),
    '}',
    'for (; k < kEnd;) {',
    ...indent(step()),
    '}',
    'let o = (gid.z * M + row0) * N + col0;',
    ...blk.storeRolled(
      (i) => `row0 + ${i} < M`,
      (j) => `col0 + ${j} < N`,
      (i, j) => `out[o + ${i} * N + ${j}]`,
      (i, j, acc) => epilogueValue(epilogue, `row0 + ${i}`, `col0 + ${j}`, acc),
    ),
  ];
  return [
    ...header(lengths),
    'override SPLIT_K: u32 = 0u;',
    '@compute @workgroup_size(8, 8)',
    'fn main(@builtin(global_invocation_id) gid: vec3<u32>) {',
    ...indent(body),
    '}',
  ].join('\n');
}

/**
 * The 4 steps of k that a quad takes per A load: step kk broadcasts lane kk's A values `av{i}` to the quad
 * (`quadBroadcast`: the subgroup is the quad here, and it ran the MLP step's matmuls 5-10% faster than
 * `subgroupBroadcast` on SwiftShader in Chromium) and multiplies them by the B operands `b(j, kk)`; `before(kk)` gives
 * lines placed ahead of the steps (B's row offsets). Ordered column by column: the A values of all 4 steps broadcast
 * first, then for each column j its 4 B operands and the 4 steps of each of its accumulators in turn (each still sums
 * its steps in order). An accumulator's value so lives a few statements instead of across all 4 steps, which
 * SwiftShader's register allocator, short of registers for a 16 x 8 block, turns into far less spill traffic: 10-14%
 * off the MLP step's quad matmuls and about 5% off conv2d 32 -> 64 in Chromium (interleaved in one page), where loading
 * all B operands first or accumulating row by row with the steps innermost gained less.
 */
export function quadSteps(
  blk: RegisterBlock,
  before: (kk: number) => string,
  b: (j: number, kk: number) => string,
): string[] {
  const steps = [0, 1, 2, 3];
  return [
    ...steps.map(before),
    ...blk.rows.flatMap((i) => steps.map((kk) => `let a${kk}_${i} = quadBroadcast(av${i}, ${kk}u);`)),
    ...blk.cols.flatMap((j) => [
      ...steps.map((kk) => `let b${kk}_${j} = ${b(j, kk)};`),
      ...blk.rows.flatMap((i) => steps.map((kk) => `c${i}_${j} += a${kk}_${i} * b${kk}_${j};`)),
    ]),
  ];
}

/**
 * Workgroup size of `quadMatmulSource` for N columns in blocks of TN per lane: one row of up to 4 quads, each quad of
 * 4 lanes owning TM rows x 4 TN columns, as many quads as N needs (a 10-wide product: 1). One row of quads per group:
 * an M that is a multiple of TM computes no clamped rows (the MLP step's 784), and small outputs still spread over
 * several groups for SwiftShader's worker threads (8 for 128 x 128 with 16 x 8 blocks; 16 x 4 groups of 16 x 4 blocks
 * gave 4), measured 2-4% faster in the step than 4 x 4 quads per group.
 */
export function quadWorkgroup(n: number, tn: number): [number, number] {
  return [4 * Math.min(4, Math.ceil(n / (4 * tn))), 1];
}

/**
 * Batched matmul for CPU adapters whose subgroups are SIMD quads (SwiftShader: 4 lanes, one invocation each). Each
 * quad owns TM rows of C; lane l owns columns c0 + 4 j + l. Every A element a quad needs is loaded once, by one lane
 * (lane l reads column k + l of each row), and handed to the others with a quad broadcast, a register shuffle,
 * instead of each lane gathering it again: per 4 steps of k a lane issues TM + 4 TN loads for 4 TM TN multiply-adds.
 * No invocation returns early, as broadcasts need the whole quad. `maskK`: K is not a multiple of 4, so the last
 * columns of A and rows of B read past K are zeroed. The stores are rolled loops (16 x 4 blocks: SwiftShader's
 * pipeline compile 218 -> 141 ms, the steady state unchanged). Params: [M, N, K, batchStrideA, batchStrideB]. `epilogue`: stores
 * go through `mmEpilogue`. `wgX`: invocations per workgroup (`quadWorkgroup`).
 */
export function quadMatmulSource(
  tm: number,
  tn: number,
  maskK: boolean,
  epilogue = false,
  lengths?: readonly number[],
  wgX = quadWorkgroup(Infinity, tn)[0],
): string {
  return built(`quad|${tm}|${tn}|${maskK}|${epilogue}|${lengths?.join() ?? ''}|${wgX}`, () =>
    buildQuadMatmul(tm, tn, maskK, epilogue, lengths, wgX),
  );
}

function buildQuadMatmul(
  tm: number,
  tn: number,
  maskK: boolean,
  epilogue: boolean,
  lengths: readonly number[] | undefined,
  wgX: number,
): string {
  const blk = new RegisterBlock(tm, tn);
  const load = (i: number): string =>
    maskK
      ? `select(T(), a[ar${i} + min(k + lane, K - 1u) * aStep], k + lane < K)`
      : `a[ar${i} + (k + lane) * aStep]`;
  const body = [
    ...DIMS,
    `let row0 = gid.y * ${tm}u;`,
    `let col0 = (gid.x / 4u) * ${4 * tn}u + lane;`,
    ...blk.rows.map((i) => `let ar${i} = aOff + min(row0 + ${i}u, M - 1u) * aRow;`),
    ...blk.cols.map((j) => `let bc${j} = bOff + min(col0 + ${4 * j}u, N - 1u) * bCol;`),
    ...blk.declare(),
    'for (var k = 0u; k < K; k += 4u) {',
    ...indent(blk.rows.map((i) => `let av${i} = ${load(i)};`)),
    ...indent(
      quadSteps(
        blk,
        (kk) => `let k${kk} = ${maskK ? `min(k + ${kk}u, K - 1u)` : `(k + ${kk}u)`} * bStep;`,
        // Past K, B's last row read again is zeroed too: an Inf in it times A's zero would give NaN.
        (j, kk) => (maskK ? `select(T(), b[bc${j} + k${kk}], k + ${kk}u < K)` : `b[bc${j} + k${kk}]`),
      ),
    ),
    '}',
    'let o = gid.z * M * N + col0;',
    ...blk.storeRolled(
      (i) => `row0 + ${i} < M`,
      (j) => `col0 + 4u * ${j} < N`,
      (i, j) => `out[o + (row0 + ${i}) * N + 4u * ${j}]`,
      (i, j, acc) => epilogueValue(epilogue, `row0 + ${i}`, `col0 + 4u * ${j}`, acc),
    ),
  ];
  return [
    ...header(lengths),
    `@compute @workgroup_size(${wgX}, 1)`,
    'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(subgroup_invocation_id) lane: u32) {',
    ...indent(body),
    '}',
  ].join('\n');
}
