// Backend-agnostic numeric gradient suite: every differentiable op's tape gradient (first and second
// order) against float64 central differences. `gradientSuite('webgpu')` runs it on another backend.
import { setBackend } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { elementwiseCases, reductionCases } from './grad-cases-elementwise.js';
import { convCases, matmulCases, shapeCases } from './grad-cases-nn.js';
import { gradCheck, type GradCase } from './gradcheck.js';
import * as R from './ref64.js';

/**
 * Tolerances, on max |tape - numeric| / max(1, max |numeric|): forward 1e-4, first order 1e-4 (2e-4
 * for convolutions), second order (H·v) 1e-3. The float64 references make the numeric side accurate
 * to ~1e-9 (central differences, h = 1e-6) and ~1e-7 (4-point H·v, h = 1e-4), so the budget is the
 * float32 arithmetic of the op and its gradient: on the CPU backend the errors seen are <= 2e-7, and
 * the bars leave room for GPU transcendental functions while a wrong rule errs by 1e-1 or more.
 */
export const GROUPS: Record<string, GradCase[]> = {
  elementwise: elementwiseCases,
  reductions: reductionCases,
  shape: shapeCases,
  matmul: matmulCases,
  conv: convCases,
};

const list = <X>(v: X | X[]): X[] => (Array.isArray(v) ? v : [v]);

/**
 * The case followed by squaring its outputs: the backward pass then feeds an x-dependent dy to the
 * op's gradient, so second order also differentiates the gradient rule with respect to dy.
 */
export function squared(c: GradCase): GradCase {
  return {
    ...c,
    name: `square ∘ ${c.name}`,
    f: (...xs) => list(c.f(...xs)).map((y) => y.square()),
    ref: (...xs) => list(c.ref(...xs)).map((y) => R.map(y, (v) => v * v)),
  };
}

/** Registers the gradient checks for a backend with vitest. */
export function gradientSuite(backend: string): void {
  describe(`numeric gradients on ${backend}`, () => {
    beforeAll(async () => {
      await setBackend(backend);
    });
    for (const [group, cases] of Object.entries(GROUPS)) {
      describe(group, () => {
        it.each([...cases, ...cases.map(squared)].map((c) => [c.name, c] as const))(
          '%s',
          async (_name, c) => {
            const r = await gradCheck(c);
            expect(r.forward, 'forward vs float64 reference').toBeLessThan(1e-4);
            r.first.forEach((e, i) =>
              expect(e, `first order, input ${i}`).toBeLessThanOrEqual(c.tol ?? 1e-4),
            );
            r.second?.forEach((e, i) => expect(e, `H·v, input ${i}`).toBeLessThanOrEqual(c.tol2 || 1e-3));
          },
        );
      });
    }
  });
}
