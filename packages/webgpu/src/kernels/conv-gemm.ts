// Convolutions as implicit GEMMs on the quad-subgroup matmul core of CPU adapters (SwiftShader): the forward pass and the
// filter gradient read their im2col operand straight from the input, for geometries whose taps all lie inside the input.
// The sources need `enable subgroups;` ahead of the prelude. Params: convParams order [N, H, W, IC, OH, OW, OC, FH, FW, strideH, strideW, dilationH, dilationW, padTop, padLeft],
// then (filter gradient) the output pixels per chunk.
import { RegisterBlock, indent, quadSteps } from './register-gemm.js';
import { CONV_DIMS } from './register-conv.js';

/** A quad-kernel tile: rows of C per quad, 4-column groups per lane, and quads across and down one workgroup. */
export interface QuadConvTile {
  tm: number;
  tn: number;
  quadsX: number;
  quadsY: number;
}

/** Workgroup size of the conv quad kernels: `quadsX` quads (4 lanes each) across x, `quadsY` down y. */
export function quadConvWorkgroup(t: QuadConvTile): [number, number] {
  return [4 * t.quadsX, t.quadsY];
}

/** Workgroup grid covering an M x N output (`chunks` deep) with tile `t`. */
export function quadConvGroups(
  t: QuadConvTile,
  m: number,
  n: number,
  chunks: number,
): [number, number, number] {
  return [Math.ceil(n / (t.quadsX * 4 * t.tn)), Math.ceil(m / (t.quadsY * t.tm)), chunks];
}

const GEOMETRY = [...CONV_DIMS, 'let FH = p(7u);', 'let FW = p(8u);', 'let K = FH * FW * IC;'];

/** x's offset of the window origin of output pixel (n, oh, ow): taps inside, so the padding words are <= 0. */
const origin = (n: string, oh: string, ow: string): string =>
  `((${n} * H + u32(i32(${oh} * p(9u)) - pi(13u))) * W + u32(i32(${ow} * p(10u)) - pi(14u))) * IC`;

/** x's offset, relative to a window origin, of filter row r = (fh * FW + fw) * IC + ic, as lines defining `name`. */
function tapOffset(name: string, r: string): string[] {
  return [
    `let ${name}t = ${r} / IC;`,
    `let ${name}h = ${name}t / FW;`,
    `let ${name} = (${name}h * p(11u) * W + (${name}t - ${name}h * FW) * p(12u)) * IC + ${r} - ${name}t * IC;`,
  ];
}

function kernel(t: QuadConvTile, bindings: [string, string, string], body: string[]): string {
  const [wx, wy] = quadConvWorkgroup(t);
  return [
    `@group(0) @binding(1) var<storage, read_write> ${bindings[0]}: array<f32>;`,
    `@group(0) @binding(2) var<storage, read> ${bindings[1]}: array<f32>;`,
    `@group(0) @binding(3) var<storage, read> ${bindings[2]}: array<f32>;`,
    `@compute @workgroup_size(${wx}, ${wy})`,
    'fn main(',
    '  @builtin(global_invocation_id) gid: vec3<u32>,',
    '  @builtin(workgroup_id) wid: vec3<u32>,',
    '  @builtin(subgroup_invocation_id) lane: u32,',
    ') {',
    ...indent(body),
    '}',
  ].join('\n');
}

/** This lane's first column and the clamped B columns `bc{j}` (columns past N repeat the last, never stored). */
function columns(blk: RegisterBlock, n: string): string[] {
  return [
    `let col0 = (gid.x / 4u) * ${4 * blk.tn}u + lane;`,
    ...blk.cols.map((j) => `let bc${j} = min(col0 + ${4 * j}u, ${n} - 1u);`),
  ];
}

/** The rolled guarded stores of an M x N block at `base`, through `mmEpilogue` when `epilogue`. */
function store(blk: RegisterBlock, m: string, n: string, base: string, epilogue: boolean): string[] {
  return blk.storeRolled(
    (i) => `row0 + ${i} < ${m}`,
    (j) => `col0 + 4u * ${j} < ${n}`,
    (i, j) => `out[${base} + (row0 + ${i}) * ${n} + col0 + 4u * ${j}]`,
    (i, j, acc) => (epilogue ? `mmEpilogue(0u, row0 + ${i}, col0 + 4u * ${j}, ${acc})` : acc),
  );
}

/**
 * conv2d forward as C[pixels, OC] = A[pixels, FH FW IC] x filter[FH FW IC, OC], A's element (m, r) read from x at the
 * window origin of pixel m plus the offset of filter row r. `aligned` (IC % 4 == 0): a quad's 4 steps of r share one
 * tap, so the loops walk taps and channels with no index division; otherwise each lane finds its own tap, and steps
 * past K are zeroed on both operands. Every tap must lie inside the input (convTapsInside). `epilogue`: stores go
 * through `mmEpilogue`.
 */
