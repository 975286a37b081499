// jax-js adapter: its webgpu device with default settings; eager ops, and jit-compiled training steps.
import {
  blockUntilReady,
  defaultDevice,
  getWebGPUDevice,
  init,
  jit,
  lax,
  nn,
  numpy as np,
  valueAndGrad,
  type Array as JaxArray,
} from '@jax-js/jax';
import { CONV, makeRandom } from './data.ts';
import type { F32, Library, Runner, TrainBatch } from './types.ts';

/** Uploads `values` with `shape` and waits until the array is on the device. */
async function upload(values: F32, shape: number[]): Promise<JaxArray> {
  const arr = np.array(values, { shape });
  await arr.blockUntilReady();
  return arr;
}

/**
 * Runs `op` `reps` times and reads back the last result. jax-js is lazy, so every result is kept
 * until all are ready: a result dropped unread might never be computed.
 */
async function runOp(op: () => JaxArray, reps: number): Promise<F32> {
  const results: JaxArray[] = [];
  for (let r = 0; r < reps; r++) results.push(op());
  const last = results.pop() as JaxArray;
  if (results.length > 0) await blockUntilReady(results);
  for (const r of results) r.dispose();
  // data() realizes the array, reads it back and releases it.
  const out = await last.data();
  if (!(out instanceof Float32Array)) throw new Error('jax-js returned a non-float32 result');
  return out as F32;
}

/** `ops` take references (`.ref`) of the inputs; the inputs themselves are released on dispose. */
function opRunner(inputs: JaxArray[], op: () => JaxArray, canonical?: (out: F32) => F32): Runner {
  return {
    step: (reps) => runOp(op, reps),
    canonical,
    dispose: () => inputs.forEach((t) => t.dispose()),
  };
}

