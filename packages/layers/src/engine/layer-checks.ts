// Checks of the options every layer takes (dtype, input shapes), run in the Layer constructor.
import type { LayerArgs } from './layer.js';

const DTYPES = ['float32', 'int32', 'bool'];

/** Throws naming the layer class: `Flatten: dtype must be float32, int32 or bool, got 'complex64'`. */
export function checkLayerArgs(className: string, args: LayerArgs): void {
  if (args.dtype !== undefined && !DTYPES.includes(args.dtype))
    throw new Error(`${className}: dtype must be float32, int32 or bool, got '${String(args.dtype)}'`);
  const dims = (shape: readonly (number | null)[] | undefined, key: string, nullable: boolean) => {
    if (shape === undefined) return;
    if (!Array.isArray(shape)) throw new Error(`${className}: ${key} must be an array, got ${String(shape)}`);
    const bad = shape.some((d) => !(d === null && nullable) && !(Number.isInteger(d) && (d as number) >= 0));
    if (bad) throw new Error(`${className}: ${key} ${JSON.stringify(shape)} must hold non-negative integers`);
  };
  dims(args.inputShape, 'inputShape', true);
  dims(args.batchInputShape, 'batchInputShape', true);
}
