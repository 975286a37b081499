// A config claiming huge weights is refused before allocating them (the hostile-files mutator found an
// artifacts file whose batchInputShape [1e9, ...] had loadModel allocate and initialize 16 GB for 3 minutes).
import * as dl from '@webdl/core';
import { Sequential, io, layers, loadModel, type ModelArtifacts } from '@webdl/layers';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

async function small() {
  const m = new Sequential([new layers.Dense(4, { inputShape: [3] }), new layers.Dense(2)]);
  (await m.predict(dl.ones([1, 3]))).dispose();
  return m;
}

describe('weights a loaded config may create are bounded by the file', () => {
  it('artifacts: a 1e9-wide input is refused fast, naming the weight, with nothing leaked', async () => {
    await dl.setBackend('cpu');
    const m = await small();
    const art = (await m.save()) as ModelArtifacts;
    const topo = JSON.parse(
      JSON.stringify(art.modelTopology).replace(
        /"batchInputShape":\[null,3\]/g,
        '"batchInputShape":[null,1000000000]',
      ),
    );
    expect(JSON.stringify(topo)).toContain('1000000000');
    const before = dl.memory().numTensors;
    const t0 = performance.now();
    await expect(loadModel({ ...art, modelTopology: topo })).rejects.toThrow(
      /loadModel: the config asks for weight '.*kernel' of shape \[1000000000,4\] \(16000000000 bytes\), more than the file's \d+ bytes of weights could hold/,
    );
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(dl.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('.keras: the same in config.json is refused; the unmodified file still loads', async () => {
    await dl.setBackend('cpu');
    const m = await small();
    const bytes = await io.toKeras(m);
    const loaded = await loadModel(bytes);
    loaded.dispose();
    const entries = unzipSync(bytes);
    const config = strFromU8(entries['config.json']).replace(
      /"batch_(input_)?shape": ?\[null, ?3\]/g,
      '"batch_$1shape":[null,1000000000]',
    );
    expect(config).toContain('1000000000');
    const hostile = zipSync({ ...entries, 'config.json': strToU8(config) });
    await expect(loadModel(hostile)).rejects.toThrow(
      /model\.keras: the config asks for weight .* more than the file's \d+ bytes/,
    );
    m.dispose();
  });
});
