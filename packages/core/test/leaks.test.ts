// Leak reports: memory().byOp, profileMemory with creation sites, and the FinalizationRegistry safety net
// freeing storage of tensors garbage collected without dispose() (vitest runs with --expose-gc).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dl from '@webdl/core';
import { LeakTracker } from '../src/leaks.js';

const gc = (globalThis as { gc?: () => void }).gc;

/** Collects garbage until the safety net has freed `count` more tensors (finalizers run in later tasks). */
async function collectUntil(count: number): Promise<void> {
  for (let i = 0; i < 50 && dl.memory().collectedByGc < count; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lets earlier tests' garbage be collected first, so counts start from a quiet state. */
async function settleGarbage(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('leak reports', () => {
  // The test setup switches the net off for every other suite; these tests are about it.
  beforeAll(() => dl.setGcSafetyNet(true));
  afterAll(() => dl.setGcSafetyNet(false));

  it('the safety net is on by default', () => {
    expect(new LeakTracker(() => undefined).gcSafetyNet).toBe(true);
  });

  it('memory().byOp counts live tensors by the op that created them', async () => {
    await dl.setBackend('cpu');
    const before = dl.memory().byOp;
    const a = dl.tensor([1, 2, 3]);
    const b = a.square();
    const c = dl.matmul(dl.ones([2, 2]), dl.ones([2, 2]));
    const after = dl.memory().byOp;
    expect((after.square ?? 0) - (before.square ?? 0)).toBe(1);
    expect((after.matmul ?? 0) - (before.matmul ?? 0)).toBe(1);
    expect((after.upload ?? 0) - (before.upload ?? 0)).toBe(3);
    dl.dispose([a, b, c]);
    expect(dl.memory().byOp.square ?? 0).toBe(before.square ?? 0);
  });

  it('profileMemory lists what fn left alive, with the op and the call site in this file', async () => {
    const kept = dl.tensor([1]);
    const { leaked, report, result, numTensorsAfter, numTensorsBefore } = await dl.profileMemory(() => {
      const tmp = dl.tensor([1, 2]);
      const leak = tmp.mul(3); // never disposed
      tmp.dispose();
      dl.tidy(() => {
        kept.add(1); // freed by tidy: not a leak
      });
      return leak.shape.length;
    });
    expect(result).toBe(1);
    expect(numTensorsAfter - numTensorsBefore).toBe(1);
    expect(leaked).toHaveLength(1);
    expect(leaked[0]).toMatchObject({ op: 'mul', dtype: 'float32', shape: [2] });
    expect(leaked[0].site).toMatch(/leaks\.test\.ts:\d+:\d+/);
    expect(report).toMatch(/^float32 \[2\] made by mul at .*leaks\.test\.ts:\d+/);
    kept.dispose();
  });

  it('profileMemory works for async functions (a model-like loop)', async () => {
    const w = dl.variable(dl.zeros([3]));
    const { leaked } = await dl.profileMemory(async () => {
      for (let i = 0; i < 3; i++) {
        const g = dl.ones([3]);
        dl.tidy(() => w.assignSub(g.mul(0.1)));
        g.dispose();
        await new Promise((r) => setTimeout(r, 0));
      }
    });
    expect(leaked).toEqual([]);
    w.dispose();
  });

  it.runIf(gc)('the safety net frees the storage of tensors collected without dispose()', async () => {
    await settleGarbage();
    const start = dl.memory();
    (() => {
      for (let i = 0; i < 20; i++) dl.tensor(new Float32Array(1000)).add(1);
    })();
    expect(dl.memory().numTensors - start.numTensors).toBe(40);
    await collectUntil(start.collectedByGc + 40);
    const end = dl.memory();
    expect(end.collectedByGc - start.collectedByGc).toBe(40);
    expect(end.numTensors).toBe(start.numTensors);
    expect(end.numBytes).toBe(start.numBytes);
    expect(end.byOp.add ?? 0).toBe(start.byOp.add ?? 0);
  });

  it.runIf(gc)(
    'switched off, forgotten tensors stay counted (and disposed ones are never collected twice)',
    async () => {
      await settleGarbage();
      dl.setGcSafetyNet(false);
      const start = dl.memory();
      const held = dl.tensor([1, 2]);
      (() => {
        for (let i = 0; i < 5; i++) dl.tensor([i]);
      })();
      dl.setGcSafetyNet(true);
      const disposedOne = dl.tensor([7]);
      disposedOne.dispose();
      for (let i = 0; i < 5; i++) {
        gc?.();
        await new Promise((r) => setTimeout(r, 10));
      }
      const end = dl.memory();
      expect(end.collectedByGc).toBe(start.collectedByGc);
      expect(end.numTensors - start.numTensors).toBe(6);
      held.dispose();
    },
  );
});
