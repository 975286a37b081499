// The README's custom training loop and jit examples, run as written on the cpu backend, with the
// figures they should reach: the loop learns y = x0 + x1 + x2, the jitted step recovers w = [1, 2, 3].
import { expect, test } from 'vitest';
import * as dl from 'webdl';

test('README custom loop: tidy keeps memory flat and the loss falls', async () => {
  await dl.setBackend('cpu');
  const model = new dl.Sequential([new dl.layers.Dense(1, { inputShape: [3] })]);
  const opt = new dl.optimizers.Adam({ learningRate: 0.01 });
  const x = dl.randomNormal([32, 3], { seed: 1 });
  const y = x.sum(1, true);
  const losses: number[] = [];
  let before = 0;
  for (let step = 0; step < 100; step++) {
    const loss = dl.tidy(() => {
      const tape = new dl.GradientTape();
      const l = tape.record(() => model.apply(x).sub(y).square().mean());
      opt.applyGradients(tape.gradient(l, model.trainableWeights), model.trainableWeights);
      return l;
    });
    losses.push(await loss.item());
    loss.dispose();
    if (step === 1) before = dl.memory().numTensors;
  }
  expect(dl.memory().numTensors).toBe(before);
  expect(losses[99]).toBeLessThan(losses[0] * 0.8);
});

test('README jit example: the jitted SGD step recovers w = [1, 2, 3]', async () => {
  await dl.setBackend('cpu');
  const w = dl.variable(dl.zeros([3, 1]));
  const sgd = new dl.optimizers.SGD({ learningRate: 0.1 });
  const step = dl.jit((x: dl.Tensor, y: dl.Tensor) => {
    const tape = new dl.GradientTape();
    const loss = tape.record(() => x.matmul(w).sub(y).square().mean());
    sgd.applyGradients(tape.gradient(loss, [w]), [w]);
    return loss;
  });
  const xs = dl.randomNormal([64, 3], { seed: 2 });
  const ys = xs.matmul(dl.tensor([[1], [2], [3]]));
  for (let i = 0; i < 50; i++) (step(xs, ys) as dl.Tensor).dispose();
  const got = Array.from(await w.data());
  got.forEach((v, i) => expect(v).toBeCloseTo(i + 1, 2));
});
