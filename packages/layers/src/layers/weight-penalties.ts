// The regularizer and constraint options of layers with weights (kernelRegularizer, biasConstraint, ...), resolved and serialized.
import { getConstraint, serializeConstraint, type Constraint, type ConstraintLike } from '../constraints.js';
import {
  getRegularizer,
  serializeRegularizer,
  type Regularizer,
  type RegularizerLike,
} from '../regularizers.js';

/** `${weight}Regularizer` and `${weight}Constraint` options for each weight name W ('kernel', 'bias', ...). */
export type PenaltyArgs<W extends string> = { [K in `${W}Regularizer`]?: RegularizerLike } & {
  [K in `${W}Constraint`]?: ConstraintLike;
};

/** A weight's resolved regularizer and constraint, in the shape addWeight takes them. */
export interface WeightPenalty {
  regularizer: Regularizer | null;
  constraint: Constraint | null;
}

/**
 * The OptionTable entries of those options.
 *
 * ```ts
 * static readonly options = { units: true, ...penaltyOptions(['kernel', 'bias']) };
 * ```
 */
export function penaltyOptions<W extends string>(
  weights: readonly W[],
): { [K in `${W}Regularizer` | `${W}Constraint`]: true } {
  const out: Record<string, true> = {};
  for (const w of weights) {
    out[`${w}Regularizer`] = true;
    out[`${w}Constraint`] = true;
  }
  return out as { [K in `${W}Regularizer` | `${W}Constraint`]: true };
}

/** Resolves the options of each weight (unknown names throw, naming the option). */
export function resolvePenalties<W extends string>(
  args: PenaltyArgs<W>,
  weights: readonly W[],
  layer: string,
): Record<W, WeightPenalty> {
  const raw = args as Record<string, unknown>;
  const out = {} as Record<W, WeightPenalty>;
  for (const w of weights) {
    try {
      out[w] = {
        regularizer: getRegularizer(raw[`${w}Regularizer`] as RegularizerLike),
        constraint: getConstraint(raw[`${w}Constraint`] as ConstraintLike),
      };
    } catch (e) {
      throw new Error(`${layer}: ${w} option: ${(e as Error).message}`);
    }
  }
  return out;
}

/** The config entries of the options (`{ kernelRegularizer: { className, config } | null, ... }`). */
export function penaltyConfig(penalties: Record<string, WeightPenalty>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [w, p] of Object.entries(penalties)) {
    out[`${w}Regularizer`] = serializeRegularizer(p.regularizer);
    out[`${w}Constraint`] = serializeConstraint(p.constraint);
  }
  return out;
}
