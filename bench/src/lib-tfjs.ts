// TensorFlow.js adapter: the WebGPU backend with its default settings, eager ops and tf.layers models.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { CONV } from './data.ts';
import type { F32, Library, Runner, TrainBatch } from './types.ts';

/** Runs `op` `reps` times, keeps the last result and reads it back. */
async function runOp(op: () => tf.Tensor, reps: number): Promise<F32> {
  let last = op();
  for (let r = 1; r < reps; r++) {
    last.dispose();
    last = op();
  }
  const out = (await last.data()) as F32;
  last.dispose();
  return out;
}

function opRunner(inputs: tf.Tensor[], op: () => tf.Tensor): Runner {
  return {
    step: (reps) => runOp(op, reps),
    dispose: () => tf.dispose(inputs),
  };
}

function trainRunner(model: tf.LayersModel, data: TrainBatch, xShape: number[]): Runner {
  const x = tf.tensor(data.x, xShape);
  const y = tf.tensor2d(data.y, [data.batch, 10]);
  return {
    maxReps: 1,
    // trainOnBatch resolves to the loss as a number, read back from the GPU.
    step: async () => {
      const loss = await model.trainOnBatch(x, y);
      return Array.isArray(loss) ? loss[0] : loss;
    },
    dispose: () => {
      tf.dispose([x, y]);
      model.dispose();
    },
  };
}

export const tfjs: Library = {
  id: 'tfjs',

  async init() {
    if (!(await tf.setBackend('webgpu'))) throw new Error("tf.setBackend('webgpu') returned false");
    await tf.ready();
    const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
    const info = device?.adapterInfo;
    const adapter = info ? ` on ${info.vendor}/${info.architecture}` : '';
    return `@tensorflow/tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}${adapter}`;
  },

  async matmul(n, a, b) {
    const ta = tf.tensor2d(a, [n, n]);
    const tb = tf.tensor2d(b, [n, n]);
    return opRunner([ta, tb], () => tf.matMul(ta, tb));
  },

  async conv2d(x, w) {
    const tx = tf.tensor4d(x, [CONV.n, CONV.h, CONV.w, CONV.cin]);
    const tw = tf.tensor4d(w, [CONV.k, CONV.k, CONV.cin, CONV.cout]);
    return opRunner([tx, tw], () => tf.conv2d(tx, tw, 1, 'same'));
  },

  async chain(x, a, b, c) {
    const [tx, ta, tb, tc] = [x, a, b, c].map((v) => tf.tensor1d(v));
    return opRunner([tx, ta, tb, tc], () => tf.tidy(() => tf.sigmoid(tf.relu(tx.mul(ta).add(tb))).mul(tc)));
  },

  async mlpStep(data) {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }),
        tf.layers.dense({ units: 128, activation: 'relu' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    return trainRunner(model, data, [data.batch, 784]);
  },

  async cnnStep(data) {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    return trainRunner(model, data, [data.batch, 28, 28, 1]);
  },
};
