// Depthwise convolution, pooling and their backprops: direct kernels, one invocation per output (or a workgroup per filter tap).
import type { Conv2DInfo, TensorInfo } from '@webdl/core';
import { SHADERS, type ShaderName } from '../shaders.generated.js';
import { groups1d, prelude, type GpuData, type KernelContext } from '../kernel-context.js';
import { convLabel, convParams } from './conv-geometry.js';

const WG = 128;

/** A direct kernel's final source: the prelude, the shared window fragment (geometry by name, tap mapping), the kernel. */
function windowSource(shader: ShaderName): string {
  return prelude({}) + SHADERS.window + '\n' + SHADERS[shader];
}

function direct(
  ctx: KernelContext,
  shader: ShaderName,
  op: string,
  inputs: TensorInfo[],
  info: Conv2DInfo,
  total: number,
  constants: Record<string, number> = {},
  groupPerElement = false,
): GpuData {
  const out = ctx.alloc(total, 'float32');
  if (total === 0) return out;
  ctx.run({
    label: convLabel(op, info),
    source: windowSource(shader),
    constants,
    buffers: [out.buffer, ...inputs.map((t) => ctx.buffer(t))],
    // Word 17: the bits of -Infinity (WGSL cannot spell a non-finite constant).
    params: [...convParams(info), info.channelMultiplier, total, 0xff800000],
    groups: groupPerElement ? groups1d(total, 1, ctx.maxGroups) : groups1d(total, WG, ctx.maxGroups),
  });
  return out;
}

const xSize = (i: Conv2DInfo) => i.batch * i.inHeight * i.inWidth * i.inChannels;
const ySize = (i: Conv2DInfo) => i.batch * i.outHeight * i.outWidth * i.outChannels;

/** Depthwise conv2d: filter [FH, FW, C, M], output channel c * M + m. */
export function depthwiseConv2d(
  ctx: KernelContext,
  x: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): GpuData {
  return direct(ctx, 'depthwiseConv2d', 'depthwiseConv2d', [x, filter], info, ySize(info));
}

/** Gradient of depthwise conv2d with respect to its input. */
export function depthwiseBackpropInput(
  ctx: KernelContext,
  dy: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): GpuData {
  return direct(
    ctx,
    'depthwiseBackpropInput',
    'depthwiseConv2dBackpropInput',
    [dy, filter],
    info,
    xSize(info),
  );
}

/** Gradient of depthwise conv2d with respect to its filter (a workgroup per filter element). */
export function depthwiseBackpropFilter(
  ctx: KernelContext,
  x: TensorInfo,
  dy: TensorInfo,
  info: Conv2DInfo,
): GpuData {
  const total = info.filterHeight * info.filterWidth * info.outChannels;
  return direct(
    ctx,
    'depthwiseBackpropFilter',
    'depthwiseConv2dBackpropFilter',
    [x, dy],
    info,
    total,
    {},
    true,
  );
}

/** Max or average pooling. */
export function pool(ctx: KernelContext, op: 'max' | 'avg', x: TensorInfo, info: Conv2DInfo): GpuData {
  return direct(ctx, 'pool', `${op}Pool`, [x], info, ySize(info), { MAX: op === 'max' ? 1 : 0 });
}

/** Gradient of max pooling: dy routed to each window's first maximum. */
export function maxPoolBackprop(
  ctx: KernelContext,
  dy: TensorInfo,
  x: TensorInfo,
  info: Conv2DInfo,
): GpuData {
  // Windows that cannot share an input element: each routes its dy straight to its maximum (no per-input search).
  const disjoint =
    (info.filterHeight - 1) * info.dilationHeight < info.strideHeight &&
    (info.filterWidth - 1) * info.dilationWidth < info.strideWidth;
  if (!disjoint) return direct(ctx, 'maxPoolBackprop', 'maxPoolBackprop', [dy, x], info, xSize(info));
  const total = ySize(info);
  const out = ctx.alloc(xSize(info), 'float32');
  if (xSize(info) === 0) return out;
  ctx.clear(out);
  if (total === 0) return out;
  ctx.run({
    label: convLabel('maxPoolBackprop', info),
    source: windowSource('maxPoolBackpropScatter'),
    buffers: [out.buffer, ctx.buffer(dy), ctx.buffer(x)],
    params: [...convParams(info), info.channelMultiplier, total],
    groups: groups1d(total, WG, ctx.maxGroups),
  });
  return out;
}

/** Gradient of average pooling. */
export function avgPoolBackprop(ctx: KernelContext, dy: TensorInfo, info: Conv2DInfo): GpuData {
  return direct(ctx, 'avgPoolBackprop', 'avgPoolBackprop', [dy], info, xSize(info));
}
