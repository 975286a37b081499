// The bad-input catalogue: every row must throw an Error at the call whose message names the function or
// option the user called and the offending shapes or values, leak no tensor, and (for training calls)
// leave the model's weights and its optimizer's state exactly as they were.
import { describe, expect, it } from 'vitest';
import * as dl from '@webdl/core';
import { makeFixtures, trainingState, type Row } from './catalogue/fixtures.js';
import {
  CREATION,
  ELEMENTWISE,
  NN_OPS,
  REDUCTIONS,
  SHAPE_OPS,
  VARIABLES_TAPES,
} from './catalogue/cases-core.js';
import { APPLY, CONSTRUCTORS } from './catalogue/cases-layers.js';
import { CALLBACKS, IO, OPTIMIZERS, TRAINING } from './catalogue/cases-training.js';

const TABLES: Record<string, Row[]> = {
  elementwise: ELEMENTWISE,
  reductions: REDUCTIONS,
  'shape ops': SHAPE_OPS,
  'linear algebra and nn': NN_OPS,
  creation: CREATION,
  'variables and tapes': VARIABLES_TAPES,
  'layer constructors': CONSTRUCTORS,
  'layers applied': APPLY,
  'compile/fit/evaluate/predict': TRAINING,
  callbacks: CALLBACKS,
  optimizers: OPTIMIZERS,
  'loaders and savers': IO,
};

/** Number of rows in the catalogue (the README quotes it). */
export const CATALOGUE_SIZE = Object.values(TABLES).reduce((n, t) => n + t.length, 0);

describe(`bad-input catalogue (${CATALOGUE_SIZE} cases)`, () => {
  it('has at least 150 cases', () => {
    expect(CATALOGUE_SIZE).toBeGreaterThanOrEqual(150);
  });

  for (const [family, rows] of Object.entries(TABLES)) {
    describe(family, () => {
      it.each(rows)('%s', async (_name, call, message) => {
        await dl.setBackend('cpu');
        const { f, all, owned } = await makeFixtures();
        const state0 = await trainingState(f.model);
        const made0 = all().length;
        const before = dl.memory().numTensors;
        let error: unknown = null;
        try {
          await call(f);
        } catch (e) {
          error = e;
        }
        expect(error, 'the call did not throw').toBeInstanceOf(Error);
        expect((error as Error).message).toMatch(message);
        for (const l of owned) l.dispose();
        const madeByCase = all()
          .slice(made0)
          .filter((t) => !t.isDisposed).length;
        expect(dl.memory().numTensors - madeByCase, 'tensors leaked by the failed call').toBe(before);
        expect(await trainingState(f.model), 'weights or optimizer state changed').toEqual(state0);
        dl.dispose(all());
        f.model.dispose();
      });
    });
  }
});
