// Dev tool: GPU time per kernel (timestamp queries, one compute pass per dispatch) of the bench's CNN (or MLP) training step in Node/Dawn.
// Usage: nice node scripts/profile-kernels.mjs [--mlp] [--jit | --ops] [--steps N]  (--mlp: the 784-128-128-10 MLP, batch 128; --ops: each heavy
// primitive alone, PROFILE_OPS=a,b)  (SwiftShader unless WEBDL_USE_SYSTEM_GPU is set).
// Loads the TypeScript sources through Vite's SSR loader; prints ms per step for each kernel label, largest first.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServer } from 'vite';

const ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (existsSync(ICD) && !process.env.VK_ICD_FILENAMES && !process.env.WEBDL_USE_SYSTEM_GPU) {
  process.env.VK_ICD_FILENAMES = ICD;
}
const args = process.argv.slice(2);
const jit = args.includes('--jit');
const mlp = args.includes('--mlp');
const steps = Number(args[args.indexOf('--steps') + 1]) || 3;

const root = fileURLToPath(new URL('..', import.meta.url));
const src = (p) => `${root}packages/${p}/src/index.ts`;
const server = await createServer({
  root,
  configFile: false,
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false, watch: null },
  optimizeDeps: { noDiscovery: true },
  resolve: {
    alias: {
      '@webdl/core': src('core'),
      '@webdl/webgpu': src('webgpu'),
      '@webdl/layers': src('layers'),
    },
  },
});
const load = (p) => server.ssrLoadModule(p);

// Dawn: ask every device for timestamp queries.
const dawnPath = createRequire(`${root}packages/webgpu/package.json`).resolve('webgpu');
const dawn = await import(pathToFileURL(dawnPath).href);
Object.assign(globalThis, dawn.globals);
const requestDevice = GPUAdapter.prototype.requestDevice;
GPUAdapter.prototype.requestDevice = function (desc = {}) {
  const requiredFeatures = [...(desc.requiredFeatures ?? []), 'timestamp-query'];
  return requestDevice.call(this, { ...desc, requiredFeatures });
};

// Pipeline compiles one at a time, each timed (labels and ms, printed by --ops).
const compileTimes = [];
let compiling = Promise.resolve();
const createAsync = GPUDevice.prototype.createComputePipelineAsync;
GPUDevice.prototype.createComputePipelineAsync = function (desc) {
  const timed = async () => {
    const t = performance.now();
    const pipeline = await createAsync.call(this, desc);
    compileTimes.push([desc.label ?? '', performance.now() - t]);
    return pipeline;
  };
  const result = compiling.then(timed);
  compiling = result.catch(() => undefined);
  return result;
};

const dl = await load('@webdl/core');
const { registerWebGPU } = await load('@webdl/webgpu');
const L = await load('@webdl/layers');
const { CommandQueue } = await load('/packages/webgpu/src/command-queue.ts');
const { GpuProgram } = await load('/packages/webgpu/src/program.ts');

/** Per-label totals of the profiled window: [ns, count]. */
const totals = new Map();
let profiling = false;
const pendingReads = [];

