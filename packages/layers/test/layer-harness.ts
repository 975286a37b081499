// runLayerTest: the one harness every layer goes through (Keras's run_layer_test): shapes, weights, config round trip, a training step.
import { GradientTape, randomNormal, tidy, type Tensor } from '@webdl/core';
import { expect } from 'vitest';
import type { CallArgs, Layer, Shape } from '../src/engine/layer.js';
import { Input } from '../src/engine/input.js';
import type { SymbolicTensor } from '../src/engine/symbolic.js';
import { deserializeLayer } from '../src/registry.js';
// Every layer class, registered for deserializeLayer (as the package index does).
import '../src/layers/all.js';

/** What runLayerTest checks for one layer configuration. */
export interface LayerTestSpec {
  /** Makes a fresh layer (called twice: the layer under test and nothing else shares it). */
  make: () => Layer;
  /** Concrete input shape(s), batch included; a list of shapes for multi-input layers. */
  inputShape: number[] | number[][];
  /** Custom inputs (e.g. integer indices); default: standard normal float32 of inputShape. */
  inputs?: () => Tensor | Tensor[];
  /** Concrete output shape(s) for inputShape. */
  expectedOutputShape: number[] | number[][];
  /** Number of weight tensors (trainable plus non-trainable). */
  expectedWeights: number;
  /** Number of trainable weight tensors (default: all of them). */
  expectedTrainableWeights?: number;
  /** Total scalar parameter count, when worth checking. */
  expectedParams?: number;
  /** Extra per-call options for the training step (training: true is always set). */
  callArgs?: CallArgs;
  /** Skip the symbolic (functional API) application, e.g. for call options that change the output arity. */
  skipSymbolic?: boolean;
}

const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const isNested = (s: number[] | number[][]): s is number[][] => Array.isArray(s[0]);
const withNullBatch = (s: number[]): Shape => [null, ...s.slice(1)];

/**
 * Runs the standard checks on a layer configuration (inside vitest):
 * 1. eager output shape, and computeOutputShape with a concrete and with an unknown batch dimension;
 * 2. the symbolic application (Input → SymbolicTensor) gives the same shape with a null batch;
 * 3. weight count (trainable and total) and parameter count;
 * 4. getConfig → JSON → registry → new layer → same config, and same outputs once weights are copied;
 * 5. one training step (GradientTape, mean-square loss, SGD) changes every trainable weight and
 *    gives finite gradients; layers without weights pass a gradient to their (float) input.
 *
 * ```ts
 * await runLayerTest({ make: () => new Dense(3), inputShape: [2, 4], expectedOutputShape: [2, 3], expectedWeights: 2 });
 * ```
 */
