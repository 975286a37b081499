// The setup form: reads and validates the hyperparameters, showing problems next to each field.
import {
  DATASETS,
  MODELS,
  OPTIMIZERS,
  type DatasetName,
  type ModelKind,
  type OptimizerName,
} from '../protocol.js';

export interface Setup {
  dataset: DatasetName;
  model: ModelKind;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  epochs: number;
}

/** Sensible starting hyperparameters per dataset, applied when the dataset changes. */
export const DEFAULTS: Record<DatasetName, Pick<Setup, 'learningRate' | 'batchSize' | 'epochs' | 'model'>> = {
  blobs: { model: 'linear', learningRate: 0.05, batchSize: 32, epochs: 5 },
  spiral: { model: 'mlp', learningRate: 0.02, batchSize: 32, epochs: 40 },
  mnist: { model: 'mlp', learningRate: 0.002, batchSize: 64, epochs: 2 },
};

const byId = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

function oneOf<T extends string>(values: readonly T[], v: string): T {
  if (!(values as readonly string[]).includes(v)) throw new Error(`unexpected option '${v}'`);
  return v as T;
}

/** Wraps the form's elements; `read()` gives a valid Setup or null (after marking the bad fields). */
export class SetupForm {
  readonly datasetSelect = byId<HTMLSelectElement>('dataset');
  readonly modelSelect = byId<HTMLSelectElement>('model');
  readonly optimizerSelect = byId<HTMLSelectElement>('optimizer');
  readonly lr = byId<HTMLInputElement>('lr');
  readonly batchSize = byId<HTMLInputElement>('batch-size');
  readonly epochs = byId<HTMLInputElement>('epochs');

  constructor(onValidityChange: (valid: boolean) => void) {
    for (const input of [this.lr, this.batchSize, this.epochs]) {
      input.addEventListener('input', () => onValidityChange(this.read() !== null));
    }
    this.datasetSelect.addEventListener('change', () => {
      this.applyDefaults(this.datasetSelect.value as DatasetName);
      onValidityChange(this.read() !== null);
    });
  }

  applyDefaults(dataset: DatasetName): void {
    const d = DEFAULTS[dataset];
    this.modelSelect.value = d.model;
    this.lr.value = String(d.learningRate);
    this.batchSize.value = String(d.batchSize);
    this.epochs.value = String(d.epochs);
  }

  /** The current setup, or null with inline messages when a field is invalid. */
  read(): Setup | null {
    const lr = this.check(this.lr, 'lr-error', (v) =>
      Number.isFinite(v) && v > 0 && v <= 10
        ? null
        : 'learning rate must be a number above 0 (and at most 10)',
    );
    const batch = this.check(this.batchSize, 'batch-size-error', (v) =>
      Number.isInteger(v) && v >= 1 && v <= 4096 ? null : 'batch size must be a whole number from 1 to 4096',
    );
    const epochs = this.check(this.epochs, 'epochs-error', (v) =>
      Number.isInteger(v) && v >= 1 && v <= 1000 ? null : 'epochs must be a whole number from 1 to 1000',
    );
    if (lr === null || batch === null || epochs === null) return null;
    return {
      dataset: oneOf(DATASETS, this.datasetSelect.value),
      model: oneOf(MODELS, this.modelSelect.value),
      optimizer: oneOf(OPTIMIZERS, this.optimizerSelect.value),
      learningRate: lr,
      batchSize: batch,
      epochs,
    };
  }

  private check(input: HTMLInputElement, errorId: string, rule: (v: number) => string | null): number | null {
    // An empty field reads as NaN rather than Number('')'s 0.
    const value = input.value.trim() === '' ? NaN : Number(input.value);
    const problem = rule(value);
    byId(errorId).textContent = problem ?? '';
    input.setAttribute('aria-invalid', String(problem !== null));
    return problem === null ? value : null;
  }
}
