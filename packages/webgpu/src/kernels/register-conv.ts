// Direct register-blocked conv2d kernels for CPU adapters (forward, input and filter gradients), built on the GEMM
// builder's register block: each invocation accumulates 4 x 4 outputs, the inner channel loop unrolled by hand.
// Params: convParams order [N, H, W, IC, OH, OW, OC, FH, FW, strideH, strideW, dilationH, dilationW, padTop, padLeft].
import type { Conv2DInfo } from '@webdl/core';
import { RegisterBlock, indent, unrolled } from './register-gemm.js';

/** Outputs per invocation (rows: pixels or filter rows; columns: channels) and the unrolling of the channel loop. */
const TILE = 4;
const UNROLL = 4;

const blk = new RegisterBlock(TILE, TILE);

/** WGSL lets of a conv kernel's geometry from its params (convParams' order): input H, W, IC and output OH, OW, OC. */
export const CONV_DIMS = [
  'let H = p(1u);',
  'let W = p(2u);',
  'let IC = p(3u);',
  'let OH = p(4u);',
  'let OW = p(5u);',
  'let OC = p(6u);',
];

function kernel(bindings: [string, string, string], body: string[]): string {
  return [
    `@group(0) @binding(1) var<storage, read_write> ${bindings[0]}: array<f32>;`,
    `@group(0) @binding(2) var<storage, read> ${bindings[1]}: array<f32>;`,
    `@group(0) @binding(3) var<storage, read> ${bindings[2]}: array<f32>;`,
    '@compute @workgroup_size(8, 8)',
    'fn main(@builtin(global_invocation_id) gid: vec3<u32>) {',
    ...indent(body),
    '}',
  ].join('\n');
}

/** A loop over `count` channels, unrolled by UNROLL, then the remainder; `step` ends by advancing its counters. */
function channelLoop(counter: string, count: string, step: string[]): string[] {
  return [
    `for (; ${counter} + ${UNROLL}u <= ${count};) {`,
    ...indent(unrolled(UNROLL, () => step)),
    '}',
    `for (; ${counter} < ${count};) {`,
    ...indent(step),
    '}',
  ];
}

/**
 * One filter tap's walk over the channels for the block's 4 pixels, `in{i}` saying which of them the tap reaches: the
 * unrolled loop when all do, else a rolled one whose products are selected per pixel. A tap outside a pixel's window
 * is skipped, not multiplied by 0, so an Inf or NaN operand spreads only where the CPU reference puts it.
 */
function tapChannels(
  counter: string,
  count: string,
  a: (i: number) => string,
  b: (j: number) => string,
  advance: string[],
): string[] {
  const all = blk.rows.map((i) => `in${i}`).join(' && ');
  return [
    `if (${all}) {`,
    ...indent(channelLoop(counter, count, [...blk.step(a, b, ''), ...advance])),
    '} else {',
    `  for (; ${counter} < ${count};) {`,
    ...indent([...blk.step(a, b, '', (i) => `in${i}`), ...advance], 2),
    '  }',
    '}',
  ];
}

/**
 * Guarded stores of the block at rows r0 + i (of `rows`) and channels c0 + j (of `cols`) of a [rows, cols] output;
 * `epilogue`: stored values go through `mmEpilogue(0, row, channel, v)` (a fused elementwise chain, see epilogue.ts).
 */
function storeBlock(rows: string, cols: string, base = '0u', epilogue = false): string[] {
  return blk.store(
    (i) => `r0 + ${i}u < ${rows}`,
    (j) => `c0 + ${j}u < ${cols}`,
    (i, j) => `out[${base} + (r0 + ${i}u) * ${cols} + c0 + ${j}u]`,
    (i, j, acc) => (epilogue ? `mmEpilogue(0u, r0 + ${i}u, c0 + ${j}u, ${acc})` : acc),
  );
}

/** The block's clamped column indices `ch{j}` (channels past the end repeat the last one and are never stored). */
function channels(count: string): string[] {
  return blk.cols.map((j) => `let ch${j} = min(c0 + ${j}u, ${count} - 1u);`);
}

/**
 * conv2d NHWC: 4 output pixels x 4 output channels per invocation; per filter tap the pixels' input offsets are
 * computed once (taps in the padding read offset 0, their products selected away), then the input channels are walked.
 * `epilogue`: stores go through `mmEpilogue`. `inside`: every tap of every pixel lies in the input (no padding reached,
 * see convTapsInside), so no tap is tested: the unrolled loop alone, as SwiftShader runs the two-way tap loop slower.
 */
