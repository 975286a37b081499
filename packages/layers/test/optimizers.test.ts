// Optimizers against hand-computed updates (one or two steps), schedules, clipping and name resolution.
import { setBackend, tensor, variable, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { optimizers } from '../src/index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const W0 = [1, 2, -3];
const G = [0.5, -1, 2];

/** Runs `steps` updates with the constant gradient G from W0; returns the variable's values. */
async function run(opt: optimizers.Optimizer, steps: number, grads: number[][] = []): Promise<number[]> {
  const w = variable(tensor(W0));
  for (let s = 0; s < steps; s++) {
    const g = tensor(grads[s] ?? G);
    opt.applyGradients([g], [w]);
    g.dispose();
  }
  const out = Array.from(await w.data());
  w.dispose();
  opt.dispose();
  return out;
}

function close(actual: number[], expected: number[], tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThan(tol));
}

/** Element-wise reference: state per element, update function (w, g, state, t) → w. */
function reference(
  steps: number,
  init: () => Record<string, number>,
  update: (w: number, g: number, s: Record<string, number>, t: number) => number,
): number[] {
  return W0.map((w0, i) => {
    const s = init();
    let w = w0;
    for (let t = 1; t <= steps; t++) w = update(w, G[i], s, t);
    return w;
  });
}