/** Wraps each dispatch of `items` in its own timed pass; `dispatch(pass, item)` encodes one. */
function timedEncode(device, enc, items, dispatch, other) {
  const labels = [];
  const n = items.filter((r) => r.kind === 'dispatch').length;
  const qs = n > 0 ? device.createQuerySet({ type: 'timestamp', count: 2 * n }) : null;
  for (const r of items) {
    if (r.kind !== 'dispatch') {
      other(r);
      continue;
    }
    const i = labels.length;
    const pass = enc.beginComputePass({
      timestampWrites: { querySet: qs, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 },
    });
    dispatch(pass, r);
    pass.end();
    labels.push(r.label);
  }
  if (!qs) return;
  const resolve = device.createBuffer({
    size: 16 * n,
    usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
  });
  const read = device.createBuffer({
    size: 16 * n,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  enc.resolveQuerySet(qs, 0, 2 * n, resolve, 0);
  enc.copyBufferToBuffer(resolve, 0, read, 0, 16 * n);
  const record = profiling;
  pendingReads.push(async () => {
    await read.mapAsync(GPUMapMode.READ);
    const t = new BigInt64Array(read.getMappedRange());
    if (record) {
      labels.forEach((label, i) => {
        const ns = Number(t[2 * i + 1] - t[2 * i]);
        const [s, c] = totals.get(label) ?? [0, 0];
        totals.set(label, [s + ns, c + 1]);
      });
    }
    read.unmap();
    read.destroy();
    resolve.destroy();
    qs.destroy();
  });
}

CommandQueue.prototype.encodeAndSubmit = function (records, ubuf) {
  const enc = this.device.createCommandEncoder();
  let slot = 0;
  timedEncode(
    this.device,
    enc,
    records,
    (pass, r) => this.encodeDispatch(pass, r, ubuf, slot++ * 256),
    (r) => {
      if (r.kind === 'program') r.encode(enc);
      else if (r.kind === 'copy') enc.copyBufferToBuffer(r.src, 0, r.dst, 0, r.size);
      else enc.clearBuffer(r.dst);
    },
  );
  this.device.queue.submit([enc.finish()]);
};

GpuProgram.prototype.encode = function (enc, snap, rec) {
  if (this.pending === rec) this.pending = null;
  const q = this.host.device.queue;
  for (const [b, v] of snap.constants) q.writeBuffer(b, 0, v.buffer, v.byteOffset, v.byteLength);
  for (const [word, words] of snap.params)
    q.writeBuffer(this.ubuf, word * 4, words.buffer, words.byteOffset, words.byteLength);
  timedEncode(
    this.host.device,
    enc,
    this.parts.items,
    (pass, item) => {
      pass.setPipeline(item.pipeline.pipeline);
      pass.setBindGroup(0, this.bindGroup(item, snap));
      pass.dispatchWorkgroups(item.groups[0], item.groups[1], item.groups[2]);
    },
    (item) => {
      const dst = this.resolve(item.dst, snap);
      if (item.kind === 'copy') enc.copyBufferToBuffer(this.resolve(item.src, snap), 0, dst, 0, item.size);
      else enc.clearBuffer(dst);
    },
  );
  this.parts.writes.forEach((r, i) => {
    const into = snap.writes[i];
    if (into.size > 0) enc.copyBufferToBuffer(this.resolve(r, snap), 0, into.buffer, 0, into.size * 4);
  });
};

async function drain() {
  while (pendingReads.length) await pendingReads.shift()();
}

registerWebGPU();
await dl.setBackend('webgpu');
const printRows = (title, rows) => {
  const sum = rows.reduce((s, r) => s + r[1], 0);
  console.log(`${title}, GPU ${sum.toFixed(1)} ms in ${rows.reduce((s, r) => s + r[2], 0)} dispatches`);
  for (const [label, ms, c] of rows)
    console.log(`${ms.toFixed(2).padStart(8)} ms ${String(c).padStart(3)}x  ${label.slice(0, 150)}`);
};
let seed = 1;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
const randn = (shape) =>
  dl.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, rand), shape);

