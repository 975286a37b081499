// fast-check properties: broadcasting agrees with explicit broadcastTo, reshape/transpose round trips,
// and a sum over all (or some) axes equals sequential one-axis sums.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as dl from '@webdl/core';
import type { Tensor } from '@webdl/core';
import { refBroadcastShape, refTranspose, sizeOfShape } from './helpers.js';

const RUNS = 60;

/** A shape of rank 0..4 with dims 0..4 (mostly non-empty). */
const shapeArb = fc.array(
  fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: 1, max: 4 }) },
    { weight: 1, arbitrary: fc.constant(0) },
  ),
  {
    minLength: 0,
    maxLength: 4,
  },
);

/** Integer-valued floats in [-8, 8]: sums and products stay exact in float32. */
const valuesFor = (shape: number[]) =>
  fc.array(fc.integer({ min: -8, max: 8 }), { minLength: sizeOfShape(shape), maxLength: sizeOfShape(shape) });

/** An operand shape that broadcasts to `out`: some leading dims dropped, some dims set to 1. */
const operandOf = (out: number[]) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    )
    .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));

const broadcastCase = shapeArb.chain((out) =>
  fc
    .tuple(operandOf(out), operandOf(out))
    .chain(([sa, sb]) => fc.tuple(fc.constant(sa), valuesFor(sa), fc.constant(sb), valuesFor(sb))),
);

const tensorCase = shapeArb.chain((shape) => fc.tuple(fc.constant(shape), valuesFor(shape)));

const permOf = (rank: number) =>
  fc.shuffledSubarray([...Array(rank).keys()], { minLength: rank, maxLength: rank });

async function same(a: Tensor, b: Tensor): Promise<void> {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
}

const BINARY: [string, (a: Tensor, b: Tensor) => Tensor][] = [
  ['add', dl.add],
  ['mul', dl.mul],
  ['sub', dl.sub],
  ['maximum', dl.maximum],
  ['greater', dl.greater],
];

/** Registers the property part of the op suite. */
export function describeProperties(): void {
  describe('properties (fast-check)', () => {
    it.each(BINARY)('%s(a, b) equals %s on explicitly broadcast operands', async (_n, op) => {
      await fc.assert(
        fc.asyncProperty(broadcastCase, async ([sa, va, sb, vb]) => {
          const out = refBroadcastShape(sa, sb);
          const r = dl.tidy(() => {
            const a = dl.tensor(va, sa);
            const b = dl.tensor(vb, sb);
            return [op(a, b), op(dl.broadcastTo(a, out), dl.broadcastTo(b, out))];
          });
          expect(r[0].shape).toEqual(out);
          await same(r[0], r[1]);
          dl.dispose(r);
        }),
        { numRuns: RUNS },
      );
    });

    it('reshape round trips and keeps row-major order', async () => {
      await fc.assert(
        fc.asyncProperty(
          tensorCase.chain(([s, v]) =>
            fc.tuple(
              fc.constant(s),
              fc.constant(v),
              fc.shuffledSubarray(s, { minLength: s.length, maxLength: s.length }),
            ),
          ),
          async ([s1, v, s2]) => {
            const x = dl.tensor(v, s1);
            const there = x.reshape([...s2, 1]);
            const back = there.reshape(s1);
            expect(Array.from(await there.data())).toEqual(Array.from(await x.data()));
            await same(back, x);
            await same(dl.flatten(x).reshape(s1), x);
            dl.dispose([x, there, back]);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('transpose matches index arithmetic and transposing by the inverse permutation undoes it', async () => {
      await fc.assert(
        fc.asyncProperty(
          tensorCase.chain(([s, v]) => fc.tuple(fc.constant(s), fc.constant(v), permOf(s.length))),
          async ([s, v, p]) => {
            const inverse = p.map((_, i) => p.indexOf(i));
            const x = dl.tensor(v, s);
            const t = dl.transpose(x, p);
            expect(t.shape).toEqual(p.map((a) => s[a]));
            expect(Array.from(await t.data())).toEqual(refTranspose(s, v, p));
            const back = t.transpose(inverse);
            await same(back, x);
            dl.dispose([x, t, back]);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('sum over all axes (or a subset, keepDims or not) equals sequential one-axis sums', async () => {
      const sumCase = tensorCase.chain(([s, v]) =>
        fc.tuple(
          fc.constant(s),
          fc.constant(v),
          fc.subarray([...Array(s.length).keys()]),
          fc.boolean(),
          fc.boolean(),
        ),
      );
      await fc.assert(
        fc.asyncProperty(sumCase, async ([s, v, subset, keepDims, int]) => {
          const r = dl.tidy(() => {
            const x = dl.tensor(v, s, int ? 'int32' : 'float32');
            // Highest axis first, so the remaining axis numbers stay valid without keepDims.
            const seqAll = [...s.keys()].reverse().reduce((acc, a) => acc.sum(a), x);
            const seqSome = [...subset].reverse().reduce((acc, a) => acc.sum(a, keepDims), x);
            return [dl.sum(x), seqAll, x.sum(subset, keepDims), seqSome];
          });
          expect(r[0].shape).toEqual([]);
          await same(r[0], r[1]);
          expect(r[2].shape).toEqual(
            keepDims
              ? s.map((d, i) => (subset.includes(i) ? 1 : d))
              : s.filter((_, i) => !subset.includes(i)),
          );
          await same(r[2], r[3]);
          expect(await r[0].item()).toBe(v.reduce((a, b) => a + b, 0));
          dl.dispose(r);
        }),
        { numRuns: RUNS },
      );
    });
  });
}
