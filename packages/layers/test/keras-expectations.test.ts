// "Keras user expectations" (issue 14): what a Keras or TF.js newcomer types, and what they must get back (value or error text).
import { ones, setBackend, tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Input, Model, Sequential, deserializeLayer, input, kerasName, layers } from '../src/index.js';
import { runExpectations, type Expectation } from './keras-expectations-harness.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const shapeOf = (l: { apply: (x: never) => unknown }, x: unknown): number[] => [
  ...(l.apply(x as never) as { shape: number[] }).shape,
];

/** Item 10: TF.js config objects, Keras positional arguments and lower-case factories. */
const constructors: Expectation[] = [
  {
    call: 'new layers.Conv2D({ filters: 4, kernelSize: 3 })',
    run: () => shapeOf(new layers.Conv2D({ filters: 4, kernelSize: 3 }), ones([1, 5, 5, 2])),
    expect: [1, 3, 3, 4],
  },
  {
    call: 'new layers.MaxPooling2D({ poolSize: 2 })',
    run: () => shapeOf(new layers.MaxPooling2D({ poolSize: 2 }), ones([1, 4, 4, 3])),
    expect: [1, 2, 2, 3],
  },
  {
    call: 'new layers.Dense({ units: 3, activation: "relu" })',
    run: () => {
      const d = new layers.Dense({ units: 3, activation: 'relu' });
      return [d.units, d.getConfig().activation];
    },
    expect: [3, 'relu'],
  },
  {
    call: 'new layers.Dense(4, "relu") (Keras positional activation)',
    run: () => new layers.Dense(4, 'relu').getConfig().activation,
    expect: 'relu',
  },
  {
    call: 'new layers.Dense(4, "relu", { useBias: false })',
    run: () => new layers.Dense(4, 'relu', { useBias: false }).useBias,
    expect: false,
  },
  {
    call: 'layers.dense({ units: 2 })',
    run: () => shapeOf(layers.dense({ units: 2 }), ones([3, 5])),
    expect: [3, 2],
  },
  {
    call: 'layers.conv2d({ filters: 2, kernelSize: 1 }), layers.maxPooling2d({ poolSize: 2 })',
    run: () => [
      shapeOf(layers.conv2d({ filters: 2, kernelSize: 1 }), ones([1, 4, 4, 1])),
      shapeOf(layers.maxPooling2d({ poolSize: 2 }), ones([1, 4, 4, 1])),
    ],
    expect: [
      [1, 4, 4, 2],
      [1, 2, 2, 1],
    ],
  },
  {
    call: 'input({ shape: [3] }) then layers.dense({ units: 2 }).apply(it)',
    run: () => [...(layers.dense({ units: 2 }).apply(input({ shape: [3] })) as { shape: unknown[] }).shape],
    expect: [null, 2],
  },
  {
    call: 'new layers.Dense({ units: 2, inputDim: 3 }) (TF.js inputDim)',
    run: () => new layers.Dense({ units: 2, inputDim: 3 }).batchInputShape,
    expect: [null, 3],
  },
  {
    call: 'new layers.LSTM({ units: 4, returnSequences: true }), new layers.Embedding({ inputDim: 10, outputDim: 3 })',
    run: () => [
      shapeOf(new layers.LSTM({ units: 4, returnSequences: true }), ones([2, 5, 3])),
      shapeOf(new layers.Embedding({ inputDim: 10, outputDim: 3 }), tensor([[1, 2]], [1, 2], 'int32')),
    ],
    expect: [
      [2, 5, 4],
      [1, 2, 3],
    ],
  },
  {
    call: 'new layers.Dense(4, { units: 5 })',
    run: () => new layers.Dense(4, { units: 5 } as never),
    throws: "Dense: 'units' given both as argument 1 and in the options",
  },
];

/** Item 5 (layers): unknown options name themselves and the accepted ones. */
const unknownLayerOptions: Expectation[] = [
  {
    call: 'new layers.Dense(4, { activaton: "relu" })',
    run: () => new layers.Dense(4, { activaton: 'relu' } as never),
    throws:
      /^Dense: unknown option 'activaton' \(did you mean 'activation'\?\); accepted options: activation, .*units/,
  },
  {
    call: 'new layers.Conv2D({ filters: 4, kernelSize: 3, stride: 2 })',
    run: () => new layers.Conv2D({ filters: 4, kernelSize: 3, stride: 2 } as never),
    throws: /Conv2D: unknown option 'stride' \(did you mean 'strides'\?\)/,
  },
  {
    call: 'new layers.Dropout(0.5, { noise: 1 })',
    run: () => new layers.Dropout(0.5, { noise: 1 } as never),
    throws: /Dropout: unknown option 'noise'; accepted options: .*rate, seed/,
  },
  {
    call: 'new Input({ shap: [3] })',
    run: () => new Input({ shap: [3] } as never),
    throws: /InputLayer: unknown option 'shap' \(did you mean 'shape'\?\)/,
  },
  {
    call: 'new layers.Dense(4, "relu", true, {})',
    run: () => new (layers.Dense as unknown as new (...a: unknown[]) => unknown)(4, 'relu', true, {}),
    throws: 'Dense: too many positional arguments (3; at most 2 (units, activation))',
  },
];

