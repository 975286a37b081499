// Fixtures of the bad-input catalogue: small tensors, a trained model, and the Case type the tables use.
import * as dl from '@webdl/core';
import type { Tensor, Variable } from '@webdl/core';
import { Sequential, layers, type Model } from '@webdl/layers';

/** Tensors and models a case may use; everything made here is freed by the runner, not counted as leaked. */
export interface Fx {
  a23: Tensor;
  v3: Tensor;
  i3: Tensor;
  b3: Tensor;
  s: Tensor;
  img: Tensor;
  e0: Tensor;
  /** A float32 [2] variable named 'w'. */
  w: Variable;
  /** x [4,3] and one-hot y [4,2] for the model. */
  x: Tensor;
  y: Tensor;
  /** Zeros made for one case. */
  z: (shape: number[], dtype?: dl.DType) => Tensor;
  /** Registers a layer made by the case; the runner disposes its weights before counting leaks. */
  own: <L extends { dispose(): void }>(layer: L) => L;
  /** A Sequential Dense(4, relu) -> Dense(2, softmax), compiled with Adam and trained one step. */
  model: Model;
}

/** One bad call: what the user calls, and the message it must throw. */
export interface Case {
  name: string;
  call: (f: Fx) => unknown;
  message: RegExp;
}

/** A case table entry as a tuple: [name, call, message]. */
export type Row = [string, (f: Fx) => unknown, RegExp];

/** Builds the fixtures (the model trained one step, so the optimizer has state). */
export async function makeFixtures(): Promise<{ f: Fx; all: () => Tensor[]; owned: { dispose(): void }[] }> {
  const made: Tensor[] = [];
  const owned: { dispose(): void }[] = [];
  const model = new Sequential([
    new layers.Dense(4, { activation: 'relu', inputShape: [3] }),
    new layers.Dense(2, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const x = dl.tensor([0.1, 0.2, 0.3, -1, 0.5, 2, 0, 1, -0.5, 0.3, 0.3, 0.3], [4, 3]);
  const y = dl.tensor([1, 0, 0, 1, 1, 0, 0, 1], [4, 2]);
  await model.trainOnBatch(x, y);
  const f: Fx = {
    a23: dl.tensor([1, 2, 3, 4, 5, 6], [2, 3]),
    v3: dl.tensor([1, 2, 3]),
    i3: dl.tensor([1, 2, 3], [3], 'int32'),
    b3: dl.tensor([true, false, true]),
    s: dl.scalar(1),
    img: dl.zeros([1, 4, 4, 1]),
    e0: dl.zeros([0]),
    w: dl.variable(dl.zeros([2]), { name: 'w' }),
    x,
    y,
    z(shape, dtype) {
      const t = dl.zeros(shape, dtype);
      made.push(t);
      return t;
    },
    own(layer) {
      owned.push(layer);
      return layer;
    },
    model,
  };
  const all = () => [f.a23, f.v3, f.i3, f.b3, f.s, f.img, f.e0, f.w, f.x, f.y, ...made];
  return { f, all, owned };
}

/** Host copies of the model's weights and its optimizer's state (slot values and step count). */
export async function trainingState(model: Model): Promise<{ values: number[][]; iterations: number }> {
  const opt = model.compiled?.optimizer;
  const vars = [...model.weights, ...(opt?.variables ?? [])];
  const values = await Promise.all(vars.map(async (v) => Array.from(await v.data())));
  return { values, iterations: opt?.iterations ?? -1 };
}
