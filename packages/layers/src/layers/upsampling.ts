// UpSampling2D layer: repeats rows and columns (nearest) or interpolates them (bilinear), channels-last.
import { matmul, tensor, type Tensor } from '@webdl/core';
import { Layer, type CallArgs, type LayerArgs, type Shape } from '../engine/layer.js';
import { layerArgs, type LayerParams, type OptionTable } from '../engine/options.js';
import { checkDataFormat, normalizeTuple } from './conv-utils.js';
import { singleShape, singleTensor } from './layer-utils.js';

/**
 * Options of UpSampling2D.
 *
 * ```ts
 * const args: layers.UpSampling2DArgs = { size: [2, 2], interpolation: 'bilinear' };
 * new layers.UpSampling2D(args);
 * ```
 */
export interface UpSampling2DArgs extends LayerArgs {
  size?: number | number[];
  dataFormat?: 'channelsLast';
  interpolation?: 'nearest' | 'bilinear';
}

const UPSAMPLING_POSITIONAL = ['size'] as const;

/**
 * Scales NHWC images up by integer factors: 'nearest' repeats pixels, 'bilinear' interpolates with
 * half-pixel centers (as Keras 3 / tf.image.resize).
 *
 * ```ts
 * new layers.UpSampling2D({ size: 2 }).apply(zeros([1, 7, 7, 3])); // [1, 14, 14, 3]
 * ```
 */
export class UpSampling2D extends Layer {
  static readonly className = 'UpSampling2D';
  static readonly positional = UPSAMPLING_POSITIONAL;
  static readonly options: OptionTable<UpSampling2DArgs> = {
    size: true,
    dataFormat: true,
    interpolation: true,
  };
  readonly size: number[];
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(...params: LayerParams<UpSampling2DArgs, typeof UPSAMPLING_POSITIONAL>) {
    const args = layerArgs<UpSampling2DArgs>(UpSampling2D, params);
    super(args);
    checkDataFormat(args.dataFormat, 'UpSampling2D');
    this.size = normalizeTuple(args.size ?? 2, 2, 'UpSampling2D size');
    const interp = args.interpolation ?? 'nearest';
    if (interp !== 'nearest' && interp !== 'bilinear')
      throw new Error(`UpSampling2D: interpolation must be 'nearest' or 'bilinear', got '${String(interp)}'`);
    this.interpolation = interp;
  }

  call(inputs: Tensor | Tensor[], _args: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    if (x.rank !== 4)
      throw new Error(`${this.name}: expects NHWC input of rank 4, got [${x.shape.join(',')}]`);
    const [n, h, w, c] = x.shape;
    const [sh, sw] = this.size;
    if (this.interpolation === 'nearest') {
      // [n,h,1,w,1,c] broadcast to [n,h,sh,w,sw,c] then merged: every pixel repeated sh x sw times.
      return x
        .reshape([n, h, 1, w, 1, c])
        .broadcastTo([n, h, sh, w, sw, c])
        .reshape([n, h * sh, w * sw, c]);
    }
    // Bilinear as two matrix products with fixed interpolation matrices: rows, then columns.
    const ah = tensor(bilinearMatrix(h, h * sh), [h * sh, h]);
    const aw = tensor(bilinearMatrix(w, w * sw), [w * sw, w]);
    const rows = matmul(ah, x.transpose([0, 3, 1, 2])); // [n, c, H, w]
    const both = matmul(rows, aw, { transposeB: true }); // [n, c, H, W]
    return both.transpose([0, 2, 3, 1]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w, c] = singleShape(inputShape, this.name);
    return [n, h === null ? null : h * this.size[0], w === null ? null : w * this.size[1], c];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      size: this.size,
      dataFormat: 'channelsLast',
      interpolation: this.interpolation,
    };
  }
}

/** [outLen, inLen] weights of half-pixel-center linear interpolation (edges clamped). */
function bilinearMatrix(inLen: number, outLen: number): Float32Array {
  const m = new Float32Array(outLen * inLen);
  const scale = inLen / outLen;
  for (let i = 0; i < outLen; i++) {
    const src = (i + 0.5) * scale - 0.5;
    const f = Math.floor(src);
    const frac = src - f;
    const lo = Math.min(Math.max(f, 0), inLen - 1);
    const hi = Math.min(Math.max(f + 1, 0), inLen - 1);
    m[i * inLen + lo] += 1 - frac;
    m[i * inLen + hi] += frac;
  }
  return m;
}
