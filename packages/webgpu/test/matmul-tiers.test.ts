// Matmuls whose best CPU-adapter kernel compiles slowly run a fast-compiling stand-in first (RunSpec.better): both
// kernels against the float64 CPU reference, the switch once the better pipeline is compiled (eager, and a jit replay
// recorded again), and the background compiles' order (PipelineCache.prepare, on a fake device).
import './node-gpu.js';
import * as core from '@webdl/core';
import { registerWebGPU, type WebGPUBackend } from '@webdl/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DispatchRecord } from '../src/command-queue.js';
import { hasQuadSubgroups } from '../src/device.js';
import { PipelineCache } from '../src/pipelines.js';
import { ACC, expectClose } from './compare.js';

registerWebGPU();
const gpu = () => core.ENGINE.backend as WebGPUBackend;
/** The stand-ins are the quad kernels of CPU adapters; a GPU adapter keeps its tiled kernels. */
const quads = () => gpu().cpuKernels && hasQuadSubgroups(gpu().device);

beforeAll(async () => {
  await core.setBackend('webgpu');
});

/** The dispatches `fn` records (their groups and pipelines), and what it returns. */
function dispatchesOf<T>(fn: () => T): { result: T; records: DispatchRecord[] } {
  const queue = gpu().queue;
  const records: DispatchRecord[] = [];
  const enqueue = queue.enqueue.bind(queue);
  queue.enqueue = (rec) => (records.push(rec), enqueue(rec));
  try {
    return { result: fn(), records };
  } finally {
    queue.enqueue = enqueue;
  }
}

/** Values of `make` on the CPU backend (float64 reference kernels). */
async function onCpu(make: () => core.Tensor): Promise<Float32Array> {
  await core.setBackend('cpu');
  try {
    return (await make().data()) as Float32Array;
  } finally {
    await core.setBackend('webgpu');
  }
}

const SHAPES: [string, number[], number[], boolean][] = [
  ['128 x 522 x 128 (K % 4 != 0)', [128, 522], [522, 128], false],
  ["784 x 128 x 128, A transposed (the MLP step's first weight gradient)", [128, 784], [128, 128], true],
  ['50 x 40 x 70 (blocks clamped at both edges)', [50, 40], [40, 70], false],
];

describe('matmul stand-in kernels while the best one compiles', () => {
  for (const [name, sa, sb, transposeA] of SHAPES) {
    it(`${name}: both kernels match the CPU reference, and the best one runs once compiled`, async () => {
      if (!quads()) return;
      const make = () => {
        const a = core.randomNormal(sa, { seed: 3 });
        const b = core.randomNormal(sb, { seed: 4 });
        return core.matmul(a, b, { transposeA });
      };
      const want = await onCpu(make);
      const first = dispatchesOf(make);
      expectClose(`${name}, stand-in`, await first.result.data(), want, ACC);
      const product = first.records[first.records.length - 1];
      expect(product.upgrade, 'the best kernel compiles in the background').toBeDefined();
      await gpu().pipelines.idle();
      expect(product.upgrade?.pipeline).not.toBeNull();
      const second = dispatchesOf(make);
      expectClose(`${name}, best kernel`, await second.result.data(), want, ACC);
      const best = second.records[second.records.length - 1];
      expect(best.upgrade).toBeUndefined();
      expect(best.pipeline).toBe(product.upgrade);
      expect(best.groups).not.toEqual(product.groups);
    });
  }

  it('a jit replay recorded with the stand-in is recorded again once the best kernel is ready', async () => {
    if (!quads()) return;
    const x = core.randomNormal([128, 300], { seed: 5 });
    const w = core.randomNormal([300, 96], { seed: 6 });
    const bias = core.randomNormal([96], { seed: 7 });
    const step = (u: core.Tensor, v: core.Tensor, c: core.Tensor) =>
      core.relu(core.add(core.matmul(u, v), c));
    const [xs, ws, bs] = [await x.data(), await w.data(), await bias.data()];
    const want = await onCpu(() =>
      step(core.tensor(xs, [128, 300]), core.tensor(ws, [300, 96]), core.tensor(bs)),
    );
    const f = core.jit(step);
    const backend = gpu();
    const begin = backend.beginCapture.bind(backend);
    let captures = 0;
    backend.beginCapture = (k) => (captures++, begin(k));
    try {
      for (let call = 0; call < 4; call++) {
        if (call === 2) await backend.pipelines.idle();
        const y = f(x, w, bias);
        expectClose(`jit call ${call}`, await y.data(), want, ACC);
        y.dispose();
      }
      // Recorded on the first call (stand-in), again on the first call after the best kernel compiled.
      expect(captures).toBe(2);
    } finally {
      backend.beginCapture = begin;
      f.dispose();
    }
  });
});

