// webdl training steps: @webdl/layers Sequential models compiled with Adam (jitCompile true or false), one trainOnBatch per step.
import * as dl from '@webdl/core';
import * as L from '@webdl/layers';
import { NotYetError, type Runner, type TrainBatch } from './types.ts';
import { settleWebdl } from './webdl-settle.ts';

/** What this file needs of @webdl/layers (api.md), checked at run time while the package is being written. */
interface LayersApi {
  Sequential: new (layers: unknown[]) => Model;
  layers: {
    Flatten: new (options?: object) => unknown;
    Dense: new (units: number, options?: object) => unknown;
    Conv2D: new (filters: number, kernelSize: number, options?: object) => unknown;
    MaxPooling2D: new (poolSize: number, options?: object) => unknown;
  };
}

interface Model {
  compile(config: { optimizer: string; loss: string; jitCompile: boolean }): void;
  trainOnBatch(x: dl.Tensor, y: dl.Tensor): Promise<unknown>;
  dispose?(): void;
}

function layersApi(): LayersApi {
  const api = L as unknown as Partial<LayersApi>;
  if (typeof api.Sequential !== 'function' || typeof api.layers?.Dense !== 'function') {
    throw new NotYetError('@webdl/layers does not export Sequential and layers.Dense yet');
  }
  return api as LayersApi;
}

/** The loss of whatever trainOnBatch resolves to: a number, [loss, ...metrics], or a scalar tensor. */
async function lossOf(result: unknown): Promise<number> {
  const first = Array.isArray(result) ? (result[0] as unknown) : result;
  if (typeof first === 'number') return first;
  if (first instanceof dl.Tensor) {
    const values = await first.data();
    first.dispose();
    return values[0];
  }
  throw new Error(`trainOnBatch resolved to ${String(first)}, not a loss`);
}

function trainRunner(model: Model, data: TrainBatch, xShape: number[], jit: boolean): Runner {
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', jitCompile: jit });
  const x = dl.tensor(data.x, xShape);
  const y = dl.tensor(data.y, [data.batch, 10]);
  // The trainer's counts (compiled-step.ts): a step ran compiled when its compiled count grew (a
  // first call traced without computing runs compiled too), or, where no such count exists, when
  // it did not trace.
  type Steps = { traceCounts?(): { train: number }; compiledCounts?(): { train: number } };
  const steps = () => (model as { compiled?: { steps?: Steps } }).compiled?.steps;
  const counts = () => ({
    traces: steps()?.traceCounts?.().train ?? 0,
    compiled: steps()?.compiledCounts?.().train,
  });
  let replayed = false;
  return {
    maxReps: 1,
    settle: settleWebdl,
    step: async () => {
      const before = counts();
      const loss = await lossOf(await model.trainOnBatch(x, y));
      const after = counts();
      replayed =
        jit &&
        (after.compiled !== undefined && before.compiled !== undefined
          ? after.compiled > before.compiled
          : after.traces === before.traces);
      return loss;
    },
    ranCompiled: () => replayed,
    dispose: () => {
      x.dispose();
      y.dispose();
      model.dispose?.();
    },
  };
}

/** One step of the 784-128-128-10 MLP (Dense relu x2, Dense softmax); weights are built from the first batch. */
export function mlpStep(data: TrainBatch, jit: boolean): Runner {
  const { Sequential, layers } = layersApi();
  const model = new Sequential([
    new layers.Dense(128, { activation: 'relu' }),
    new layers.Dense(128, { activation: 'relu' }),
    new layers.Dense(10, { activation: 'softmax' }),
  ]);
  return trainRunner(model, data, [data.batch, 784], jit);
}

/** One step of the small CNN: Conv2D 32, MaxPooling2D, Conv2D 64, MaxPooling2D, Flatten, Dense 10. */
export function cnnStep(data: TrainBatch, jit: boolean): Runner {
  const { Sequential, layers } = layersApi();
  const model = new Sequential([
    new layers.Conv2D(32, 3, { activation: 'relu' }),
    new layers.MaxPooling2D(2),
    new layers.Conv2D(64, 3, { activation: 'relu' }),
    new layers.MaxPooling2D(2),
    new layers.Flatten(),
    new layers.Dense(10, { activation: 'softmax' }),
  ]);
  return trainRunner(model, data, [data.batch, 28, 28, 1], jit);
}