/** Moves axis `from` of a row-major array of `shape` to position `to` (CPU, setup only). */
function moveAxis(values: F32, shape: number[], perm: number[]): F32 {
  const outShape = perm.map((p) => shape[p]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((x, y) => x * y, 1));
  const out = new Float32Array(values.length);
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < perm.length; d++) src += index[d] * strides[perm[d]];
    out[o] = values[src];
    for (let d = perm.length - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

type Params = Record<string, JaxArray>;

/** Glorot-uniform weights and zero biases, as Keras and TensorFlow.js initialize Dense and Conv2D. */
function glorot(shape: number[], fanIn: number, fanOut: number, seed: number): JaxArray {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const rand = makeRandom(seed);
  const size = shape.reduce((x, y) => x * y, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (2 * rand() - 1) * limit;
  return np.array(values, { shape });
}

const ADAM = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** Mean categorical cross-entropy of softmax(logits) against one-hot `y`. */
function crossEntropy(logits: JaxArray, y: JaxArray, batch: number): JaxArray {
  return nn
    .logSoftmax(logits, -1)
    .mul(y)
    .sum()
    .mul(-1 / batch);
}

/**
 * A training-step runner: `lossFn(params, x, y)` differentiated with valueAndGrad, then an Adam
 * update, the whole step compiled with jit as a jax-js user would write it.
 */
async function trainRunner(
  params: Params,
  lossFn: (p: Params, x: JaxArray, y: JaxArray) => JaxArray,
  x: JaxArray,
  y: JaxArray,
): Promise<Runner> {
  const keys = Object.keys(params);
  const zerosLike = (): Params =>
    Object.fromEntries(keys.map((k) => [k, np.zeros(params[k].shape)])) as Params;
  let p = params;
  let m = zerosLike();
  let v = zerosLike();
  const { beta1, beta2, epsilon } = ADAM;
  const update = jit((p0: Params, m0: Params, v0: Params, xb: JaxArray, yb: JaxArray, stepSize: JaxArray) => {
    const [loss, grads] = valueAndGrad(lossFn)(
      Object.fromEntries(keys.map((k) => [k, p0[k].ref])) as Params,
      xb,
      yb,
    ) as [JaxArray, Params];
    const p1: Params = {};
    const m1: Params = {};
    const v1: Params = {};
    for (const k of keys) {
      const g = grads[k];
      const mk = m0[k].mul(beta1).add(g.ref.mul(1 - beta1));
      const vk = v0[k].mul(beta2).add(g.ref.mul(g).mul(1 - beta2));
      p1[k] = p0[k].sub(mk.ref.div(np.sqrt(vk.ref).add(epsilon)).mul(stepSize.ref));
      m1[k] = mk;
      v1[k] = vk;
    }
    stepSize.dispose();
    return [loss, p1, m1, v1] as [JaxArray, Params, Params, Params];
  });
  let t = 0;
  await blockUntilReady([x, y, p]);
  return {
    maxReps: 1,
    step: async () => {
      t++;
      // Adam's bias correction folded into the step size, as Keras and TensorFlow.js do.
      const stepSize = (ADAM.learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      const [loss, p1, m1, v1] = update(p, m, v, x.ref, y.ref, np.array(stepSize));
      p = p1;
      m = m1;
      v = v1;
      const values = await loss.data();
      return values[0];
    },
    dispose: () => {
      update.dispose();
      for (const tree of [p, m, v]) for (const k of keys) tree[k].dispose();
      x.dispose();
      y.dispose();
    },
  };
}

export const jax: Library = {
  id: 'jax',

  async init() {
    const devices = await init('webgpu');
    if (!devices.includes('webgpu')) throw new Error('jax-js found no webgpu device');
    defaultDevice('webgpu');
    const info = getWebGPUDevice().adapterInfo;
    const adapter = info ? ` on ${info.vendor}/${info.architecture}` : '';
    return `@jax-js/jax, device webgpu${adapter}`;
  },

  async matmul(n, a, b) {
    const ja = await upload(a, [n, n]);
    const jb = await upload(b, [n, n]);
    return opRunner([ja, jb], () => np.matmul(ja.ref, jb.ref));
  },

  async conv2d(x, w) {
    // jax-js convolves NCHW inputs with OIHW kernels (lax.conv_general_dilated); layouts are set up here, untimed.
    const { n, h, w: width, cin, cout, k } = CONV;
    const jx = await upload(moveAxis(x, [n, h, width, cin], [0, 3, 1, 2]), [n, cin, h, width]);
    const jw = await upload(moveAxis(w, [k, k, cin, cout], [3, 2, 0, 1]), [cout, cin, k, k]);
    return opRunner(
      [jx, jw],
      () => lax.convGeneralDilated(jx.ref, jw.ref, [1, 1], 'SAME'),
      (out) => moveAxis(out, [n, cout, h, width], [0, 2, 3, 1]),
    );
  },

  async chain(x, a, b, c) {
    const [jx, ja, jb, jc] = await Promise.all([x, a, b, c].map((v) => upload(v, [v.length])));
    return opRunner([jx, ja, jb, jc], () => nn.sigmoid(nn.relu(jx.ref.mul(ja.ref).add(jb.ref))).mul(jc.ref));
  },

  async chainJit(x, a, b, c) {
    const [jx, ja, jb, jc] = await Promise.all([x, a, b, c].map((v) => upload(v, [v.length])));
    const f = jit((u: JaxArray, p: JaxArray, q: JaxArray, r: JaxArray) =>
      nn.sigmoid(nn.relu(u.mul(p).add(q))).mul(r),
    );
    const runner = opRunner([jx, ja, jb, jc], () => f(jx.ref, ja.ref, jb.ref, jc.ref));
    return { ...runner, dispose: () => (runner.dispose(), f.dispose()) };
  },

  // jax-js steps are always jitted (as a jax user writes them): `jit` is ignored.
  async mlpStep(data: TrainBatch) {
    const params: Params = {
      w1: glorot([784, 128], 784, 128, 11),
      b1: np.zeros([128]),
      w2: glorot([128, 128], 128, 128, 12),
      b2: np.zeros([128]),
      w3: glorot([128, 10], 128, 10, 13),
      b3: np.zeros([10]),
    };
    const lossFn = (p: Params, x: JaxArray, y: JaxArray): JaxArray => {
      const h1 = nn.relu(np.matmul(x, p.w1).add(p.b1));
      const h2 = nn.relu(np.matmul(h1, p.w2).add(p.b2));
      return crossEntropy(np.matmul(h2, p.w3).add(p.b3), y, data.batch);
    };
    return trainRunner(
      params,
      lossFn,
      np.array(data.x, { shape: [data.batch, 784] }),
      np.array(data.y, { shape: [data.batch, 10] }),
    );
  },

  async cnnStep(data: TrainBatch) {
    const params: Params = {
      k1: glorot([32, 1, 3, 3], 9, 9 * 32, 21),
      c1: np.zeros([1, 32, 1, 1]),
      k2: glorot([64, 32, 3, 3], 9 * 32, 9 * 64, 22),
      c2: np.zeros([1, 64, 1, 1]),
      w: glorot([1600, 10], 1600, 10, 23),
      b: np.zeros([10]),
    };
    const pool = (t: JaxArray): JaxArray => lax.reduceWindow(t, (win) => np.max(win), [2, 2], [2, 2]);
    const lossFn = (p: Params, x: JaxArray, y: JaxArray): JaxArray => {
      const h1 = pool(nn.relu(lax.convGeneralDilated(x, p.k1, [1, 1], 'VALID').add(p.c1)));
      const h2 = pool(nn.relu(lax.convGeneralDilated(h1, p.k2, [1, 1], 'VALID').add(p.c2)));
      // Flatten channels-last, as Keras's Flatten after NHWC convolutions does.
      const flat = np.transpose(h2, [0, 2, 3, 1]).reshape([data.batch, 1600]);
      return crossEntropy(np.matmul(flat, p.w).add(p.b), y, data.batch);
    };
    // A single input channel: NHWC and NCHW hold the same values in the same order.
    return trainRunner(
      params,
      lossFn,
      np.array(data.x, { shape: [data.batch, 1, 28, 28] }),
      np.array(data.y, { shape: [data.batch, 10] }),
    );
  },
};