export async function runLayerTest(spec: LayerTestSpec): Promise<void> {
  const layer = spec.make();
  const className = layer.getClassName();
  const inputs = spec.inputs
    ? spec.inputs()
    : isNested(spec.inputShape)
      ? spec.inputShape.map((s) => randomNormal(s, { seed: 7 }))
      : randomNormal(spec.inputShape, { seed: 7 });
  const inputList = asList(inputs);
  const expectedOut: number[][] = isNested(spec.expectedOutputShape)
    ? spec.expectedOutputShape
    : [spec.expectedOutputShape];

  // 1. Eager shapes and computeOutputShape.
  const y = layer.apply(inputs);
  expect(
    asList(y).map((t) => [...t.shape]),
    `${className}: eager output shape`,
  ).toEqual(expectedOut);
  const concreteShape: Shape | Shape[] = isNested(spec.inputShape)
    ? spec.inputShape.map((s) => [...s])
    : [...spec.inputShape];
  const nullShape: Shape | Shape[] = isNested(spec.inputShape)
    ? spec.inputShape.map(withNullBatch)
    : withNullBatch(spec.inputShape);
  const computed = layer.computeOutputShape(concreteShape);
  expect(
    isNested(spec.expectedOutputShape) ? computed : [computed],
    `${className}: computeOutputShape`,
  ).toEqual(expectedOut);
  const computedNull = layer.computeOutputShape(nullShape);
  expect(
    isNested(spec.expectedOutputShape) ? computedNull : [computedNull],
    `${className}: computeOutputShape with unknown batch`,
  ).toEqual(expectedOut.map(withNullBatch));

  // 2. Symbolic application on a fresh layer.
  if (!spec.skipSymbolic) {
    const symLayer = spec.make();
    const symIn = isNested(spec.inputShape)
      ? spec.inputShape.map((s, i) => new Input({ shape: s.slice(1), dtype: inputList[i].dtype }))
      : new Input({ shape: spec.inputShape.slice(1), dtype: inputList[0].dtype });
    const symOut = symLayer.apply(symIn as SymbolicTensor | SymbolicTensor[]);
    expect(
      asList(symOut).map((s) => s.shape),
      `${className}: symbolic output shape`,
    ).toEqual(expectedOut.map(withNullBatch));
    symLayer.dispose();
  }

  // 3. Weights.
  expect(layer.weights.length, `${className}: weight count`).toBe(spec.expectedWeights);
  expect(layer.trainableWeights.length, `${className}: trainable weight count`).toBe(
    spec.expectedTrainableWeights ?? spec.expectedWeights,
  );
  expect(layer.nonTrainableWeights.length).toBe(
    spec.expectedWeights - (spec.expectedTrainableWeights ?? spec.expectedWeights),
  );
  if (spec.expectedParams !== undefined)
    expect(layer.countParams(), `${className}: parameter count`).toBe(spec.expectedParams);

  // 4. Config round trip through JSON and the registry, then same outputs with the same weights.
  const config = layer.getConfig();
  const json = JSON.parse(JSON.stringify({ className, config })) as {
    className: string;
    config: Record<string, unknown>;
  };
  const clone = deserializeLayer(json);
  expect(clone.getClassName()).toBe(className);
  expect(JSON.parse(JSON.stringify(clone.getConfig())), `${className}: config round trip`).toEqual(
    json.config,
  );
  const yClone = clone.apply(inputs);
  clone.setWeights(layer.getWeights());
  const yClone2 = clone.apply(inputs);
  for (const [a, b] of asList(y).map((t, i) => [t, asList(yClone2)[i]] as const)) {
    expect(Array.from(await b.data()), `${className}: clone output`).toEqual(Array.from(await a.data()));
  }
  // Outputs may be the inputs themselves (identity layers), which are still needed.
  const disposeOutputs = (ts: Tensor[]) =>
    ts.filter((t) => !inputList.includes(t) && !t.isDisposed).forEach((t) => t.dispose());
  disposeOutputs([...asList(yClone), ...asList(yClone2)]);
  clone.dispose();

  // 5. One training step.
  const trainable = layer.trainableWeights;
  const before = await Promise.all(trainable.map((w) => w.data()));
  const floatInputs = inputList.filter((t) => t.dtype === 'float32');
  const tape = new GradientTape();
  if (trainable.length === 0) tape.watch(floatInputs);
  const loss = tape.record(() =>
    tidy(() => {
      const out = asList(layer.apply(inputs, { ...spec.callArgs, training: true }));
      return out.map((t) => t.square().mean()).reduce((a, b) => a.add(b));
    }),
  );
  expect(Number.isFinite(await loss.item()), `${className}: finite loss`).toBe(true);
  const sources = trainable.length > 0 ? trainable : floatInputs;
  const grads = tape.gradient(loss, sources);
  grads.forEach((g, i) => expect(g, `${className}: gradient ${i} is not null`).not.toBeNull());
  for (const g of grads) {
    const vals = await (g as Tensor).data();
    expect(
      vals.every((v) => Number.isFinite(v)),
      `${className}: finite gradients`,
    ).toBe(true);
  }
  trainable.forEach((w, i) => tidy(() => w.assignSub((grads[i] as Tensor).mul(0.1))));
  const after = await Promise.all(trainable.map((w) => w.data()));
  trainable.forEach((w, i) => {
    const changed = after[i].some((v, j) => v !== before[i][j]);
    expect(changed, `${className}: weight ${w.name} changed by the training step`).toBe(true);
  });
  for (const g of grads) g?.dispose();
  loss.dispose();
  disposeOutputs(asList(y));
  inputList.forEach((t) => t.dispose());
  layer.dispose();
}