export function conv2dRegsSource(epilogue = false, inside = false): string {
  const walk = inside
    ? channelLoop('ic', 'IC', [
        ...blk.step(
          (i) => `x[xb${i} + ic]`,
          (j) => `w[wRow + ch${j}]`,
          '',
        ),
        'wRow += OC;',
        'ic++;',
      ])
    : tapChannels(
        'ic',
        'IC',
        (i) => `x[xb${i} + ic]`,
        (j) => `w[wRow + ch${j}]`,
        ['wRow += OC;', 'ic++;'],
      );
  return kernel(
    ['out', 'x', 'w'],
    [
      'let IC = p(3u);',
      'let OH = p(4u);',
      'let OW = p(5u);',
      'let OC = p(6u);',
      'let pixels = p(0u) * OH * OW;',
      'let r0 = gid.y * 4u;',
      'let c0 = gid.x * 4u;',
      'if (r0 >= pixels || c0 >= OC) { return; }',
      ...blk.rows.flatMap((i) => [
        `let m${i} = min(r0 + ${i}u, pixels - 1u);`,
        `let n${i} = m${i} / (OW * OH);`,
        `let ih${i} = i32(((m${i} / OW) % OH) * p(9u)) - pi(13u);`,
        `let iw${i} = i32((m${i} % OW) * p(10u)) - pi(14u);`,
      ]),
      ...channels('OC'),
      ...blk.declare(),
      'for (var fh = 0u; fh < p(7u); fh++) {',
      '  for (var fw = 0u; fw < p(8u); fw++) {',
      ...indent(
        [
          ...blk.rows.flatMap((i) => [
            `let th${i} = ih${i} + i32(fh * p(11u));`,
            `let tw${i} = iw${i} + i32(fw * p(12u));`,
            ...(inside
              ? [`let xb${i} = ((n${i} * p(1u) + u32(th${i})) * p(2u) + u32(tw${i})) * IC;`]
              : [
                  `let in${i} = th${i} >= 0 && tw${i} >= 0 && u32(th${i}) < p(1u) && u32(tw${i}) < p(2u);`,
                  `let xb${i} = select(0u, ((n${i} * p(1u) + u32(th${i})) * p(2u) + u32(tw${i})) * IC, in${i});`,
                ]),
          ]),
          'var wRow = (fh * p(8u) + fw) * IC * OC;',
          'var ic = 0u;',
          ...walk,
        ],
        2,
      ),
      '  }',
      '}',
      ...storeBlock('pixels', 'OC', '0u', epilogue),
    ],
  );
}

/**
 * conv2d input gradient (and transposed convolution): 4 input pixels x 4 input channels per invocation. A tap reaches
 * output pixel (oh, ow) when oh * strideH = h + padTop - fh * dilationH divides evenly and is in range; per tap each
 * pixel's output-gradient offset is computed once, then the output channels are walked.
 */
export function conv2dBackpropInputRegsSource(): string {
  return kernel(
    ['out', 'dy', 'w'],
    [
      ...CONV_DIMS,
      'let sh = i32(p(9u));',
      'let sw = i32(p(10u));',
      'let pixels = p(0u) * H * W;',
      'let r0 = gid.y * 4u;',
      'let c0 = gid.x * 4u;',
      'if (r0 >= pixels || c0 >= IC) { return; }',
      ...blk.rows.flatMap((i) => [
        `let m${i} = min(r0 + ${i}u, pixels - 1u);`,
        `let n${i} = m${i} / (W * H);`,
        `let h${i} = i32((m${i} / W) % H) + pi(13u);`,
        `let w${i} = i32(m${i} % W) + pi(14u);`,
      ]),
      ...channels('IC'),
      ...blk.declare(),
      'for (var fh = 0u; fh < p(7u); fh++) {',
      '  for (var fw = 0u; fw < p(8u); fw++) {',
      ...indent(
        [
          ...blk.rows.flatMap((i) => [
            `let th${i} = h${i} - i32(fh * p(11u));`,
            `let tw${i} = w${i} - i32(fw * p(12u));`,
            `let ok${i} = th${i} >= 0 && th${i} % sh == 0 && tw${i} >= 0 && tw${i} % sw == 0;`,
            `let oh${i} = select(0, th${i} / sh, ok${i});`,
            `let ow${i} = select(0, tw${i} / sw, ok${i});`,
            `let in${i} = ok${i} && oh${i} < i32(OH) && ow${i} < i32(OW);`,
            `let db${i} = select(0u, ((n${i} * OH + u32(oh${i})) * OW + u32(ow${i})) * OC, in${i});`,
          ]),
          // Filter [FH, FW, IC, OC]: this tap's rows for the block's input channels, read along the output channels.
          ...blk.cols.map((j) => `let wc${j} = ((fh * p(8u) + fw) * IC + ch${j}) * OC;`),
          'var oc = 0u;',
          ...tapChannels(
            'oc',
            'OC',
            (i) => `dy[db${i} + oc]`,
            (j) => `w[wc${j} + oc]`,
            ['oc++;'],
          ),
        ],
        2,
      ),
      '  }',
      '}',
      ...storeBlock('pixels', 'IC'),
    ],
  );
}

