// Backend-agnostic seed examples (Deep Learning with Python, listings 3.10-3.21), y = 2x + 6 by SGD,
// and a leak check: 200 taped training steps keep memory() flat.
import * as dl from '@webdl/core';
import { GradientTape, scalar, tensor, variable, type Tensor, type Variable } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';

/** n samples of N(mean, cov) from seeded standard normals z: mean + z·Lᵀ with L the Cholesky factor of cov. */
export function multivariateNormal(
  n: number,
  mean: [number, number],
  cov: [[number, number], [number, number]],
  seed: number,
): Tensor {
  const l11 = Math.sqrt(cov[0][0]);
  const l21 = cov[1][0] / l11;
  const l22 = Math.sqrt(cov[1][1] - l21 * l21);
  return dl.tidy(() =>
    dl
      .randomNormal([n, 2], { seed })
      .matmul(
        tensor([
          [l11, l21],
          [0, l22],
        ]),
      )
      .add(tensor(mean)),
  );
}

/** The two point clouds of listings 3.13-3.15: inputs [2n, 2] and targets [2n, 1]. */
export function twoClouds(n: number, seed = 1): { inputs: Tensor; targets: Tensor } {
  const cov: [[number, number], [number, number]] = [
    [1, 0.5],
    [0.5, 1],
  ];
  return dl.tidy(() => ({
    inputs: dl.concat([
      multivariateNormal(n, [0, 3], cov, seed),
      multivariateNormal(n, [3, 0], cov, seed + 1),
    ]),
    targets: dl.concat([dl.zeros([n, 1]), dl.ones([n, 1])]),
  }));
}

/** Listing 3.20: one full-batch step of the linear classifier; returns the loss. */
function trainingStep(W: Variable, b: Variable, inputs: Tensor, targets: Tensor, lr: number): Tensor {
  const tape = new GradientTape();
  const loss = tape.record(() => inputs.matmul(W).add(b).sub(targets).square().mean());
  const [gW, gb] = tape.gradient(loss, [W, b]);
  dl.tidy(() => {
    W.assignSub((gW as Tensor).mul(lr));
    b.assignSub((gb as Tensor).mul(lr));
  });
  dl.dispose([gW as Tensor, gb as Tensor]);
  return loss;
}

/** Registers the seed examples and the leak test for a backend. */
export function listingsSuite(backend: string): void {
  describe(`seed examples on ${backend}`, () => {
    beforeAll(async () => {
      await dl.setBackend(backend);
    });

    it('listing 3.10: gradient of the square of a Variable', async () => {
      const inputVar = variable(3);
      const tape = new GradientTape();
      const result = tape.record(() => dl.square(inputVar));
      expect(await tape.gradient(result, inputVar)?.item()).toBe(6);
    });

    it('listing 3.11: gradient of a watched constant', async () => {
      const inputConst = scalar(3);
      const tape = new GradientTape();
      tape.watch(inputConst);
      const result = tape.record(() => dl.square(inputConst));
      expect(await tape.gradient(result, inputConst)?.item()).toBe(6);
    });

    it('listing 3.12: the falling apple accelerates at 9.8', async () => {
      for (const t0 of [0, 3]) {
        const time = variable(t0);
        const outer = new GradientTape();
        const inner = new GradientTape();
        const speed = outer.record(() =>
          inner.gradient(
            inner.record(() => time.square().mul(4.9)),
            time,
          ),
        );
        expect(await speed?.item()).toBeCloseTo(9.8 * t0, 5);
        expect(await outer.gradient(speed as Tensor, time)?.item()).toBeCloseTo(9.8, 5);
      }
    });

    it('listings 3.13-3.21: linear classifier on two Gaussian clouds (loss < 0.04, accuracy > 0.99)', async () => {
      const { inputs, targets } = twoClouds(1000);
      expect(inputs.shape).toEqual([2000, 2]);
      const W = variable(dl.randomUniform([2, 1], { seed: 3 }));
      const b = variable(dl.zeros([1]));
      const losses: number[] = [];
      for (let step = 0; step < 40; step++) {
        const loss = trainingStep(W, b, inputs, targets, 0.1);
        losses.push(await loss.item());
        loss.dispose();
      }
      const predictions = inputs.matmul(W).add(b);
      const accuracy = await predictions
        .greater(0.5)
        .cast('float32')
        .equal(targets)
        .cast('float32')
        .mean()
        .item();
      expect(losses[39]).toBeLessThan(0.04);
      expect(losses[39]).toBeLessThan(losses[0]);
      expect(accuracy).toBeGreaterThan(0.99);
    });

    it('learns y = 2x + 6 with plain SGD on a scalar model', async () => {
      const m = variable(1, { name: 'm-slope-coefficient' });
      const b = variable(1, { name: 'b-intercept' });
      const xs = await dl.randomUniform([600], { seed: 11 }).data();
      for (const x of xs) {
        dl.tidy(() => {
          const y = 2 * x + 6;
          const tape = new GradientTape();
          const error = tape.record(() => m.mul(x).add(b).sub(y).square());
          const [gm, gb] = tape.gradient(error, [m, b]) as Tensor[];
          m.assignSub(gm.mul(0.1));
          b.assignSub(gb.mul(0.1));
        });
      }
      expect(Math.abs((await m.item()) - 2)).toBeLessThan(0.05);
      expect(Math.abs((await b.item()) - 6)).toBeLessThan(0.05);
    });

    it('200 taped training steps keep memory() flat', async () => {
      const { inputs, targets } = twoClouds(100, 5);
      const W = variable(dl.randomUniform([2, 1], { seed: 4 }));
      const b = variable(dl.zeros([1]));
      const hidden = variable(dl.randomNormal([2, 2], { seed: 6 }));
      // The usual loop: forward intermediates are freed by tidy, the tape's saved tensors by gradient().
      const step = () =>
        dl.tidy(() => {
          const tape = new GradientTape();
          const loss = tape.record(() =>
            dl.softplus(inputs.matmul(hidden)).matmul(W).add(b).sub(targets).square().mean(),
          );
          const grads = tape.gradient(loss, [W, b, hidden]) as Tensor[];
          grads.forEach((g, i) => [W, b, hidden][i].assignSub(g.mul(0.05)));
        });
      for (let i = 0; i < 10; i++) step();
      const before = dl.memory();
      for (let i = 0; i < 200; i++) step();
      const after = dl.memory();
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numBytes).toBe(before.numBytes);
      expect(after.numDataBuffers).toBe(before.numDataBuffers);
    });

    it('nested and persistent tapes (a gradient penalty step) keep memory() flat', async () => {
      const x = dl.randomNormal([8, 1, 4, 2], { seed: 9 });
      const w = variable(dl.randomNormal([2, 2, 2, 3], { seed: 10 }).mul(0.3));
      const step = () =>
        dl.tidy(() => {
          const outer = new GradientTape();
          const penalty = outer.record(() => {
            const inner = new GradientTape({ persistent: true });
            inner.watch(x);
            const y = inner.record(() =>
              dl.maxPool(dl.conv2d(x, w, { padding: 'same' }).tanh(), [1, 2]).sum(),
            );
            const gx = inner.gradient(y, x) as Tensor;
            inner.gradient(y, w);
            inner.dispose();
            return gx.square().sum();
          });
          w.assignSub((outer.gradient(penalty, w) as Tensor).mul(1e-3));
        });
      for (let i = 0; i < 5; i++) step();
      const before = dl.memory();
      for (let i = 0; i < 50; i++) step();
      const after = dl.memory();
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numBytes).toBe(before.numBytes);
    });
  });
}