if (args.includes('--ops')) {
  // Each heavy primitive of the step alone, at the step's shapes: min over rounds of the GPU time per kernel label.
  const reps = steps;
  const conv1 = dl.convInfo('conv2d', [64, 28, 28, 1], 3, 3, 32, {});
  const conv2 = dl.convInfo('conv2d', [64, 13, 13, 32], 3, 3, 64, {});
  const pool1 = dl.convInfo('maxPool', [64, 26, 26, 32], 2, 2, 32, { strides: 2 });
  const pool2 = dl.convInfo('maxPool', [64, 11, 11, 64], 2, 2, 64, { strides: 2 });
  // The bench's 'same' conv2d (64x28x28x32 -> 64, 3x3).
  const same = dl.convInfo('conv2d', [64, 28, 28, 32], 3, 3, 64, { padding: 'same' });
  const shapeIn = (i) => [i.batch, i.inHeight, i.inWidth, i.inChannels];
  const shapeOut = (i) => [i.batch, i.outHeight, i.outWidth, i.outChannels];
  const shapeW = (i) => [i.filterHeight, i.filterWidth, i.inChannels, i.outChannels];
  const cases = [
    ['conv2d', conv1, [shapeIn, shapeW]],
    ['conv2dBackpropFilter', conv1, [shapeIn, shapeOut]],
    ['conv2d', conv2, [shapeIn, shapeW]],
    ['conv2dBackpropInput', conv2, [shapeOut, shapeW]],
    ['conv2dBackpropFilter', conv2, [shapeIn, shapeOut]],
    ['conv2d', same, [shapeIn, shapeW]],
    ['conv2dBackpropInput', same, [shapeOut, shapeW]],
    ['maxPool', pool1, [shapeIn]],
    ['maxPoolBackprop', pool1, [shapeOut, shapeIn]],
    ['maxPool', pool2, [shapeIn]],
    ['maxPoolBackprop', pool2, [shapeOut, shapeIn]],
    // conv1's bias gradient (ones x dy), and for calibration the convolutions' products as plain matmuls (conv2
    // forward, input and filter gradients, conv1 forward) and 1024^3.
    ...[
      [1, 43264, 32],
      [7744, 288, 64],
      [10816, 576, 32],
      [288, 7744, 64],
      [43264, 9, 32],
      [1024, 1024, 1024],
    ].map(([m, k, n]) => [
      'matmul',
      { transposeA: false, transposeB: false },
      [() => [1, m, k], () => [1, k, n]],
    ]),
  ];
  const only = process.env.PROFILE_OPS?.split(',');
  const chosen = cases
    .filter(([name]) => !only || only.includes(name))
    .map(([name, info, shapes]) => [name, info, shapes.map((f) => randn(f(info)))]);
  // Rounds interleave the cases, so a burst of load on the shared machine hits one round of each, not all of one.
  const best = new Map();
  for (let r = 0; r < reps + 1; r++) {
    for (const [name, info, inputs] of chosen) {
      totals.clear();
      profiling = r > 0;
      const [out] = dl.runPrimitive(name, inputs, name === 'matmul' ? info : { info });
      await out.data();
      out.dispose();
      await drain();
      for (const [label, [ns]] of totals) best.set(label, Math.min(best.get(label) ?? Infinity, ns / 1e6));
    }
  }
  printRows(
    'isolated kernels (min of rounds)',
    [...best].map(([l, ms]) => [l, ms, 1]),
  );
  console.log('pipeline compiles (ms, one at a time):');
  for (const [label, ms] of compileTimes)
    console.log(`${ms.toFixed(1).padStart(8)} ms  ${label.slice(0, 150)}`);
  await server.close();
  process.exit(0);
}

const batch = mlp ? 128 : 64;
const xShape = mlp ? [batch, 784] : [batch, 28, 28, 1];
const xs = Float32Array.from({ length: batch * 28 * 28 }, rand);
const ys = new Float32Array(batch * 10);
for (let b = 0; b < batch; b++) ys[b * 10 + (b % 10)] = 1;
const { Conv2D, MaxPooling2D, Flatten, Dense } = L.layers;
const relu = { activation: 'relu' };
const body = mlp
  ? [new Dense(128, relu), new Dense(128, relu)]
  : [
      new Conv2D(32, 3, relu),
      new MaxPooling2D(2),
      new Conv2D(64, 3, relu),
      new MaxPooling2D(2),
      new Flatten(),
    ];
const model = new L.Sequential([...body, new Dense(10, { activation: 'softmax' })]);
model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', jitCompile: jit });
const x = dl.tensor(xs, xShape);
const y = dl.tensor(ys, [batch, 10]);
const lossOf = async (r) => {
  const t = Array.isArray(r) ? r[0] : r;
  if (typeof t === 'number') return t;
  const v = (await t.data())[0];
  t.dispose();
  return v;
};
for (let s = 0; s < 3; s++) await lossOf(await model.trainOnBatch(x, y));
// Matmuls run stand-in kernels until their best ones compile in the background (PipelineCache.prepare):
// profile the step that runs once those are ready (and recorded again).
await dl.ENGINE.backend.pipelines.idle();
await lossOf(await model.trainOnBatch(x, y));
await drain();
profiling = true;
const t0 = performance.now();
for (let s = 0; s < steps; s++) await lossOf(await model.trainOnBatch(x, y));
const wall = (performance.now() - t0) / steps;
profiling = false;
await drain();
const rows = [...totals]
  .map(([label, [ns, c]]) => [label, ns / 1e6 / steps, c / steps])
  .sort((a, b) => b[1] - a[1]);
printRows(
  `${jit ? 'jitted' : 'eager'} ${mlp ? 'MLP' : 'CNN'} step: ${wall.toFixed(1)} ms wall per step`,
  rows,
);
await server.close();
process.exit(0);
