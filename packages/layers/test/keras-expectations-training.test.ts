// "Keras user expectations" for training: model-boundary checks, data forms, unknown options, returnDict, callback messages.
import { memory, ones, setBackend, tensor, zeros, type Tensor } from '@webdl/core';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Input,
  Model,
  Sequential,
  callbacks,
  layers,
  optimizers,
  type SymbolicTensor,
} from '../src/index.js';
import { runExpectations, type Expectation } from './keras-expectations-harness.js';

const ckptDir = join(tmpdir(), `webdl-keras-ckpt-${process.pid}`);
afterAll(() => rm(ckptDir, { recursive: true, force: true }));

beforeAll(async () => {
  await setBackend('cpu');
});

/** Two inputs (a: [None,3], b: [None,2]) and two outputs (out_a, out_b), fixed weights. */
function twoByTwo(): Model {
  const a = new Input({ shape: [3], name: 'a' });
  const b = new Input({ shape: [2], name: 'b' });
  const da = new layers.Dense(1, { name: 'out_a', kernelInitializer: 'ones' }).apply(a) as SymbolicTensor;
  const db = new layers.Dense(1, { name: 'out_b', kernelInitializer: 'ones' }).apply(b) as SymbolicTensor;
  const m = new Model({ inputs: [a, b], outputs: [da, db], name: 'two_by_two' });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

function mlp(name: string): Sequential {
  const m = new Sequential(
    [new layers.Dense(2, { inputShape: [4], kernelInitializer: 'ones', activation: 'softmax' })],
    { name },
  );
  m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const shape = async (p: Promise<Tensor | Tensor[]>) => {
  const t = await p;
  return Array.isArray(t) ? t.map((x) => x.shape) : t.shape;
};

/** Item 3: the model checks its declared input shapes at the boundary. */
const boundary: Expectation[] = [
  {
    call: 'two-input model: predict([ones([4,3]), ones([4,5])]) with b declared [2]',
    run: () => twoByTwo().predict([ones([4, 3]), ones([4, 5])]),
    throws: "two_by_two: input 'b' expects shape [None,2], got [4,5]",
  },
  {
    call: 'CNN declared [16,16,1] given [2,16,16] (missing channel)',
    run: () => {
      const m = new Sequential([new layers.Conv2D(4, 3, { inputShape: [16, 16, 1] })], { name: 'cnn' });
      return m.predict(zeros([2, 16, 16]));
    },
    throws: /^cnn: input '.*' expects shape \[None,16,16,1\], got \[2,16,16\]/,
  },
  {
    call: 'predict(ones([20])) on a model declared [20] (no batch dimension)',
    run: () => {
      const m = new Sequential([new layers.Dense(1, { inputShape: [20] })], { name: 'no_batch' });
      return m.predict(ones([20]));
    },
    throws: /expects shape \[None,20\], got \[20\] \(the batch dimension is missing/,
  },
];

/** Item 4: inputs in the forms Keras takes. */
const forms: Expectation[] = [
  {
    call: 'predict({ a: ones([2,3]), b: ones([2,2]) }) on named inputs',
    run: () => shape(twoByTwo().predict({ a: ones([2, 3]), b: ones([2, 2]) })),
    expect: [
      [2, 1],
      [2, 1],
    ],
  },
  {
    call: 'predict({ a, c }) with a wrong key',
    run: () => twoByTwo().predict({ a: ones([2, 3]), c: ones([2, 2]) }),
    throws: "two_by_two: the x dict has keys [a, c] but the model's inputs are [a, b] (missing: b)",
  },
  {
    call: 'fit(x dict, y dict keyed by output name) trains',
    run: async () => {
      const m = twoByTwo();
      const h = await m.fit(
        { a: ones([4, 3]), b: ones([4, 2]) },
        { out_a: zeros([4, 1]), out_b: zeros([4, 1]) },
        { epochs: 1, verbose: 0 },
      );
      // Kernels of ones, zero bias, targets 0: out_a = 3 and out_b = 2, loss 9 + 4.
      return h.history.loss[0];
    },
    expect: 13,
  },
  {
    call: 'evaluate(nested JS arrays, number[] labels)',
    run: () =>
      mlp('arrays').evaluate(
        [
          [1, 2, 3, 4],
          [0, 0, 0, 1],
        ],
        [0, 1],
      ),
    // Equal logits: softmax 0.5 each, loss ln 2; argmax ties go to class 0, so accuracy 0.5.
    expect: [expect.closeTo(Math.LN2, 6), 0.5],
  },
  {
    call: 'predict(Float32Array of 2 samples) takes the declared per-sample shape',
    run: () => shape(mlp('typed').predict(new Float32Array(8))),
    expect: [2, 2],
  },
  {
    call: 'predict(int32 x) into Dense is cast to float32',
    run: async () => {
      const out = (await mlp('ints').predict(tensor([[1, 2, 3, 4]], [1, 4], 'int32'))) as Tensor;
      return [out.dtype, ...(await out.data())];
    },
    expect: ['float32', 0.5, 0.5],
  },
];

/** Item 5: compile, fit, evaluate, predict and callbacks reject unknown options. */
const options: Expectation[] = [
  {
    call: 'compile({ ..., jitCompil: true })',
    run: () =>
      new Sequential([new layers.Dense(1, { inputShape: [1] })]).compile({
        loss: 'mse',
        jitCompil: true,
      } as never),
    throws: /^compile: unknown option 'jitCompil' \(did you mean 'jitCompile'\?\); accepted options: .*loss/,
  },
  {
    call: 'compile({ loss: "mse", jitCompile: false }) is accepted',
    run: () =>
      new Sequential([new layers.Dense(1, { inputShape: [1] })]).compile({
        loss: 'mse',
        jitCompile: false,
      } as never),
    expect: undefined,
  },
  {
    call: 'fit(x, y, { epoch: 3 })',
    run: () => mlp('f').fit(ones([2, 4]), tensor([0, 1]), { epoch: 3 } as never),
    throws: "fit: unknown option 'epoch' (did you mean 'epochs'?)",
  },
  {
    call: 'evaluate(x, y, { batch_size: 2 })',
    run: () => mlp('e').evaluate(ones([2, 4]), tensor([0, 1]), { batch_size: 2 } as never),
    throws: "evaluate: unknown option 'batch_size' (did you mean 'batchSize'?)",
  },
  {
    call: 'predict(x, { verbose: 0, batchSize: 2, steps: 1 })',
    run: () => mlp('p').predict(ones([2, 4]), { steps: 1 } as never),
    throws: "predict: unknown option 'steps'; accepted options: batchSize",
  },
  {
    call: 'new callbacks.EarlyStopping({ patients: 2 })',
    run: () => new callbacks.EarlyStopping({ patients: 2 } as never),
    throws: "EarlyStopping: unknown option 'patients' (did you mean 'patience'?)",
  },
  {
    call: 'new optimizers.Adam({ learningRat: 0.01 })',
    run: () => new optimizers.Adam({ learningRat: 0.01 } as never),
    throws:
      "Adam: unknown option 'learningRat' (did you mean 'learningRate'?); accepted options: amsgrad, beta1",
  },
  {
    call: 'new optimizers.SGD({ momentun: 0.9 })',
    run: () => new optimizers.SGD({ momentun: 0.9 } as never),
    throws: "SGD: unknown option 'momentun' (did you mean 'momentum'?)",
  },
  {
    call: 'new optimizers.Adamax({ amsgrad: true }) (Adam has it, Adamax does not)',
    run: () => new optimizers.Adamax({ amsgrad: true } as never),
    throws: "Adamax: unknown option 'amsgrad'",
  },
  {
    call: 'new optimizers.RMSprop({ rho: 0.8, momentum: 0.5, centered: true }) is accepted',
    run: () => new optimizers.RMSprop({ rho: 0.8, momentum: 0.5, centered: true }).rho,
    expect: 0.8,
  },
  {
    call: 'evaluate(x, y, { returnDict: true })',
    run: () => mlp('d').evaluate(ones([2, 4]), tensor([0, 1]), { returnDict: true }),
    expect: { loss: expect.closeTo(Math.LN2, 6), accuracy: 0.5 },
  },
];

/** Item 11: callbacks with verbose: 1 print Keras's lines. */
const talk: Expectation[] = [
  {
    call: 'EarlyStopping({ monitor: "loss", patience: 1, restoreBestWeights: true, verbose: 1 }) on a flat loss',
    run: async () => {
      const m = mlp('es');
      m.compile({
        optimizer: new optimizers.SGD({ learningRate: 0 }),
        loss: 'sparse_categorical_crossentropy',
      });
      const es = new callbacks.EarlyStopping({
        monitor: 'loss',
        patience: 1,
        restoreBestWeights: true,
        verbose: 1,
      });
      await m.fit(ones([2, 4]), tensor([0, 1]), { epochs: 5, verbose: 0, callbacks: [es] });
    },
    logs: ['Restoring model weights from the end of the best epoch: 1.', 'Epoch 2: early stopping'],
  },
  {
    // Keras reads the rate back from its float32 variable: repr(float(np.float32(0.001)) * 0.5), values from numpy.
    call: 'ReduceLROnPlateau({ monitor: "loss", factor: 0.5, patience: 1, minDelta: 100, verbose: 1 }), lr 0.001',
    run: () => reduceLr(0.001, 3),
    printed: [
      'Epoch 2: ReduceLROnPlateau reducing learning rate to 0.0005000000237487257.',
      'Epoch 3: ReduceLROnPlateau reducing learning rate to 0.0002500000118743628.',
    ],
  },
  {
    call: 'ReduceLROnPlateau(... verbose: 1 ), lr 1e-4: Python writes small rates as 5e-05',
    run: () => reduceLr(1e-4, 2),
    printed: ['Epoch 2: ReduceLROnPlateau reducing learning rate to 4.999999873689376e-05.'],
  },
  {
    call: 'ModelCheckpoint({ filepath: "ckpt-{epoch}", monitor: "val_loss", saveBestOnly: true, verbose: 1 })',
    run: () => checkpoint(true, [0.5, 0.7, 0.25]),
    printed: [
      `Epoch 1: val_loss improved from None to 0.50000, saving model to ${ckptDir}/best-1`,
      `Epoch 1: finished saving model to ${ckptDir}/best-1`,
      'Epoch 2: val_loss did not improve from 0.50000',
      `Epoch 3: val_loss improved from 0.50000 to 0.25000, saving model to ${ckptDir}/best-3`,
      `Epoch 3: finished saving model to ${ckptDir}/best-3`,
    ],
  },
  {
    call: 'ModelCheckpoint({ filepath: "ckpt-{epoch}", verbose: 1 }) saving every epoch',
    run: () => checkpoint(false, [0.5]),
    printed: [
      `Epoch 1: saving model to ${ckptDir}/every-1`,
      `Epoch 1: finished saving model to ${ckptDir}/every-1`,
    ],
  },
];

/** fit with a flat-enough loss (minDelta 100 never counts as improving) and a verbose ReduceLROnPlateau. */
async function reduceLr(learningRate: number, epochs: number): Promise<void> {
  const m = mlp('rlr');
  m.compile({ optimizer: new optimizers.SGD({ learningRate }), loss: 'sparse_categorical_crossentropy' });
  const reduce = new callbacks.ReduceLROnPlateau({
    monitor: 'loss',
    factor: 0.5,
    patience: 1,
    minDelta: 100,
    verbose: 1,
  });
  await m.fit(ones([2, 4]), tensor([0, 1]), { epochs, verbose: 0, callbacks: [reduce] });
}

/** fit with scripted val_loss values and a verbose ModelCheckpoint writing under ckptDir. */
async function checkpoint(saveBestOnly: boolean, valLoss: number[]): Promise<void> {
  const m = mlp('ckpt');
  const script = new callbacks.LambdaCallback({
    onEpochEnd: (epoch, logs) => {
      if (logs) logs.val_loss = valLoss[epoch];
    },
  });
  const ckpt = new callbacks.ModelCheckpoint({
    filepath: join(ckptDir, saveBestOnly ? 'best-{epoch}' : 'every-{epoch}'),
    monitor: 'val_loss',
    saveBestOnly,
    verbose: 1,
  });
  await m.fit(ones([2, 4]), tensor([0, 1]), {
    epochs: valLoss.length,
    verbose: 0,
    callbacks: [script, ckpt],
  });
}

describe('Keras user expectations (training)', () => {
  describe('item 3: model-boundary input checks', () => runExpectations(boundary));
  describe('item 4: inputs in the forms Keras takes', () => runExpectations(forms));
  describe('item 5: unknown training and callback options; returnDict', () => runExpectations(options));
  describe('item 11: callback messages', () => runExpectations(talk));

  it('item 4: converting arrays at the boundary leaks no tensors', async () => {
    const m = mlp('leak');
    const x = [
      [1, 2, 3, 4],
      [4, 3, 2, 1],
    ];
    await m.evaluate(x, [0, 1]);
    const before = memory().numTensors;
    for (let i = 0; i < 3; i++) await m.fit(x, [0, 1], { epochs: 1, verbose: 0 });
    for (let i = 0; i < 3; i++) await m.evaluate(x, [0, 1]);
    expect(memory().numTensors).toBe(before);
  });
});
