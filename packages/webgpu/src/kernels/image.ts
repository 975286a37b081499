// Image kernels: resize, crop-and-resize and projective transform with their adjoints (one invocation per output element, or per dy element for the scattered transform adjoint).
import { imageOutShape, type DType, type ImageKernel, type TensorInfo } from '@webdl/core';
import { SHADERS } from '../shaders.generated.js';
import {
  f32Bits,
  fmt,
  groups1d,
  prelude,
  shaderSource,
  wgslType,
  type GpuData,
  type KernelContext,
} from '../kernel-context.js';

const WG = 128;
const MODES = { constant: 0, reflect: 1, wrap: 2, nearest: 3 } as const;

/** A projective-transform shader after the sampling code it shares with its adjoint. */
const transformSource = (name: 'imageTransform' | 'imageTransformGrad') =>
  `${prelude({})}${SHADERS.imageTransformSample}\n${SHADERS[name]}`;

const scale = (inSize: number, outSize: number, align: boolean) =>
  align && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;

/** Runs the image kernel `k` on its inputs; the output has `imageOutShape(k)` elements of `outDtype`. */
export function image(
  ctx: KernelContext,
  k: ImageKernel,
  inputs: readonly TensorInfo[],
  outDtype: DType,
): GpuData {
  const shape = imageOutShape(k);
  const total = shape.reduce((a, b) => a * b, 1);
  const out = ctx.alloc(total, outDtype);
  if (total === 0) return out;
  const dims = [k.batch, k.inHeight, k.inWidth, k.channels, k.outHeight, k.outWidth];
  let source: string;
  let constants: Record<string, number>;
  let params: number[];
  let groupsFor = total;
  if (k.op === 'resize' || k.op === 'resizeGrad') {
    const file = k.op === 'resize' ? SHADERS.resize : SHADERS.resizeGrad;
    source = prelude({ T: wgslType(outDtype) }) + SHADERS.resizeTaps + file;
    constants = {
      NEAREST: Number(k.method === 'nearest'),
      ALIGN: Number(k.alignCorners),
      HALF: Number(k.halfPixelCenters),
    };
    const sy = scale(k.inHeight, k.outHeight, k.alignCorners);
    const sx = scale(k.inWidth, k.outWidth, k.alignCorners);
    params = [...dims, total, f32Bits(sy), f32Bits(sx)];
  } else if (k.op === 'cropAndResize' || k.op === 'cropAndResizeGradImage') {
    source = shaderSource(k.op === 'cropAndResize' ? 'cropAndResize' : 'cropAndResizeGrad');
    constants = { NEAREST: Number(k.method === 'nearest') };
    params = [
      ...dims,
      k.numBoxes,
      total,
      f32Bits(k.op === 'cropAndResize' ? k.extrapolationValue : 0),
      0x7fc00000,
    ];
  } else if (k.op === 'cropAndResizeGradBoxes') {
    source = shaderSource('cropAndResizeGradBoxes');
    constants = {};
    params = [...dims, k.numBoxes, total, 0x7fc00000];
  } else if (k.op === 'transformGrad') {
    // Scattered over dy's elements into a cleared output.
    ctx.clear(out);
    source = transformSource('imageTransformGrad');
    constants = { BILINEAR: Number(k.interpolation === 'bilinear'), MODE: MODES[k.fillMode] };
    const dyTotal = k.batch * k.outHeight * k.outWidth * k.channels;
    if (dyTotal === 0) return out;
    params = [...dims, dyTotal, Number(k.perImage)];
    groupsFor = dyTotal;
  } else {
    source = transformSource('imageTransform');
    constants = { BILINEAR: Number(k.interpolation === 'bilinear'), MODE: MODES[k.fillMode] };
    params = [...dims, total, Number(k.perImage), f32Bits(k.fillValue)];
  }
  ctx.run({
    label: `image.${k.op} ${inputs.map((t) => fmt(t.shape)).join(' ')} -> ${fmt(shape)}`,
    source,
    constants,
    buffers: [out.buffer, ...inputs.map((t) => ctx.buffer(t))],
    params,
    groups: groups1d(groupsFor, WG, ctx.maxGroups),
  });
  return out;
}
