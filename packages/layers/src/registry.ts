// The class registry for (de)serialization: className → factory. Only registered classes can be rebuilt from a file.
import type { Layer } from './engine/layer.js';
import { registerBuiltinLayers } from './builtins.js';

/** Builds a layer from its config (the output of `getConfig()`). */
export type LayerFactory = (config: Record<string, unknown>) => Layer;

const FACTORIES = new Map<string, LayerFactory>();
let builtinsRegistered = false;

/** Registers the built-in classes once, before the registry's first use (so importing registers nothing). */
function ensureBuiltins(): void {
  if (builtinsRegistered) return;
  builtinsRegistered = true;
  registerBuiltinLayers();
}

/**
 * Registers a layer class for loading saved models. No code is ever evaluated from a file: a
 * saved className that was not registered fails with an error naming it.
 *
 * ```ts
 * registerLayer('Dense', (config) => new layers.Dense(config as unknown as layers.DenseConfig));
 * ```
 */
export function registerLayer(className: string, factory: LayerFactory): void {
  ensureBuiltins();
  FACTORIES.set(className, factory);
}

/**
 * Registers a layer class whose constructor takes its own `getConfig()` object (every layer
 * using `layerArgs` does), under its static `className`.
 *
 * ```ts
 * registerLayerClass(layers.Dense); // deserializeLayer({ className: 'Dense', config: { units: 3 } })
 * ```
 */
export function registerLayerClass(cls: { readonly className: string; new (config: never): Layer }): void {
  registerLayer(cls.className, (config) => new cls(config as never));
}

/** Whether a class name is registered. `isRegistered('Dense')` */
export function isRegistered(className: string): boolean {
  ensureBuiltins();
  return FACTORIES.has(className);
}

/** Registered class names, sorted. */
export function registeredLayers(): string[] {
  ensureBuiltins();
  return [...FACTORIES.keys()].sort();
}

/**
 * Rebuilds a layer from `{ className, config }`, throwing a clear error for unknown classes or bad configs.
 *
 * ```ts
 * const dense = deserializeLayer({ className: 'Dense', config: { units: 3 } });
 * ```
 */
export function deserializeLayer(spec: unknown): Layer {
  if (typeof spec !== 'object' || spec === null)
    throw new Error(`deserializeLayer: expected { className, config }, got ${String(spec)}`);
  const { className, config } = spec as { className?: unknown; config?: unknown };
  if (typeof className !== 'string')
    throw new Error('deserializeLayer: the layer spec has no string className');
  ensureBuiltins();
  const factory = FACTORIES.get(className);
  if (!factory) {
    throw new Error(
      `deserializeLayer: unknown layer class '${className}' (registered: ${registeredLayers().join(', ') || 'none'}); register it with registerLayer`,
    );
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new Error(`deserializeLayer: the config of '${className}' must be an object`);
  }
  try {
    return factory(config as Record<string, unknown>);
  } catch (e) {
    throw new Error(`deserializeLayer: could not rebuild '${className}': ${(e as Error).message}`);
  }
}
