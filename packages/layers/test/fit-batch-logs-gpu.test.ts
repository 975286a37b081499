// fit's per-batch logs on WebGPU (Dawn in Node): the shared suite (fit-batch-logs-suite.ts), and the
// backend's own counters showing that no batch waits for its own readback.
import '../../webgpu/test/node-gpu.js';
import { ENGINE, getBackend, setBackend, tensor } from '@webdl/core';
import { registerWebGPU } from '@webdl/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { setRandomSeed } from '../src/initializers.js';
import { Dense } from '../src/layers/dense.js';
import { Sequential } from '../src/models/sequential.js';
import { fitBatchLogsSuite } from './fit-batch-logs-suite.js';

registerWebGPU();
beforeAll(async () => {
  await setBackend('webgpu');
  expect(getBackend()).toBe('webgpu');
});
fitBatchLogsSuite('webgpu, Node', 1e-6);

interface Counted {
  dispatchCount: number;
  submitCount: number;
  read(...args: unknown[]): Promise<unknown>;
  sync(): Promise<void>;
}

describe('fit on WebGPU does not wait for a readback per batch', () => {
  for (const jitCompile of [true, false]) {
    it(`step k+1 is submitted before fit waits for batch k's logs (jitCompile ${jitCompile})`, async () => {
      const backend = ENGINE.backend as unknown as Counted;
      expect(typeof backend.submitCount).toBe('number');
      setRandomSeed(3);
      const model = new Sequential([
        new Dense(16, { activation: 'relu', inputShape: [6] }),
        new Dense(3, { activation: 'softmax' }),
      ]);
      model.compile({
        optimizer: 'adam',
        loss: 'categorical_crossentropy',
        metrics: ['accuracy'],
        jitCompile,
      });
      const n = 48;
      const x = tensor(
        Array.from({ length: n * 6 }, (_, i) => Math.sin(i)),
        [n, 6],
      );
      const y = tensor(
        Array.from({ length: n * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)),
        [n, 3],
      );
      const logSize = 2; // loss, accuracy: the stacked per-batch read
      // Each read of the stacked logs: the backend's counters when it starts.
      const reads: { dispatches: number; submits: number }[] = [];
      let syncs = 0;
      const read = backend.read.bind(backend);
      const sync = backend.sync.bind(backend);
      backend.read = (...args: unknown[]) => {
        if (args[2] === logSize)
          reads.push({ dispatches: backend.dispatchCount, submits: backend.submitCount });
        return read(...args);
      };
      backend.sync = () => {
        syncs++;
        return sync();
      };
      // At each onBatchEnd(k): which read was batch k's, and the counters when fit hands its logs over.
      const ends: { read: number; dispatches: number; submits: number }[][] = [];
      let epochReads = 0;
      try {
        await model.fit(x, y, {
          epochs: 2,
          batchSize: 8,
          shuffle: false,
          verbose: 0,
          callbacks: [
            {
              onEpochBegin: () => {
                epochReads = reads.length;
                ends.push([]);
              },
              onBatchEnd: (b: number) => {
                ends.at(-1)?.push({
                  read: epochReads + b,
                  dispatches: backend.dispatchCount,
                  submits: backend.submitCount,
                });
              },
            },
          ],
        });
      } finally {
        backend.read = read;
        backend.sync = sync;
        model.dispose();
        x.dispose();
        y.dispose();
      }
      expect(ends.map((e) => e.length)).toEqual([6, 6]);
      expect(syncs).toBe(0);
      for (const epoch of ends) {
        // Batches 0..4: when their logs reach onBatchEnd, the next step's kernels were recorded and
        // submitted after their read started: the device had work queued while the read was pending.
        const overlapped = epoch.filter(
          (e) => e.dispatches > reads[e.read].dispatches && e.submits > reads[e.read].submits,
        );
        expect(overlapped.length).toBe(epoch.length - 1);
        // Only the epoch's last batch waits on an idle queue (its logs are read with the epoch's).
        const last = epoch.at(-1);
        expect(last && last.dispatches).toBe(last && reads[last.read].dispatches);
      }
      // One stacked read per batch plus one for the epoch logs: never a second, blocking one.
      expect(reads.length).toBe(2 * (6 + 1));
    });
  }

  it('evaluate of 6 batches reads its accumulated loss and metric once, with no sync', async () => {
    const backend = ENGINE.backend as unknown as Counted;
    setRandomSeed(3);
    const model = new Sequential([new Dense(3, { activation: 'softmax', inputShape: [6] })]);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const x = tensor(
      Array.from({ length: 48 * 6 }, (_, i) => Math.sin(i)),
      [48, 6],
    );
    const y = tensor(
      Array.from({ length: 48 * 3 }, (_, i) => (i % 3 === 0 ? 1 : 0)),
      [48, 3],
    );
    const read = backend.read.bind(backend);
    const sync = backend.sync.bind(backend);
    let [reads, syncs] = [0, 0];
    backend.read = (...args: unknown[]) => (reads++, read(...args));
    backend.sync = () => (syncs++, sync());
    const before = backend.dispatchCount;
    let result: number[];
    try {
      result = (await model.evaluate(x, y, { batchSize: 8 })) as number[];
    } finally {
      backend.read = read;
      backend.sync = sync;
    }
    expect(result).toHaveLength(2);
    expect(backend.dispatchCount - before).toBeGreaterThan(6);
    expect([reads, syncs]).toEqual([1, 0]);
    model.dispose();
    x.dispose();
    y.dispose();
  });
});