describe('optimizers vs hand-computed updates', () => {
  it('SGD plain: w - lr·g', async () => {
    close(await run(new optimizers.SGD({ learningRate: 0.1 }), 1), [0.95, 2.1, -3.2]);
  });

  it('SGD with momentum, two steps', async () => {
    // m1 = -0.1g, w1 = w0 + m1; m2 = 0.9·m1 - 0.1g = -0.19g, w2 = w1 + m2 = w0 - 0.29g.
    close(
      await run(new optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }), 2),
      W0.map((w, i) => w - 0.29 * G[i]),
    );
  });

  it('SGD with Nesterov momentum, two steps', async () => {
    // step 1: m1 = -0.1g, w += 0.9·m1 - 0.1g = -0.19g; step 2: m2 = -0.19g, w += 0.9·m2 - 0.1g = -0.271g.
    close(
      await run(new optimizers.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }), 2),
      W0.map((w, i) => w - 0.461 * G[i]),
    );
  });

  it('Adam: the first step moves each weight by about lr against the gradient sign', async () => {
    close(
      await run(new optimizers.Adam({ learningRate: 0.01 }), 1),
      W0.map((w, i) => w - 0.01 * Math.sign(G[i])),
      1e-5,
    );
  });

  it('Adam, two steps with different gradients', async () => {
    const g2 = [-1, 0.25, 3];
    const got = await run(new optimizers.Adam({ learningRate: 0.01 }), 2, [G, g2]);
    const expected = W0.map((w0, i) => {
      let m = 0;
      let u = 0;
      let w = w0;
      [G[i], g2[i]].forEach((g, k) => {
        const t = k + 1;
        m = 0.9 * m + 0.1 * g;
        u = 0.999 * u + 0.001 * g * g;
        const alpha = (0.01 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
        w -= (alpha * m) / (Math.sqrt(u) + 1e-7);
      });
      return w;
    });
    close(got, expected);
  });

  it('AdamW decays weights before the Adam step', async () => {
    const got = await run(new optimizers.AdamW({ learningRate: 0.01, weightDecay: 0.1 }), 1);
    close(
      got,
      W0.map((w, i) => w - 0.01 * 0.1 * w - 0.01 * Math.sign(G[i])),
    );
  });

  it('RMSprop, two steps', async () => {
    const expected = reference(
      2,
      () => ({ a: 0 }),
      (w, g, s) => {
        s.a = 0.9 * s.a + 0.1 * g * g;
        return w - (0.01 * g) / Math.sqrt(s.a + 1e-7);
      },
    );
    close(await run(new optimizers.RMSprop({ learningRate: 0.01 }), 2), expected);
  });

  it('RMSprop centered with momentum, two steps', async () => {
    const expected = reference(
      2,
      () => ({ a: 0, mg: 0, m: 0 }),
      (w, g, s) => {
        s.a = 0.9 * s.a + 0.1 * g * g;
        s.mg = 0.9 * s.mg + 0.1 * g;
        s.m = 0.5 * s.m + (0.01 * g) / Math.sqrt(s.a - s.mg * s.mg + 1e-7);
        return w - s.m;
      },
    );
    close(
      await run(new optimizers.RMSprop({ learningRate: 0.01, centered: true, momentum: 0.5 }), 2),
      expected,
      1e-4,
    );
  });

  it('Adagrad, two steps (accumulators start at 0.1)', async () => {
    const expected = reference(
      2,
      () => ({ a: 0.1 }),
      (w, g, s) => {
        s.a += g * g;
        return w - (0.1 * g) / Math.sqrt(s.a + 1e-7);
      },
    );
    close(await run(new optimizers.Adagrad({ learningRate: 0.1 }), 2), expected);
  });

  it('Adadelta, two steps', async () => {
    const expected = reference(
      2,
      () => ({ ag: 0, ad: 0 }),
      (w, g, s) => {
        s.ag = 0.95 * s.ag + 0.05 * g * g;
        const d = (-Math.sqrt(s.ad + 1e-7) / Math.sqrt(s.ag + 1e-7)) * g;
        s.ad = 0.95 * s.ad + 0.05 * d * d;
        return w + 1.0 * d;
      },
    );
    close(await run(new optimizers.Adadelta({ learningRate: 1 }), 2), expected);
  });

  it('Adamax, two steps', async () => {
    const expected = reference(
      2,
      () => ({ m: 0, u: 0 }),
      (w, g, s, t) => {
        s.m = 0.9 * s.m + 0.1 * g;
        s.u = Math.max(0.999 * s.u, Math.abs(g));
        return w - ((0.01 / (1 - 0.9 ** t)) * s.m) / (s.u + 1e-7);
      },
    );
    close(await run(new optimizers.Adamax({ learningRate: 0.01 }), 2), expected);
  });

  it('Nadam, three steps with different gradients (Keras 3 formulas, u_product advanced first)', async () => {
    const grads = [G, [-0.2, 0.4, 1], [1, 1, -1]];
    const lr = 0.01;
    const expected = W0.map((w0, i) => {
      let [w, m, v, prod] = [w0, 0, 0, 1];
      for (let t = 1; t <= 3; t++) {
        const g = grads[t - 1][i];
        const ut = 0.9 * (1 - 0.5 * 0.96 ** t);
        const ut1 = 0.9 * (1 - 0.5 * 0.96 ** (t + 1));
        prod *= ut; // Keras: _u_product assigned before the update steps
        const prod1 = prod * ut;
        m += (g - m) * 0.1;
        v += (g * g - v) * 0.001;
        const mHat = (ut1 * m) / (1 - prod1) + ((1 - ut) * g) / (1 - prod);
        const vHat = v / (1 - 0.999 ** t);
        w -= (mHat * lr) / (Math.sqrt(vHat) + 1e-7);
      }
      return w;
    });
    close(await run(new optimizers.Nadam({ learningRate: lr }), 3, grads), expected, 1e-6); // float32 storage of values near 1..3
  });

  it('Lion, three steps with different gradients (sign of the interpolation, then momentum)', async () => {
    const grads = [G, [-0.2, 0.4, 1], [1, -3, -1]];
    const lr = 0.01;
    const expected = W0.map((w0, i) => {
      let [w, m] = [w0, 0];
      for (let t = 1; t <= 3; t++) {
        const g = grads[t - 1][i];
        w -= lr * Math.sign(0.9 * m + 0.1 * g);
        m = 0.99 * m + 0.01 * g;
      }
      return w;
    });
    close(await run(new optimizers.Lion({ learningRate: lr }), 3, grads), expected, 1e-6); // float32 storage of values near 1..3
  });
});