describe('the stand-in is one pipeline for every shape', () => {
  it('eager products of three shapes run one stand-in pipeline, each matching the CPU reference', async () => {
    if (!quads()) return;
    const shapes: [number[], number[]][] = [
      [
        [72, 36],
        [36, 88],
      ],
      [
        [48, 64],
        [64, 56],
      ],
      [
        [1, 24],
        [24, 132],
      ],
    ];
    const pipelines = new Set<unknown>();
    for (const [sa, sb] of shapes) {
      const make = () => core.matmul(core.randomNormal(sa, { seed: 8 }), core.randomNormal(sb, { seed: 9 }));
      const want = await onCpu(make);
      const run = dispatchesOf(make);
      const product = run.records[run.records.length - 1];
      expect(product.upgrade, `${sa} x ${sb} runs the stand-in`).toBeDefined();
      pipelines.add(product.pipeline);
      expectClose(`${sa} x ${sb}`, await run.result.data(), want, ACC);
      run.result.dispose();
    }
    expect(pipelines.size).toBe(1);
  });

  it('a jitted product with a stored, full-size epilogue shares it across shapes (sizes read as parameters)', async () => {
    if (!quads()) return;
    // z = x @ w + c (c full size: read at row * N + col) is stored next to relu(z) * 2.
    const f = core.jit((x: core.Tensor, w: core.Tensor, c: core.Tensor) => {
      const z = core.add(core.matmul(x, w), c);
      return [core.mul(core.relu(z), 2), z];
    });
    // The matmul sources each call runs (eager first calls: the plain product; replays: the fused one).
    const cache = gpu().pipelines;
    const get = cache.get.bind(cache);
    const sources = new Set<string>();
    cache.get = (source, constants, label) => (
      label === 'matmul' && sources.add(source),
      get(source, constants, label)
    );
    try {
      for (const [m, k, n] of [
        [68, 36, 76],
        [40, 64, 56],
      ]) {
        const args = [
          [m, k],
          [k, n],
          [m, n],
        ].map((shape, i) => core.randomNormal(shape, { seed: 20 + i }));
        const values = await Promise.all(args.map((t) => t.data()));
        const want = await Promise.all(
          [0, 1].map((j) =>
            onCpu(() => {
              const [x, w, c] = values.map((v, i) => core.tensor(v, args[i].shape));
              const z = core.add(core.matmul(x, w), c);
              return j === 0 ? core.mul(core.relu(z), 2) : z;
            }),
          ),
        );
        for (let call = 0; call < 3; call++) {
          const outs = f(...(args as [core.Tensor, core.Tensor, core.Tensor])) as core.Tensor[];
          for (let j = 0; j < 2; j++)
            expectClose(
              `output ${j} of call ${call}, ${m} x ${k} x ${n}`,
              await outs[j].data(),
              want[j],
              ACC,
            );
          outs.forEach((t) => t.dispose());
        }
      }
      // Per shape, these would be 4 sources.
      expect(sources.size).toBe(2);
      expect([...sources].some((source) => source.includes('es0[at]'))).toBe(true);
    } finally {
      cache.get = get;
      f.dispose();
    }
  });
});

/** A device whose compiles finish when the test says (each pipeline's label in `started`, in order). */
function fakeDevice() {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  let lost: Error | null = null;
  const device = {
    createShaderModule: () => ({}),
    createComputePipelineAsync: (d: { label: string }) => {
      started.push(d.label);
      return new Promise((resolve) => finish.set(d.label, () => resolve({ label: d.label })));
    },
    queue: { onSubmittedWorkDone: () => (lost ? Promise.reject(lost) : Promise.resolve()) },
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
  return { device: device as unknown as GPUDevice, started, finish, settle, lose: (e: Error) => (lost = e) };
}

describe('PipelineCache.prepare', () => {
  it('starts background compiles one at a time, after the compiles the work at hand waits for', async () => {
    const fake = fakeDevice();
    const cache = new PipelineCache(fake.device);
    cache.get('a', {}, 'urgent-1');
    const b1 = cache.prepare('b1', {}, 'background-1');
    const b2 = cache.prepare('b2', {}, 'background-2');
    cache.get('c', {}, 'urgent-2');
    await fake.settle();
    expect(fake.started).toEqual(['urgent-1', 'urgent-2']);
    fake.finish.get('urgent-1')?.();
    await fake.settle();
    expect(fake.started).toEqual(['urgent-1', 'urgent-2']);
    fake.finish.get('urgent-2')?.();
    await fake.settle();
    expect(fake.started).toEqual(['urgent-1', 'urgent-2', 'background-1']);
    // A pipeline the work needs now goes before the next background one.
    cache.get('d', {}, 'urgent-3');
    fake.finish.get('background-1')?.();
    await fake.settle();
    expect(fake.started).toEqual(['urgent-1', 'urgent-2', 'background-1', 'urgent-3']);
    expect(b1.pipeline).not.toBeNull();
    fake.finish.get('urgent-3')?.();
    await fake.settle();
    expect(fake.started.at(-1)).toBe('background-2');
    fake.finish.get('background-2')?.();
    await cache.idle();
    expect(b2.pipeline).not.toBeNull();
    // Requesting a prepared pipeline again gives the same one.
    expect(cache.get('b2', {}, 'background-2')).toBe(b2);
  });

  it('fails the waiting background compiles when the device is lost', async () => {
    const fake = fakeDevice();
    const cache = new PipelineCache(fake.device);
    fake.lose(new Error('device lost'));
    const ref = cache.prepare('b', {}, 'background');
    await expect(ref.promise).rejects.toThrow(/background.*device lost/);
    expect(fake.started).toEqual([]);
    await cache.idle();
  });
});
