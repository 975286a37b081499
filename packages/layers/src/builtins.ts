// The built-in layer and model classes, registered for loading on the registry's first use (not on import).
import { registerBasicLayers } from './layers/basic.js';
import { registerZooLayers } from './layers/zoo-registry.js';
import { registerZooExtraLayers } from './layers/zoo-extra.js';
import { Model } from './models/model.js';
import { Sequential } from './models/sequential.js';
import { registerLayer } from './registry.js';
import { builtins } from './registry-table.js';

/**
 * Registers every built-in class (Dense ... Concatenate, Sequential, Functional, Model) for
 * loading, once (later calls do nothing). The registry calls it before its first lookup or
 * registration, so importing the package has no side effect and a user's own `registerLayer` still
 * overrides a built-in name. `Sequential.fromConfig` and `Model.fromConfig` do not call it (so a
 * bundle that only trains carries no layer class it does not use): call it before them, or use
 * `deserializeLayer` or `loadModel`, which do.
 *
 * ```ts
 * registerBuiltinLayers();
 * isRegistered('Conv2D'); // true
 * ```
 */
export function registerBuiltinLayers(): void {
  if (builtins.registered) return;
  builtins.registered = true;
  registerBasicLayers();
  registerZooLayers();
  registerZooExtraLayers();
  registerLayer('Sequential', (c) => Sequential.fromConfig(c));
  registerLayer('Functional', (c) => Model.fromConfig(c));
  registerLayer('Model', (c) => Model.fromConfig(c));
}
