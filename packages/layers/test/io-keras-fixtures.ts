// Shared by the .keras fixture suites: the files real Keras 3.15.1 wrote and what it predicted on fixed inputs.
import { readFileSync } from 'node:fs';
import { tensor, type Tensor } from '@webdl/core';
import { expect } from 'vitest';

const DIR = new URL('./fixtures/keras/', import.meta.url);

interface Arr {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: number[];
}
/** One fixture: file name, inputs, Keras's outputs, tolerance and parameter count. */
export interface KerasFixture {
  file: string;
  input: Arr | Arr[];
  outputs: Arr[];
  tol: number;
  params: number;
}

/** expected.json's models by name. */
export const fixtures = (
  JSON.parse(readFileSync(new URL('expected.json', DIR), 'utf8')) as { models: Record<string, KerasFixture> }
).models;

/** The bytes of a fixture file. */
export function fixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(file, DIR)));
}

/** A fixture's inputs as tensors (one, or one per model input). */
export function fixtureInputs(f: KerasFixture): Tensor | Tensor[] {
  const make = (a: Arr) => tensor(a.data, a.shape, a.dtype);
  return Array.isArray(f.input) ? f.input.map(make) : make(f.input);
}

/** Checks predictions against what Keras predicted, elementwise within the fixture's tolerance. */
export async function expectKerasOutputs(out: Tensor | Tensor[], f: KerasFixture): Promise<void> {
  const outs = Array.isArray(out) ? out : [out];
  expect(outs.length).toBe(f.outputs.length);
  for (let i = 0; i < outs.length; i++) {
    expect(outs[i].shape).toEqual(f.outputs[i].shape);
    const got = await outs[i].data();
    const want = f.outputs[i].data;
    let worst = 0;
    for (let j = 0; j < want.length; j++) worst = Math.max(worst, Math.abs(got[j] - want[j]));
    expect(worst).toBeLessThanOrEqual(f.tol);
  }
}
