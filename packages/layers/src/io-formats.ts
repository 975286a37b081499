// @webdl/layers/io: the code that reads and writes .keras, legacy .h5, TF.js and ONNX files (with h5wasm, fflate and
// onnx-proto), kept out of the main entry so that a bundle that only trains never carries it; see io.registerFormats.
import { fromKeras, toKeras } from './io/keras.js';
import { fromLegacyH5 } from './io/keras-legacy.js';
import { toOnnx } from './io/onnx/export.js';
import { fromTfjs, loadTfjsFrom } from './io/tfjs.js';
import { toTfjs } from './io/tfjs-write.js';

/**
 * The format code, for `io.registerFormats` (pass the module itself, or a function importing it).
 *
 * ```ts
 * import * as formats from '@webdl/layers/io';
 * io.registerFormats(formats);
 * ```
 */
export { fromKeras, fromLegacyH5, fromTfjs, loadTfjsFrom, toKeras, toOnnx, toTfjs };
