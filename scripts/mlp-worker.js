// The fresh-app MLP browser app's module Worker (scripts/fresh-app.mjs builds it; scripts/bundle-report.mjs measures it).
import * as dl from 'webdl';

async function train() {
  await dl.ready(); // webgpu when an adapter exists, else cpu (says which once)
  const x = dl.randomNormal([128, 2], { seed: 1 });
  const y = x.sum(1, true).greater(0).cast('float32');
  const model = new dl.Sequential([
    new dl.layers.Dense(16, { activation: 'relu', inputShape: [2] }),
    new dl.layers.Dense(1, { activation: 'sigmoid' }),
  ]);
  model.compile({
    optimizer: new dl.optimizers.Adam({ learningRate: 0.05 }),
    loss: 'binary_crossentropy',
    metrics: ['accuracy'],
  });
  const h = await model.fit(x, y, { epochs: 10, batchSize: 32, verbose: 0 });
  return { backend: dl.getBackend(), loss: h.history.loss, accuracy: h.history.accuracy.at(-1) };
}

train().then(postMessage, (e) => postMessage({ error: String(e?.stack ?? e) }));
