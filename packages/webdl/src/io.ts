// webdl/io: the .keras, legacy .h5, TF.js and ONNX format code (from @webdl/layers/io), registered with io.registerFormats.
/**
 * The format code, for `io.registerFormats`: pass the module (its code goes into the bundle) or a
 * function importing it (split off and loaded on first use where the bundle can split).
 *
 * ```ts
 * import * as dl from 'webdl';
 * import * as formats from 'webdl/io';
 * dl.io.registerFormats(formats);
 * ```
 */
export { fromKeras, fromLegacyH5, fromTfjs, loadTfjsFrom, toKeras, toOnnx, toTfjs } from '@webdl/layers/io';
