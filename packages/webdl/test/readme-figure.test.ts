// The figures the README's ten-line example prints, asserted where they are printed: the accuracy
// after 20 epochs on the cpu backend ('0.9921875 on the cpu backend') and the falling apple's 9.8.
import { expect, test } from 'vitest';
import * as dl from 'webdl';

test('README example on the cpu backend prints accuracy 0.9921875 and acceleration 9.8', async () => {
  await dl.setBackend('cpu');
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
  expect(history.history.accuracy.at(-1)).toBe(0.9921875);
  const time = dl.variable(3);
  const outer = new dl.GradientTape();
  const inner = new dl.GradientTape();
  const speed = outer.record(() =>
    inner.gradient(
      inner.record(() => time.square().mul(4.9)),
      time,
    )!,
  );
  const acceleration = outer.gradient(speed, time)!;
  expect(await acceleration.str()).toMatch(/^tensor\(9\.8, shape=\[\], dtype=float32\)/);
});