export function quadConvSource(t: QuadConvTile, aligned: boolean, epilogue = false): string {
  const blk = new RegisterBlock(t.tm, t.tn);
  const setup = [
    ...GEOMETRY,
    'let M = p(0u) * OH * OW;',
    `let row0 = gid.y * ${t.tm}u;`,
    ...columns(blk, 'OC'),
    ...blk.rows.flatMap((i) => [
      `let m${i} = min(row0 + ${i}u, M - 1u);`,
      `let xr${i} = ${origin(`(m${i} / (OW * OH))`, `((m${i} / OW) % OH)`, `(m${i} % OW)`)};`,
    ]),
    ...blk.declare(),
  ];
  const loop = aligned
    ? [
        'var k = 0u;',
        'for (var fh = 0u; fh < FH; fh++) {',
        '  for (var fw = 0u; fw < FW; fw++) {',
        '    let tap = (fh * p(11u) * W + fw * p(12u)) * IC + lane;',
        '    for (var ic = 0u; ic < IC; ic += 4u) {',
        ...indent(
          [
            ...blk.rows.map((i) => `let av${i} = x[xr${i} + tap + ic];`),
            ...quadSteps(
              blk,
              (kk) => `let k${kk} = (k + ${kk}u) * OC;`,
              (j, kk) => `w[bc${j} + k${kk}]`,
            ),
            'k += 4u;',
          ],
          3,
        ),
        '    }',
        '  }',
        '}',
      ]
    : [
        'for (var k = 0u; k < K; k += 4u) {',
        ...indent([
          ...tapOffset('off', 'min(k + lane, K - 1u)'),
          ...blk.rows.map((i) => `let av${i} = select(T(), x[xr${i} + off], k + lane < K);`),
          ...quadSteps(
            blk,
            (kk) => `let k${kk} = min(k + ${kk}u, K - 1u) * OC;`,
            (j, kk) => `select(T(), w[bc${j} + k${kk}], k + ${kk}u < K)`,
          ),
        ]),
        '}',
      ];
  return kernel(t, ['out', 'x', 'w'], [...setup, ...loop, ...store(blk, 'M', 'OC', '0u', epilogue)]);
}

/**
 * conv2d filter gradient as C[FH FW IC, OC] = A[FH FW IC, pixels] x dy[pixels, OC] over one chunk of output pixels
 * (workgroup z, params word 15: uniform, as the broadcasts need), A's element (r, m) read from x at the window origin of pixel m plus the offset of filter row
 * r. Each lane walks its pixel of every 4 with running (n, oh, ow) counters. The partial sums land in
 * out[chunk][FH FW IC][OC]. `maskK`: a chunk may end off a multiple of 4, so steps past its end are zeroed on both
 * operands. Every tap must lie inside the input (convTapsInside), and OW >= 4.
 */
export function quadConvFilterSource(t: QuadConvTile, maskK: boolean): string {
  const blk = new RegisterBlock(t.tm, t.tn);
  const pixelBase = origin('n', 'oh', 'ow');
  const body = [
    ...GEOMETRY,
    'let pixels = p(0u) * OH * OW;',
    'let kBegin = wid.z * p(15u);',
    'let kEnd = min(kBegin + p(15u), pixels);',
    `let row0 = gid.y * ${t.tm}u;`,
    ...columns(blk, 'OC'),
    ...blk.rows.flatMap((i) => tapOffset(`xo${i}`, `min(row0 + ${i}u, K - 1u)`)),
    'let q = min(kBegin + lane, pixels - 1u);',
    'var ow = q % OW;',
    'var oh = (q / OW) % OH;',
    'var n = q / (OW * OH);',
    ...blk.declare(),
    'for (var k = kBegin; k < kEnd; k += 4u) {',
    ...indent([
      ...(maskK
        ? [
            'let ok = k + lane < kEnd;',
            `let pb = select(0u, ${pixelBase}, ok);`,
            ...blk.rows.map((i) => `let av${i} = select(T(), x[pb + xo${i}], ok);`),
          ]
        : [`let pb = ${pixelBase};`, ...blk.rows.map((i) => `let av${i} = x[pb + xo${i}];`)]),
      ...quadSteps(
        blk,
        (kk) => `let k${kk} = ${maskK ? `min(k + ${kk}u, kEnd - 1u)` : `(k + ${kk}u)`} * OC;`,
        (j, kk) => (maskK ? `select(T(), dy[bc${j} + k${kk}], k + ${kk}u < kEnd)` : `dy[bc${j} + k${kk}]`),
      ),
      // OW >= 4: a step wraps at most one output row (selects, as a loop here costs SwiftShader half the speed).
      'ow += 4u;',
      'let wrapW = ow >= OW;',
      'ow = select(ow, ow - OW, wrapW);',
      'oh += select(0u, 1u, wrapW);',
      'let wrapH = oh == OH;',
      'oh = select(oh, 0u, wrapH);',
      'n += select(0u, 1u, wrapH);',
    ]),
    '}',
    ...store(blk, 'K', 'OC', 'wid.z * K * OC', false),
  ];
  return kernel(t, ['out', 'x', 'dy'], body);
}
