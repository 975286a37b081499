// The metric base classes: Metric (state variables on the device, reset), Mean, and MeanMetricWrapper.
import { scalar, sum, tidy, variable, zeros, type Tensor, type Variable } from '@webdl/core';

/**
 * A stateful metric: `updateState` accumulates (on the device, no readback), `result` gives the
 * current value as a scalar tensor, `resetState` starts over.
 *
 * ```ts
 * const acc = new metrics.CategoricalAccuracy();
 * acc.updateState(yTrue, yPred);
 * await acc.result().item();
 * acc.resetState();
 * ```
 */
export abstract class Metric {
  readonly name: string;
  protected readonly state: Variable[] = [];
  constructor(name: string) {
    this.name = name;
  }
  /** Accumulates a batch. */
  abstract updateState(yTrue: Tensor, yPred: Tensor): void;
  /** The value so far (a new scalar tensor). */
  abstract result(): Tensor;
  /** A state variable initialized to zeros. */
  protected addState(shape: number[] = []): Variable {
    const v = tidy(() =>
      variable(zeros(shape), { trainable: false, name: `${this.name}/state_${this.state.length}` }),
    );
    this.state.push(v);
    return v;
  }
  /** Zeroes the state. */
  resetState(): void {
    tidy(() => {
      for (const v of this.state) v.assign(zeros([...v.shape]));
    });
  }
  /** Whether result() is one number (what fit's logs hold); false for per-class results. */
  get scalarResult(): boolean {
    return true;
  }
  /** Alias of resetState. */
  reset(): void {
    this.resetState();
  }
  /** The current value read back as a number. `await metric.value()` */
  async value(): Promise<number> {
    const r = this.result();
    try {
      return await r.item();
    } finally {
      r.dispose();
    }
  }
  /** Frees the state. */
  dispose(): void {
    for (const v of this.state) v.dispose();
  }
}

/**
 * Running (weighted) mean of values. `const m = new Mean(); m.update(tensor([1, 3])); await m.value(); // 2`
 *
 * ```ts
 * const m = new metrics.Mean();
 * m.update(tensor([1, 2, 3]));
 * await m.result().item(); // 2
 * ```
 */
export class Mean extends Metric {
  protected readonly total: Variable;
  protected readonly count: Variable;
  constructor(name = 'mean') {
    super(name);
    this.total = this.addState();
    this.count = this.addState();
  }
  /** Adds values (each counted once, or `weight` times the whole batch for a scalar). */
  update(values: Tensor, weight?: number): void {
    tidy(() => {
      if (weight !== undefined) {
        this.total.assignAdd(sum(values).mul(weight));
        this.count.assignAdd(scalar(weight * (values.size === 1 ? 1 : values.size)));
      } else {
        this.total.assignAdd(sum(values));
        this.count.assignAdd(scalar(values.size));
      }
    });
  }
  updateState(_yTrue: Tensor, yPred: Tensor): void {
    this.update(yPred);
  }
  result(): Tensor {
    return tidy(() => this.total.div(this.count.maximum(1e-12)));
  }
}

/**
 * Mean of a per-sample function of (yTrue, yPred). `new MeanMetricWrapper(fn, 'my_metric')`
 *
 * ```ts
 * const mae = new metrics.MeanMetricWrapper((t, p) => t.sub(p).abs(), 'my_mae');
 * mae.updateState(yTrue, yPred);
 * ```
 */
export class MeanMetricWrapper extends Mean {
  constructor(
    private readonly fn: (yTrue: Tensor, yPred: Tensor) => Tensor,
    name: string,
  ) {
    super(name);
  }
  override updateState(yTrue: Tensor, yPred: Tensor): void {
    tidy(() => this.update(this.fn(yTrue, yPred)));
  }
}
