// The README's ten-line example, run as written (on whichever backend `webdl` picks).
import { expect, test } from 'vitest';
import * as dl from 'webdl';

test('README example: a tiny classifier learns and the falling apple accelerates at 9.8', async () => {
  dl.setRandomSeed(1);
  const x = dl.randomNormal([256, 2], { seed: 1 });
  const y = x.sum(1, true).greater(0).cast('float32');
  const model = new dl.Sequential([
    new dl.layers.Dense(8, { activation: 'relu', inputShape: [2] }),
    new dl.layers.Dense(1, { activation: 'sigmoid' }),
  ]);
  model.compile({
    optimizer: new dl.optimizers.Adam({ learningRate: 0.03 }),
    loss: 'binary_crossentropy',
    metrics: ['accuracy'],
  });
  const history = await model.fit(x, y, { epochs: 20, batchSize: 32, verbose: 0 });
  console.log(history.history.accuracy.at(-1));
  const time = dl.variable(3),
    outer = new dl.GradientTape(),
    inner = new dl.GradientTape();
  const speed = outer.record(() =>
    inner.gradient(
      inner.record(() => time.square().mul(4.9)),
      time,
    )!,
  );
  const acceleration = outer.gradient(speed, time)!;
  await acceleration.print(); // tensor(9.8, shape=[], dtype=float32)

  expect(history.history.accuracy.at(-1)).toBeGreaterThan(0.9);
  expect(await acceleration.item()).toBeCloseTo(9.8, 5);
});
