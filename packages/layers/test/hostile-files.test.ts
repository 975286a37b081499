// Hostile files: seeded mutations of every loader's formats (webdl artifacts, safetensors, TF.js
// model.json + weights, Keras .keras and legacy .h5). Each file is refused with an Error, or loads a
// model whose predictions are finite, within 2 s, with no prototype pollution.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as dl from '@webdl/core';
import {
  Sequential,
  decodeSafetensors,
  io,
  layers,
  loadModel,
  type Model,
  type ModelArtifacts,
} from '@webdl/layers';
import { describe, expect, it } from 'vitest';
import { mutateBytes, mutateH5, mutateJson, mutateKeras, rng } from './hostile/mutate.js';

const FILES = Number(process.env.HOSTILE_FILES ?? 1200);
const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/keras/${name}`, import.meta.url))));

interface Tally {
  files: number;
  refused: number;
  loaded: number;
  byFormat: Record<string, number>;
  slowest: number;
}

async function predictFinite(m: Model): Promise<void> {
  const shape = (m.inputs?.[0]?.shape ?? [null, 3]).map((d) => d ?? 2);
  const y = await m.predict(dl.ones(shape));
  const outs = Array.isArray(y) ? y : [y];
  for (const o of outs) {
    const v = await o.data();
    o.dispose();
    if (!v.every(Number.isFinite)) throw new Error(`a loaded model predicts non-finite values`);
  }
}

describe('hostile files', () => {
  it(`${FILES} mutated model files: each refused with an Error or loaded with finite predictions, in < 2 s`, async () => {
    await dl.setBackend('cpu');
    const model = new Sequential([
      new layers.Dense(4, { activation: 'relu', inputShape: [3] }),
      new layers.Dense(2, { activation: 'softmax' }),
    ]);
    model.predict(dl.ones([1, 3]));
    const art = (await model.save()) as ModelArtifacts;
    const topo = JSON.stringify(art.modelTopology);
    const weights = new Uint8Array(art.weightData as ArrayBuffer);
    const tfjs = await io.toTfjs(model);
    const tfjsJson = typeof tfjs.modelJson === 'string' ? tfjs.modelJson : JSON.stringify(tfjs.modelJson);
    const tfjsWeights = new Uint8Array(tfjs.weightData as ArrayBuffer);
    const kerasFiles = [await io.toKeras(model), fixture('dense_seq.keras')];
    const h5 = fixture('dense_seq_legacy.h5');

    const r = rng(2026);
    const tally: Tally = { files: 0, refused: 0, loaded: 0, byFormat: {}, slowest: 0 };
    const protoKeys = Object.getOwnPropertyNames(Object.prototype).join();
    const kinds: [string, () => [string, () => Promise<unknown>]][] = [
      [
        'artifacts',
        () => {
          if (r() < 0.5) {
            const [what, text] = mutateJson(r, topo);
            return [what, () => loadModel({ ...art, modelTopology: JSON.parse(text) })];
          }
          const [what, bytes] = mutateBytes(r, weights);
          return [what, () => loadModel({ ...art, weightData: bytes.buffer as ArrayBuffer })];
        },
      ],
      [
        'safetensors',
        () => {
          const [what, bytes] = mutateBytes(r, weights);
          return [
            what,
            async () => {
              const { arrays } = decodeSafetensors(bytes);
              for (const a of arrays)
                if (a.data.length !== a.shape.reduce((x, y) => x * y, 1)) throw new Error('inconsistent');
              return loadModel({ ...art, weightData: bytes.buffer as ArrayBuffer });
            },
          ];
        },
      ],
      [
        'tfjs',
        () => {
          if (r() < 0.5) {
            const [what, text] = mutateJson(r, tfjsJson);
            return [what, () => loadModel({ modelJson: text, weightData: tfjsWeights.buffer } as never)];
          }
          const [what, bytes] = mutateBytes(r, tfjsWeights);
          return [what, () => loadModel({ modelJson: tfjsJson, weightData: bytes.buffer } as never)];
        },
      ],
      [
        'keras',
        () => {
          const [what, bytes] = mutateKeras(r, kerasFiles[Math.floor(r() * 2)]);
          return [what, () => loadModel(bytes)];
        },
      ],
      // Byte flips, truncation, overwrites and size lies (io/h5-guard.ts refuses the heap lies that
      // made h5wasm's HDF5 loop forever).
      [
        'h5',
        () => {
          const [what, bytes] = mutateH5(r, h5);
          return [what, () => loadModel(bytes)];
        },
      ],
    ];
    for (let i = 0; i < FILES; i++) {
      const [format, make] = kinds[i % kinds.length];
      const [what, load] = make();
      const t0 = performance.now();
      let loaded: unknown = null;
      try {
        loaded = await load();
        await predictFinite(loaded as Model);
        tally.loaded++;
      } catch (e) {
        expect(e, `${format} ${what}: threw a non-Error`).toBeInstanceOf(Error);
        expect((e as Error).message, `${format} ${what}`).not.toMatch(/a loaded model predicts non-finite/);
        tally.refused++;
      } finally {
        (loaded as Model | null)?.dispose?.();
      }
      const ms = performance.now() - t0;
      tally.slowest = Math.max(tally.slowest, ms);
      expect(ms, `${format} ${what} took ${ms} ms`).toBeLessThan(2000);
      expect(
        Object.getOwnPropertyNames(Object.prototype).join(),
        `${format} ${what}: prototype polluted`,
      ).toBe(protoKeys);
      expect(
        ({} as { polluted?: unknown }).polluted,
        `${format} ${what}: prototype polluted`,
      ).toBeUndefined();
      tally.files++;
      tally.byFormat[format] = (tally.byFormat[format] ?? 0) + 1;
    }
    console.log(`hostile files: ${JSON.stringify(tally)}`);
    expect(tally.files).toBe(FILES);
    model.dispose();
  }, 600_000);
});
