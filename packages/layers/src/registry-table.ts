// The class table behind the registry, with no built-in class linked in: Sequential.fromConfig and Model.fromConfig
// read it, so a bundle that only trains does not carry every layer class (registry.ts registers the built-ins).
import type { Layer } from './engine/layer.js';

/** Builds a layer from its config (the output of `getConfig()`). */
export type LayerFactory = (config: Record<string, unknown>) => Layer;

/** className → factory. */
export const FACTORIES = new Map<string, LayerFactory>();

/** Whether the built-in classes were registered (registry.ts does it before its first use). */
export const builtins = { registered: false };

/**
 * Rebuilds a layer from `{ className, config }` with the classes registered so far, throwing a
 * clear error for unknown classes or bad configs (naming `registerBuiltinLayers` when the
 * built-in classes were never registered).
 *
 * ```ts
 * const dense = buildLayer({ className: 'Dense', config: { units: 3 } });
 * ```
 */
export function buildLayer(spec: unknown): Layer {
  if (typeof spec !== 'object' || spec === null)
    throw new Error(`deserializeLayer: expected { className, config }, got ${String(spec)}`);
  const { className, config } = spec as { className?: unknown; config?: unknown };
  if (typeof className !== 'string')
    throw new Error('deserializeLayer: the layer spec has no string className');
  const factory = FACTORIES.get(className);
  if (!factory) {
    const known = [...FACTORIES.keys()].sort().join(', ') || 'none';
    throw new Error(
      builtins.registered
        ? `deserializeLayer: unknown layer class '${className}' (registered: ${known}); register it with registerLayer`
        : `deserializeLayer: unknown layer class '${className}': the built-in classes are not registered yet; call registerBuiltinLayers() first (loadModel and deserializeLayer do it)`,
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