/** Item 6: Keras's automatic snake_case names. */
const autoNames: Expectation[] = [
  ...(
    [
      ['Conv2D', 'conv2d'],
      ['MaxPooling2D', 'max_pooling2d'],
      ['GlobalAveragePooling2D', 'global_average_pooling2d'],
      ['Conv2DTranspose', 'conv2d_transpose'],
      ['BatchNormalization', 'batch_normalization'],
      ['DepthwiseConv2D', 'depthwise_conv2d'],
      ['LSTM', 'lstm'],
      ['SimpleRNN', 'simple_rnn'],
      ['MultiHeadAttention', 'multi_head_attention'],
      ['UpSampling2D', 'up_sampling2d'],
    ] as const
  ).map(([cls, name]): Expectation => ({
    call: `kerasName('${cls}')`,
    run: () => kerasName(cls),
    expect: name,
  })),
  {
    call: 'a Sequential of Conv2D, Conv2D, MaxPooling2D, GlobalAveragePooling2D: names and getLayer("conv2d")',
    run: () => {
      const m = new Sequential([
        new layers.Conv2D(2, 3, { inputShape: [8, 8, 1] }),
        new layers.Conv2D(2, 3),
        new layers.MaxPooling2D(2),
        new layers.GlobalAveragePooling2D(),
      ]);
      const names = m.layers.map((l) => l.name);
      return {
        base: names.map((n) => n.replace(/_\d+$/, '')),
        distinct: new Set(names).size,
        found: m.getLayer(names[1]) === m.layers[1],
      };
    },
    expect: {
      base: ['conv2d', 'conv2d', 'max_pooling2d', 'global_average_pooling2d'],
      distinct: 4,
      found: true,
    },
  },
];

describe('Keras user expectations', () => {
  describe('item 10: TF.js-style constructors and factories', () => runExpectations(constructors));
  describe('item 5: unknown layer options are errors', () => runExpectations(unknownLayerOptions));
  describe('item 6: Keras automatic names', () => runExpectations(autoNames));

  it('item 6/10: every registered layer rebuilds from its own getConfig() (the config form)', () => {
    const made = [
      new layers.Dense(3, { inputShape: [2] }),
      new layers.Conv2D(2, 3, { strides: 2, padding: 'same' }),
      new layers.Conv2DTranspose(2, 3),
      new layers.DepthwiseConv2D(3),
      new layers.MaxPooling2D(2),
      new layers.GlobalAveragePooling2D({ keepdims: true }),
      new layers.BatchNormalization({ momentum: 0.9 }),
      new layers.LayerNormalization(),
      new layers.Embedding(10, 4),
      new layers.LSTM(3, { returnSequences: true }),
      new layers.GRU(3),
      new layers.SimpleRNN(3),
      new layers.Bidirectional(new layers.LSTM(2)),
      new layers.Dropout(0.2),
      new layers.Reshape([4]),
      new layers.Flatten(),
      new layers.Activation('tanh'),
      new layers.UpSampling2D({ size: 2 }),
      new layers.ZeroPadding2D({ padding: 1 }),
      new layers.Add(),
      new layers.Concatenate({ axis: 1 }),
      new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4 }),
    ];
    for (const l of made) {
      const copy = deserializeLayer({ className: l.getClassName(), config: l.getConfig() });
      const { name: _a, ...want } = l.getConfig();
      const { name: _b, ...got } = copy.getConfig();
      expect(JSON.stringify(got), l.getClassName()).toBe(JSON.stringify(want));
    }
  });

  it('item 6: a functional model names its parts as Keras does', () => {
    const inp = new Input({ shape: [3] });
    const m = new Model({ inputs: inp, outputs: new layers.Dense(2).apply(inp) });
    expect(m.name).toMatch(/^functional(_\d+)?$/);
    expect(inp.sourceLayer.name).toMatch(/^input_layer(_\d+)?$/);
  });
});
