// webdl adapter: @webdl/core on the @webdl/webgpu backend, eager ops and jit; training steps via lib-webdl-layers.
import * as dl from '@webdl/core';
import { CONV } from './data.ts';
import { importReason } from './import-reason.ts';
import { NotYetError, type F32, type Library, type Runner, type TrainBatch } from './types.ts';
import { settleWebdl } from './webdl-settle.ts';

/** Uploads `values` with `shape` and waits until the upload is done. */
async function upload(values: F32, shape: number[]): Promise<dl.Tensor> {
  const t = dl.tensor(values, shape);
  await t.data();
  return t;
}

/** Runs `op` `reps` times (webdl runs ops eagerly), keeps the last result and reads it back. */
async function runOp(op: () => dl.Tensor, reps: number): Promise<F32> {
  let last = op();
  for (let r = 1; r < reps; r++) {
    last.dispose();
    last = op();
  }
  const out = await last.data();
  last.dispose();
  if (!(out instanceof Float32Array)) throw new Error('webdl returned a non-float32 result');
  return out as F32;
}

function opRunner(inputs: dl.Tensor[], op: () => dl.Tensor): Runner {
  return {
    step: (reps) => runOp(op, reps),
    settle: settleWebdl,
    dispose: () => inputs.forEach((t) => t.dispose()),
  };
}

/** The training-step module, loaded on first use so the op cases work before @webdl/layers exists. */
async function layersModule(): Promise<typeof import('./lib-webdl-layers.ts')> {
  const url = new URL('./lib-webdl-layers.ts', import.meta.url).href;
  try {
    return await import('./lib-webdl-layers.ts');
  } catch (error) {
    const reason = await importReason(url, error);
    // A missing package is "not yet"; anything else is a real error worth showing as one.
    if (/failed to resolve import|does the file exist/i.test(reason)) throw new NotYetError(reason);
    throw new Error(reason);
  }
}

export const webdl: Library = {
  id: 'webdl',

  async init() {
    // Registration is explicit: importing @webdl/webgpu has no side effect.
    const { registerWebGPU } = await import('@webdl/webgpu');
    registerWebGPU();
    await dl.setBackend('webgpu');
    await dl.ready();
    const backend = dl.getBackend();
    if (backend !== 'webgpu') throw new Error(`backend is '${backend}', not 'webgpu'`);
    // Loaded with the page, as the peers' modules are, so no case times loading @webdl/layers (the
    // dev server transforms its sources on first import); a missing package fails its cases later.
    await layersModule().catch(() => undefined);
    return `@webdl/core, backend ${backend} (${dl.ENGINE.backend.describe()})`;
  },

  async matmul(n, a, b) {
    const ta = await upload(a, [n, n]);
    const tb = await upload(b, [n, n]);
    return opRunner([ta, tb], () => dl.matmul(ta, tb));
  },

  async conv2d(x, w) {
    const tx = await upload(x, [CONV.n, CONV.h, CONV.w, CONV.cin]);
    const tw = await upload(w, [CONV.k, CONV.k, CONV.cin, CONV.cout]);
    return opRunner([tx, tw], () => dl.conv2d(tx, tw, { padding: 'same' }));
  },

  async chain(x, a, b, c) {
    const [tx, ta, tb, tc] = await Promise.all([x, a, b, c].map((v) => upload(v, [v.length])));
    return opRunner([tx, ta, tb, tc], () => dl.tidy(() => dl.sigmoid(dl.relu(tx.mul(ta).add(tb))).mul(tc)));
  },

  async chainJit(x, a, b, c) {
    const [tx, ta, tb, tc] = await Promise.all([x, a, b, c].map((v) => upload(v, [v.length])));
    const f = dl.jit((u: dl.Tensor, p: dl.Tensor, q: dl.Tensor, r: dl.Tensor) =>
      dl.sigmoid(dl.relu(u.mul(p).add(q))).mul(r),
    );
    const runner = opRunner([tx, ta, tb, tc], () => f(tx, ta, tb, tc));
    return { ...runner, dispose: () => (runner.dispose(), f.dispose()) };
  },

  async mlpStep(data: TrainBatch, jit: boolean) {
    return (await layersModule()).mlpStep(data, jit);
  },

  async cnnStep(data: TrainBatch, jit: boolean) {
    return (await layersModule()).cnnStep(data, jit);
  },
};
