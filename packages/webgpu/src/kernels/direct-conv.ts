// Depthwise convolution, pooling and their backprops: direct kernels, one invocation per output (or a workgroup per filter tap).
import type { Conv2DInfo, TensorInfo } from '@webdl/core';
import { SHADERS, type ShaderName } from '../shaders.generated.js';
import { groups1d, prelude, type GpuData, type KernelContext } from '../kernel-context.js';
import { convLabel, convParams } from './conv-geometry.js';
import { convTapsInside } from './register-conv.js';

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

/**
 * The declarations ahead of a kernel that walks `channels` VW at a time: V/VU are vec4 and VW 4 when the count is a
 * multiple of 4 (one vector load per tap for 4 channels), else scalars.
 */
export function channelVectors(channels: number): string {
  const vec = channels % 4 === 0;
  return `alias V = ${vec ? 'vec4<f32>' : 'f32'};\nalias VU = ${vec ? 'vec4<u32>' : 'u32'};\nconst VW = ${vec ? 4 : 1}u;\n`;
}

/** A kernel of pool-inside.wgsl's family: one invocation per output pixel and VW channels, every tap inside the input. */
function inside(
  ctx: KernelContext,
  shader: 'poolInside' | 'maxPoolBackpropInside',
  label: string,
  buffers: GPUBuffer[],
  info: Conv2DInfo,
  constants: Record<string, number> = {},
): void {
  const total = ySize(info) / (info.inChannels % 4 === 0 ? 4 : 1);
  ctx.run({
    label,
    source: prelude({}) + channelVectors(info.inChannels) + SHADERS.window + '\n' + SHADERS[shader],
    constants,
    buffers,
    params: [...convParams(info), info.channelMultiplier, total],
    groups: groups1d(total, 64, ctx.maxGroups),
  });
}

/** Max or average pooling. */
export function pool(ctx: KernelContext, op: 'max' | 'avg', x: TensorInfo, info: Conv2DInfo): GpuData {
  const constants = { MAX: op === 'max' ? 1 : 0 };
  if (!convTapsInside(info)) return direct(ctx, 'pool', `${op}Pool`, [x], info, ySize(info), constants);
  const out = ctx.alloc(ySize(info), 'float32');
  if (ySize(info) > 0)
    inside(ctx, 'poolInside', convLabel(`${op}Pool`, info), [out.buffer, ctx.buffer(x)], info, constants);
  return out;
}

/** Whether the pooling windows of `i` cover every input element (so a backprop writing each window leaves no gap). */
function windowsTile(i: Conv2DInfo): boolean {
  return (
    (i.filterHeight === 1 || i.dilationHeight === 1) &&
    (i.filterWidth === 1 || i.dilationWidth === 1) &&
    i.filterHeight === i.strideHeight &&
    i.filterWidth === i.strideWidth &&
    i.padTop === 0 &&
    i.padLeft === 0 &&
    i.outHeight * i.strideHeight === i.inHeight &&
    i.outWidth * i.strideWidth === i.inWidth
  );
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
  if (total > 0 && convTapsInside(info)) {
    // Each window writes all its taps (dy at the maximum, 0 elsewhere): only inputs outside every window need clearing.
    if (!windowsTile(info)) ctx.clear(out);
    const buffers = [out.buffer, ctx.buffer(dy), ctx.buffer(x)];
    inside(ctx, 'maxPoolBackpropInside', convLabel('maxPoolBackprop', info), buffers, info);
    return out;
  }
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
