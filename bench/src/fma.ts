// Raw WebGPU probe of the adapter's arithmetic peak: a WGSL kernel of independent fma chains.
import { median } from './timing.ts';

const CHAINS = 8;

/** WGSL with `CHAINS` independent fma chains per invocation, on `vec4<f32>` or `f32` lanes. */
function kernelSource(vector: boolean): string {
  const t = vector ? 'vec4<f32>' : 'f32';
  const lines: string[] = [];
  for (let i = 0; i < CHAINS; i++) lines.push(`  var a${i} = ${t}(seed + ${(i * 0.01).toFixed(2)});`);
  const body = Array.from({ length: CHAINS }, (_, i) => `    a${i} = fma(a${i}, m, c);`).join('\n');
  const sum = Array.from({ length: CHAINS }, (_, i) => `a${i}`).join(' + ');
  const store = vector
    ? 'let s = ' + sum + ';\n  out[gid.x] = s.x + s.y + s.z + s.w;'
    : `out[gid.x] = ${sum};`;
  return `
struct Params { mul: f32, add: f32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
override ITERS: u32 = 256u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  // Multiplier and addend come from a uniform so the compiler cannot fold the chains.
  let m = ${t}(params.mul);
  let c = ${t}(params.add);
  let seed = f32(gid.x & 1023u) * 1e-4;
${lines.join('\n')}
  for (var i = 0u; i < ITERS; i++) {
${body}
  }
  ${store}
}`;
}

/** The measured peak and how it was obtained. */
export interface FmaPeak {
  gflops: number;
  detail: string;
}

/** Runs one variant and returns its best-of-median GFLOP/s. */
async function measureVariant(device: GPUDevice, vector: boolean, quick: boolean): Promise<number> {
  const iters = 256;
  const module = device.createShaderModule({ code: kernelSource(vector) });
  const pipeline = await device.createComputePipelineAsync({
    layout: 'auto',
    compute: { module, entryPoint: 'main', constants: { ITERS: iters } },
  });
  const maxGroups = Math.min(65535, device.limits.maxComputeWorkgroupsPerDimension);
  const params = device.createBuffer({ size: 8, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(params, 0, new Float32Array([0.9999, 1e-4]));
  const out = device.createBuffer({ size: maxGroups * 64 * 4, usage: GPUBufferUsage.STORAGE });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: params } },
      { binding: 1, resource: { buffer: out } },
    ],
  });
  const run = async (groups: number): Promise<number> => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(groups);
    pass.end();
    const t0 = performance.now();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    return performance.now() - t0;
  };
  // Grow the dispatch until one run takes long enough to time reliably.
  const targetMs = quick ? 100 : 250;
  let groups = 16;
  await run(groups);
  for (;;) {
    const ms = await run(groups);
    if (ms >= targetMs || groups >= maxGroups) break;
    groups = Math.min(
      maxGroups,
      Math.ceil(groups * Math.min(8, Math.max(1.5, targetMs / Math.max(ms, 0.1)))),
    );
  }
  const times: number[] = [];
  for (let i = 0; i < (quick ? 3 : 5); i++) times.push(await run(groups));
  params.destroy();
  out.destroy();
  const flops = groups * 64 * iters * CHAINS * (vector ? 4 : 1) * 2;
  return flops / (median(times) * 1e6);
}

/** Measures the FMA peak of `adapter` on its own device (scalar and vec4 variants, the better one). */
export async function measureFmaPeak(adapter: GPUAdapter, quick: boolean): Promise<FmaPeak> {
  const device = await adapter.requestDevice();
  try {
    const scalar = await measureVariant(device, false, quick);
    const vector = await measureVariant(device, true, quick);
    return {
      gflops: Math.max(scalar, vector),
      detail: `f32 ${scalar.toFixed(2)}, vec4<f32> ${vector.toFixed(2)} GFLOP/s`,
    };
  } finally {
    device.destroy();
  }
}
