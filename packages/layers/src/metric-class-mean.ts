// A per-class metric (F1Score with average null) in fit's number-only logs: logged as the mean over classes.
import type { Tensor } from '@webdl/core';
import { Metric } from './metrics.js';

/**
 * Wraps a metric whose result has one value per class so that fit's logs, History, callbacks and the
 * progress line get one number: the mean over classes, which is what Keras's progress bar prints
 * for it (np.mean). The per-class values stay on the wrapped metric: `await inner.result().data()`.
 *
 * ```ts
 * const f1 = new metrics.F1Score(); // average null: one score per class
 * model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: [f1] });
 * await model.evaluate(x, y); // logs f1_score: the mean over classes
 * await f1.result().data(); // the per-class scores of that pass
 * ```
 */
export class ClassMean extends Metric {
  constructor(readonly inner: Metric) {
    super(inner.name);
  }
  updateState(yTrue: Tensor, yPred: Tensor): void {
    this.inner.updateState(yTrue, yPred);
  }
  result(): Tensor {
    const perClass = this.inner.result();
    try {
      return perClass.mean();
    } finally {
      perClass.dispose();
    }
  }
  override resetState(): void {
    this.inner.resetState();
  }
  override dispose(): void {
    this.inner.dispose();
  }
}