/**
 * conv2d filter gradient: 4 filter rows (fh, fw, ic) x 4 output channels per invocation over one chunk of output
 * pixels (gid.z, params word 15), walking the pixels with running (n, oh, ow) counters instead of index division.
 * The partial sums land in partial[chunk][FH*FW*IC][OC] (sumPartials adds the chunks). SAME_TAP (IC % 4 == 0): the 4
 * rows are 4 consecutive channels of one tap, so one bounds test and one offset serve all four.
 */
export function conv2dBackpropFilterRegsSource(): string {
  return (
    'override SAME_TAP: bool = false;\n' +
    kernel(
      ['out', 'x', 'dy'],
      [
        ...CONV_DIMS,
        'let rows = p(7u) * p(8u) * IC;',
        'let pixels = p(0u) * OH * OW;',
        'let r0 = gid.y * 4u;',
        'let c0 = gid.x * 4u;',
        'if (r0 >= rows || c0 >= OC) { return; }',
        'let k0 = gid.z * p(15u);',
        'let k1 = min(k0 + p(15u), pixels);',
        ...blk.rows.flatMap((i) => [
          `let m${i} = min(r0 + ${i}u, rows - 1u);`,
          `let ic${i} = m${i} % IC;`,
          `let offH${i} = i32((m${i} / IC / p(8u)) * p(11u)) - pi(13u);`,
          `let offW${i} = i32((m${i} / IC % p(8u)) * p(12u)) - pi(14u);`,
        ]),
        ...channels('OC'),
        ...blk.declare(),
        'var ow = k0 % OW;',
        'var oh = (k0 / OW) % OH;',
        'var n = k0 / (OW * OH);',
        'for (var k = k0; k < k1; k++) {',
        ...indent([
          ...blk.rows.flatMap((i) => [`var xv${i}: f32;`, `var in${i}: bool;`]),
          'if (SAME_TAP) {',
          '  let ih = i32(oh * p(9u)) + offH0;',
          '  let iw = i32(ow * p(10u)) + offW0;',
          '  let inside = ih >= 0 && iw >= 0 && ih < i32(H) && iw < i32(W);',
          '  let xi = select(0u, ((n * H + u32(ih)) * W + u32(iw)) * IC + ic0, inside);',
          ...blk.rows.flatMap((i) => [`  in${i} = inside;`, `  xv${i} = x[xi + ${i}u];`]),
          '} else {',
          ...blk.rows.flatMap((i) => [
            `  let ih${i} = i32(oh * p(9u)) + offH${i};`,
            `  let iw${i} = i32(ow * p(10u)) + offW${i};`,
            `  in${i} = ih${i} >= 0 && iw${i} >= 0 && ih${i} < i32(H) && iw${i} < i32(W);`,
            `  xv${i} = x[select(0u, ((n * H + u32(ih${i})) * W + u32(iw${i})) * IC + ic${i}, in${i})];`,
          ]),
          '}',
          // Taps in the padding take no product (dy may hold an Inf or NaN that a 0 would turn into NaN).
          'let d = k * OC;',
          `if (${blk.rows.map((i) => `in${i}`).join(' && ')}) {`,
          ...indent(
            blk.step(
              (i) => `xv${i}`,
              (j) => `dy[d + ch${j}]`,
              '',
            ),
          ),
          `} else if (${blk.rows.map((i) => `in${i}`).join(' || ')}) {`,
          ...indent(
            blk.step(
              (i) => `xv${i}`,
              (j) => `dy[d + ch${j}]`,
              '',
              (i) => `in${i}`,
            ),
          ),
          '}',
          'ow++;',
          'if (ow == OW) {',
          '  ow = 0u;',
          '  oh++;',
          '  if (oh == OH) {',
          '    oh = 0u;',
          '    n++;',
          '  }',
          '}',
        ]),
        '}',
        ...storeBlock('rows', 'OC', 'gid.z * rows * OC'),
      ],
    )
  );
}

/** Whether every filter tap of every output pixel of `i` reads inside the input (no padding is reached, e.g. 'valid'). */
export function convTapsInside(i: Conv2DInfo): boolean {
  const lastH = (i.outHeight - 1) * i.strideHeight + (i.filterHeight - 1) * i.dilationHeight - i.padTop;
  const lastW = (i.outWidth - 1) * i.strideWidth + (i.filterWidth - 1) * i.dilationWidth - i.padLeft;
  return i.padTop <= 0 && i.padLeft <= 0 && lastH < i.inHeight && lastW < i.inWidth;
}