describe('learning rate, clipping, resolution', () => {
  it('ExponentialDecay drives the step size', async () => {
    const schedule = new optimizers.ExponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 1,
      decayRate: 0.5,
    });
    expect(schedule.rate(0)).toBeCloseTo(0.1);
    expect(schedule.rate(2)).toBeCloseTo(0.025);
    // Two SGD steps: lr 0.1 then 0.05.
    close(
      await run(new optimizers.SGD({ learningRate: schedule }), 2),
      W0.map((w, i) => w - 0.15 * G[i]),
    );
    const stair = new optimizers.ExponentialDecay({
      initialLearningRate: 1,
      decaySteps: 10,
      decayRate: 0.5,
      staircase: true,
    });
    expect(stair.rate(9)).toBe(1);
    expect(stair.rate(10)).toBe(0.5);
  });

  it('clipvalue and clipnorm', async () => {
    close(await run(new optimizers.SGD({ learningRate: 1, clipvalue: 0.6 }), 1), [0.5, 2.6, -3.6]);
    // ‖G‖ = √5.25; clipped to norm 1.
    const n = Math.sqrt(0.25 + 1 + 4);
    close(
      await run(new optimizers.SGD({ learningRate: 1, clipnorm: 1 }), 1),
      W0.map((w, i) => w - G[i] / n),
    );
    close(
      await run(new optimizers.SGD({ learningRate: 1, clipnorm: 10 }), 1),
      W0.map((w, i) => w - G[i]),
    );
  });

  it('all-null gradients throw (Keras: no gradients provided) and mismatched shapes throw', () => {
    const w = variable(tensor([1, 2]));
    const opt = new optimizers.SGD();
    expect(() => opt.applyGradients([null], [w])).toThrow(/No gradients provided for any variable/);
    expect(opt.iterations).toBe(0);
    const bad: Tensor = tensor([1, 2, 3]);
    expect(() => opt.applyGradients([bad], [w])).toThrow(/does not match/);
    expect(() => opt.applyGradients([bad, bad], [w])).toThrow(/2 gradients for 1 variables/);
    w.dispose();
    bad.dispose();
  });

  it('names resolve in any case, unknown names throw', () => {
    expect(optimizers.getOptimizer('adam')).toBeInstanceOf(optimizers.Adam);
    expect(optimizers.getOptimizer('AdamW')).toBeInstanceOf(optimizers.AdamW);
    expect(optimizers.getOptimizer('rmsprop')).toBeInstanceOf(optimizers.RMSprop);
    expect(optimizers.getOptimizer('RMSprop')).toBeInstanceOf(optimizers.RMSprop);
    expect(optimizers.getOptimizer('sgd')).toBeInstanceOf(optimizers.SGD);
    expect(optimizers.getOptimizer('adagrad')).toBeInstanceOf(optimizers.Adagrad);
    expect(optimizers.getOptimizer('adadelta')).toBeInstanceOf(optimizers.Adadelta);
    expect(optimizers.getOptimizer('adamax')).toBeInstanceOf(optimizers.Adamax);
    expect(optimizers.getOptimizer('nadam')).toBeInstanceOf(optimizers.Nadam);
    expect(optimizers.getOptimizer('Lion')).toBeInstanceOf(optimizers.Lion);
    expect(new optimizers.Nadam().getConfig()).toMatchObject({
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
    expect(new optimizers.Lion().getConfig()).toMatchObject({ learningRate: 0.001, beta1: 0.9, beta2: 0.99 });
    expect(() => new optimizers.Nadam({ beta1: 1 })).toThrow('Nadam: beta1 must be in [0, 1), got 1');
    expect(() => new optimizers.Nadam({ epsilon: -1 })).toThrow(
      'Nadam: epsilon must be a finite number >= 0, got -1',
    );
    expect(() => new optimizers.Lion({ beta1: 0 })).toThrow('Lion: beta1 must be in (0, 1], got 0');
    expect(() => new optimizers.Lion({ beta2: 1.5 })).toThrow('Lion: beta2 must be in [0, 1], got 1.5');
    expect(() => new optimizers.Lion({ learningRate: -1 })).toThrow(/Lion: learningRate must be/);
    expect(() => optimizers.getOptimizer('adamm')).toThrow(/Unknown optimizer 'adamm'/);
    expect(new optimizers.Adam().currentLearningRate).toBe(0.001);
    expect(new optimizers.SGD().currentLearningRate).toBe(0.01);
  });
});
