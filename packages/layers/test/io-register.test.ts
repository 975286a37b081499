// io.registerFormats as a browser bundle meets it (isNode mocked false): unregistered formats fail naming what to import,
// a registered module or loader serves save, loadModel and io.to*, the loader runs once on first use, and webdl's own
// format and Sequential.fromConfig need no registration.
import { setBackend, tensor, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('../src/io/node.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../src/io/node.js')>()),
  isNode: () => false,
}));

const { Sequential, io, layers, loadModel, registerBuiltinLayers } = await import('../src/index.js');

beforeAll(async () => {
  await setBackend('cpu');
});

function mlp(): InstanceType<typeof Sequential> {
  return new Sequential([new layers.Dense(3, { activation: 'relu', inputShape: [2] }), new layers.Dense(1)]);
}

/** The model's prediction on x, as numbers. */
const predicted = async (m: { predict(x: Tensor): Promise<unknown> }, x: Tensor): Promise<Float32Array> =>
  (await ((await m.predict(x)) as Tensor).data()) as Float32Array;

const NOT_IN_BUNDLE =
  /the \.keras format's code is not in this bundle; register it once: import \* as formats from 'webdl\/io'; io\.registerFormats\(formats\)/;

describe('without registration (a bundle that only trains)', () => {
  it('Sequential.fromConfig names registerBuiltinLayers until the built-ins are registered', () => {
    // The first test of the file: nothing has used the registry yet (importing registers nothing).
    const config = mlp().getConfig();
    expect(() => Sequential.fromConfig(config)).toThrow(
      /unknown layer class 'Dense': the built-in classes are not registered yet; call registerBuiltinLayers\(\) first/,
    );
    registerBuiltinLayers();
    expect(Sequential.fromConfig(config).countParams()).toBe(13);
  });

  it('model.save(x.keras), io.toKeras and loadModel(zip bytes) name what to import', async () => {
    const model = mlp();
    await expect(model.save('downloads://m.keras')).rejects.toThrow(/^model\.save: /);
    await expect(model.save('downloads://m.keras')).rejects.toThrow(NOT_IN_BUNDLE);
    await expect(io.toKeras(model)).rejects.toThrow(/^io\.toKeras: .*not in this bundle/);
    await expect(io.toOnnx(model)).rejects.toThrow(/^io\.toOnnx: the \.onnx format's code/);
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    await expect(loadModel(zip)).rejects.toThrow(
      /^loadModel: the \.keras format's code is not in this bundle/,
    );
  });

  it("webdl's own format round-trips with no registration", async () => {
    const model = mlp();
    const x = tensor([[1, 2]]);
    const again = await loadModel(await model.save());
    expect(await predicted(again, x)).toEqual(await predicted(model, x));
  });
});

describe('registered', () => {
  it('a bad module is refused, naming what it lacks', () => {
    expect(() => io.registerFormats({ toKeras: () => 1 } as never)).toThrow(
      /io\.registerFormats: the module lacks fromKeras, fromLegacyH5, toTfjs, fromTfjs, loadTfjsFrom, toOnnx/,
    );
  });

  it('a loader runs once, on first use, and then serves every format', async () => {
    const loader = vi.fn(() => import('../src/io-formats.js'));
    io.registerFormats(loader);
    expect(loader).not.toHaveBeenCalled();
    const model = mlp();
    const x = tensor([[0.5, -1]]);
    const keras = await io.toKeras(model);
    const fromKeras = await loadModel(keras);
    expect(await predicted(fromKeras, x)).toEqual(await predicted(model, x));
    const { modelJson, weightData } = await io.toTfjs(model);
    const fromTfjs = await loadModel({ modelJson, weightData });
    expect(await predicted(fromTfjs, x)).toEqual(await predicted(model, x));
    expect((await io.toOnnx(model)).byteLength).toBeGreaterThan(100);
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('the module itself works as well', async () => {
    io.registerFormats(await import('../src/io-formats.js'));
    expect((await io.toKeras(mlp()))[0]).toBe(0x50);
  });
});
