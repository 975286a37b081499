// Backend-agnostic GradientTape semantics: watching, null gradients, persistence, non-differentiable
// ops, stopGradient, customGradient, grad/valueAndGrad and numerically stable saturated gradients.
import * as dl from '@webdl/core';
import {
  GradientTape,
  customGradient,
  grad,
  scalar,
  stopGradient,
  tensor,
  valueAndGrad,
  variable,
  type Tensor,
} from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';

/** Values of a gradient that must exist. */
export async function vals(t: Tensor | null | undefined): Promise<number[]> {
  expect(t, 'gradient should not be null').toBeTruthy();
  return Array.from(await (t as Tensor).data());
}

export function expectClose(got: number[], want: number[], tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) =>
    expect(Math.abs(g - want[i]), `index ${i}: got ${g}, want ${want[i]}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(want[i])),
    ),
  );
}

/** Registers the tape-semantics tests for a backend. */
export function autodiffSuite(backend: string): void {
  describe(`GradientTape semantics on ${backend}`, () => {
    beforeAll(async () => {
      await dl.setBackend(backend);
    });

    it('watches trainable Variables automatically, constants only after watch', async () => {
      const v = variable(3);
      const c = scalar(3);
      const tape = new GradientTape({ persistent: true });
      const y = tape.record(() => v.square().add(c.square()));
      expectClose(await vals(tape.gradient(y, v)), [6]);
      expect(tape.gradient(y, c)).toBeNull();
      tape.dispose();
      const t2 = new GradientTape();
      t2.watch(c);
      expectClose(
        await vals(
          t2.gradient(
            t2.record(() => c.square()),
            c,
          ),
        ),
        [6],
      );
    });

    it('does not watch non-trainable Variables', () => {
      const v = variable(2, { trainable: false });
      const tape = new GradientTape();
      expect(
        tape.gradient(
          tape.record(() => v.mul(v)),
          v,
        ),
      ).toBeNull();
    });

    it('gives null for a source the target does not depend on, and for int sources', () => {
      const a = variable(1);
      const b = variable(2);
      const i = tensor([1, 2], undefined, 'int32');
      const tape = new GradientTape();
      tape.watch(i);
      const y = tape.record(() => a.mul(3).add(i.sum().cast('float32')));
      const [ga, gb, gi] = tape.gradient(y, [a, b, i]);
      expect(ga).not.toBeNull();
      expect(gb).toBeNull();
      expect(gi).toBeNull();
    });

    it('accepts a single source, an array or a record, and an outputGradient', async () => {
      const w = variable([1, 2]);
      const b = variable(0.5);
      const tape = new GradientTape({ persistent: true });
      const y = tape.record(() => w.mul(b));
      const named = tape.gradient(y, { w, b }, tensor([1, 10]));
      expectClose(await vals(named.w), [0.5, 5]);
      expectClose(await vals(named.b), [21]);
      expect(() => tape.gradient(y, w, tensor([1, 2, 3]))).toThrow(/outputGradient/);
      tape.dispose();
    });

    it("refuses a non-persistent tape's second gradient call with a clear error", () => {
      const v = variable(1);
      const tape = new GradientTape();
      const y = tape.record(() => v.exp());
      tape.gradient(y, v);
      expect(() => tape.gradient(y, v)).toThrow(/non-persistent.*once.*persistent: true/);
    });

    it('lets a persistent tape compute many gradients until disposed', async () => {
      const x = variable(2);
      const tape = new GradientTape({ persistent: true });
      const y = tape.record(() => x.square());
      const z = tape.record(() => y.square());
      expectClose(await vals(tape.gradient(y, x)), [4]);
      expectClose(await vals(tape.gradient(z, x)), [32]);
      expectClose(await vals(tape.gradient(z, y)), [8]);
      tape.dispose();
      expect(() => tape.gradient(z, x)).toThrow(/disposed/);
    });

    it('returns distinct gradient tensors (disposing one leaves the others usable)', async () => {
      const a = variable([1, 2]);
      const b = variable([3, 4]);
      const seed = tensor([1, 1]);
      const tape = new GradientTape();
      const y = tape.record(() => a.add(b));
      const [ga, gb] = tape.gradient(y, [a, b], seed);
      expect(ga).not.toBe(gb);
      expect(ga).not.toBe(seed);
      ga?.dispose();
      expectClose(await vals(gb), [1, 1]);
      expectClose(Array.from(await seed.data()), [1, 1]);
    });

    it('lets no gradient flow through argMax, comparisons, cast to int/bool, floor/sign', async () => {
      const x = variable([0.3, 2.7, -1.2]);
      const tape = new GradientTape({ persistent: true });
      const viaArgMax = tape.record(() => x.argMax().cast('float32'));
      const viaCompare = tape.record(() => x.greater(0).cast('float32').sum());
      const viaInt = tape.record(() => x.cast('int32').cast('float32').sum());
      const viaBool = tape.record(() => x.cast('bool').cast('float32').sum());
      const viaFloor = tape.record(() => x.floor().add(x.sign()).sum());
      expect(viaArgMax.dtype).toBe('float32');
      for (const y of [viaArgMax, viaCompare, viaInt, viaBool]) expect(tape.gradient(y, x)).toBeNull();
      expectClose(await vals(tape.gradient(viaFloor, x)), [0, 0, 0]);
      tape.dispose();
    });

    it('stopGradient cuts the path', async () => {
      const x = variable(3);
      const tape = new GradientTape();
      const y = tape.record(() => x.mul(stopGradient(x.square())));
      expectClose(await vals(tape.gradient(y, x)), [9]);
    });

    it('shares max/min gradients between ties equally; maximum gives ties to its first operand', async () => {
      const x = variable([1, 3, 3, 2]);
      const tape = new GradientTape({ persistent: true });
      expectClose(
        await vals(
          tape.gradient(
            tape.record(() => x.max()),
            x,
          ),
        ),
        [0, 0.5, 0.5, 0],
      );
      expectClose(
        await vals(
          tape.gradient(
            tape.record(() => x.maximum(3).sum()),
            x,
          ),
        ),
        [0, 1, 1, 0],
      );
      tape.dispose();
    });

    it('customGradient uses the given backward rule, also inside nested tapes', async () => {
      const clipGrad = customGradient((x: Tensor) => ({
        value: x.square(),
        gradFunc: (dy, s) => dy.mul(s.inputs[0]).clipByValue(-1, 1),
      }));
      const x = variable([0.25, 5]);
      const tape = new GradientTape();
      expectClose(
        await vals(
          tape.gradient(
            tape.record(() => clipGrad(x).sum()),
            x,
          ),
        ),
        [0.25, 1],
      );
      const twice = customGradient((a: Tensor, b: Tensor) => ({
        value: a.mul(b),
        gradFunc: (dy) => [dy.mul(2), null],
      }));
      const a = variable(3);
      const b = variable(4);
      const t2 = new GradientTape();
      const [ga, gb] = t2.gradient(
        t2.record(() => twice(a, b)),
        [a, b],
      );
      expectClose(await vals(ga), [2]);
      expect(gb).toBeNull();
      // The custom rule is itself differentiable: d/dx of (dy * x) = dy.
      const sq = customGradient((v: Tensor) => ({
        value: v.square(),
        gradFunc: (dy, s) => dy.mul(s.inputs[0]).mul(2),
      }));
      const outer = new GradientTape();
      const inner = new GradientTape();
      const g = outer.record(() =>
        inner.gradient(
          inner.record(() => sq(a)),
          a,
        ),
      );
      expectClose(await vals(outer.gradient(g as Tensor, a)), [2]);
      expect(() =>
        customGradient((v: Tensor) => ({ value: v.mul(1), gradFunc: (dy) => [dy, dy] }))(a),
      ).not.toThrow();
    });

    it('grad and valueAndGrad', async () => {
      const dsin = grad((x: Tensor) => x.sin());
      expectClose(await vals(dsin(tensor([0, 1]))), [1, Math.cos(1)]);
      const f = (x: Tensor, y: Tensor) => x.mul(y).add(x.square());
      const [gx, gy] = grad(f)(scalar(3), scalar(4));
      expectClose(await vals(gx), [10]);
      expectClose(await vals(gy), [3]);
      const { value, grads } = valueAndGrad((x: Tensor) => x.square().sum())(tensor([1, 2]));
      expectClose(Array.from(await value.data()), [5]);
      expectClose(await vals(grads), [2, 4]);
      // An unused argument gets zeros (as tf.grad), not null.
      const [, gz] = grad((x: Tensor, _z: Tensor) => x.square())(scalar(1), tensor([1, 2]));
      expectClose(await vals(gz), [0, 0]);
    });

    it('gives finite, correct gradients when softmax saturates (logSoftmax, crossentropy, gelu, sigmoid)', async () => {
      const logits = variable([
        [1000, 0, -1000],
        [-50, 60, 0],
      ]);
      const labels = tensor([
        [0, 0, 1],
        [1, 0, 0],
      ]);
      const tape = new GradientTape({ persistent: true });
      const sm = tape.record(() => dl.softmax(logits));
      const ce = tape.record(() => dl.logSoftmax(logits).mul(labels).sum().neg());
      // Keras's crossentropy on probabilities: clip away from 0 and 1 before the log.
      const ceProb = tape.record(() =>
        dl
          .clipByValue(sm, 1e-7, 1 - 1e-7)
          .log()
          .mul(labels)
          .sum()
          .neg(),
      );
      const weighted = tape.record(() =>
        sm
          .mul(
            tensor([
              [1, 2, 3],
              [3, 2, 1],
            ]),
          )
          .sum(),
      );
      const gSm = await vals(tape.gradient(weighted, logits));
      const gCe = await vals(tape.gradient(ce, logits));
      const gProb = await vals(tape.gradient(ceProb, logits));
      tape.dispose();
      for (const g of [gSm, gCe, gProb]) expect(g.every(Number.isFinite), String(g)).toBe(true);
      // d(-log softmax_k)/dlogits = softmax - onehot.
      expectClose(gCe, [1, 0, -1, -1, 1, 0]);
      const x = variable([-40, -10, 0, 10, 40, -100, 100]);
      const t2 = new GradientTape({ persistent: true });
      for (const f of [
        dl.gelu,
        (v: Tensor) => dl.gelu(v, true),
        dl.sigmoid,
        dl.softplus,
        dl.silu,
        dl.tanh,
        dl.selu,
        dl.elu,
        dl.logSoftmax,
      ]) {
        const g = await vals(
          t2.gradient(
            t2.record(() => f(x).sum()),
            x,
          ),
        );
        expect(g.every(Number.isFinite), `${String(f)}: ${g}`).toBe(true);
      }
      t2.dispose();
    });

    it('differentiates pow at base 0 twice without NaN', async () => {
      const a = tensor([0, 0, 2]);
      const b = tensor([2, 3, 2]);
      const outer = new GradientTape();
      outer.watch([a, b]);
      const s = outer.record(() => {
        const inner = new GradientTape();
        inner.watch([a, b]);
        const [ga, gb] = inner.gradient(
          inner.record(() => a.pow(b).sum()),
          [a, b],
        );
        return (ga as Tensor).add(gb as Tensor).sum();
      });
      const [haa, hab] = outer.gradient(s, [a, b]);
      const h1 = await vals(haa);
      const h2 = await vals(hab);
      expect([...h1, ...h2].every(Number.isFinite), `${h1} ${h2}`).toBe(true);
      // d/da (b a^(b-1) + a^b log a) at a=2, b=2: b(b-1)a^(b-2) + b a^(b-1) log a + a^(b-1) = 2 + 4 log 2 + 2.
      expect(h1[2]).toBeCloseTo(4 + 4 * Math.log(2), 4);
    });

    it("maxPool's gradient is differentiable in dy and routes ties to the window's first cell", async () => {
      const x = tensor([0, 0, 0, 0, 1, 1, 0, 0], [1, 2, 4, 1]);
      const dy = tensor([3, 5], [1, 1, 2, 1]);
      const g = tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 4, 1]);
      const outer = new GradientTape();
      outer.watch(dy);
      let dxSeen: Tensor | null = null;
      const s = outer.record(() => {
        const inner = new GradientTape();
        inner.watch(x);
        const dx = inner.gradient(
          inner.record(() => dl.maxPool(x, 2).mul(dy).sum()),
          x,
        ) as Tensor;
        dxSeen = dx;
        return dx.mul(g).sum();
      });
      // Windows [0,0;1,1] (first max at row 1, col 0: g = 5) and [0,0;0,0] (row 0, col 2: g = 3).
      expectClose(await vals(dxSeen), [0, 0, 5, 0, 3, 0, 0, 0]);
      expectClose(await vals(outer.gradient(s, dy)), [5, 3]);
    });

    it('differentiates prod through zeros', async () => {
      const x = variable([
        [2, 0, 3],
        [0, 0, 5],
        [1, 2, 4],
      ]);
      const tape = new GradientTape();
      const g = await vals(
        tape.gradient(
          tape.record(() => x.prod(1).sum()),
          x,
        ),
      );
      expectClose(g, [0, 6, 0, 0, 0, 0, 8, 4, 2]);
    });
  });
}
