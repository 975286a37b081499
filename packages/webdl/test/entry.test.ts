// The umbrella entry: importing runs nothing (no backend opened, no registration); ready() picks and says which once.
import '../../webgpu/test/node-gpu.js';
import { afterEach, expect, test, vi } from 'vitest';
import { ENGINE } from '@webdl/core';
import { isRegistered } from '@webdl/layers';
import * as dl from 'webdl';

afterEach(() => vi.restoreAllMocks());

test('importing webdl registers no backend beyond cpu and opens none', () => {
  expect(ENGINE.registeredBackends()).toEqual(['cpu']);
  expect(typeof dl.ready).toBe('function');
});

test('the layer registry fills itself on first use, and a user registration still overrides a built-in', () => {
  expect(isRegistered('Dense')).toBe(true);
  expect(isRegistered('Conv2D')).toBe(true);
  expect(isRegistered('Sequential')).toBe(true);
  const mine = new dl.layers.Dense(3);
  dl.registerLayer('Dense', () => mine);
  expect(dl.deserializeLayer({ className: 'Dense', config: { units: 5 } })).toBe(mine);
  dl.registerLayer('Dense', (c) => new dl.layers.Dense(c.units as number));
});

test('ready() picks webgpu when an adapter exists, else cpu, and says which exactly once', async () => {
  const info = vi.spyOn(console, 'info').mockImplementation(() => {});
  await dl.ready();
  await dl.ready();
  const name = dl.getBackend();
  expect(['webgpu', 'cpu']).toContain(name);
  expect(ENGINE.registeredBackends()).toContain('webgpu');
  expect(info).toHaveBeenCalledTimes(1);
  expect(String(info.mock.calls[0][0])).toMatch(new RegExp(`^webdl: using the ${name} backend`));
  expect(await dl.tensor([1, 2, 3]).square().data()).toEqual(new Float32Array([1, 4, 9]));
});

test('setBackend by name is silent', async () => {
  const info = vi.spyOn(console, 'info').mockImplementation(() => {});
  await dl.setBackend('cpu');
  expect(dl.getBackend()).toBe('cpu');
  expect(info).not.toHaveBeenCalled();
});
