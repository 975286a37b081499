// The current dataset as tensors in the worker, with what the page needs to plot it.
import { transfer } from 'comlink';
import type { Tensor } from 'webdl';
import type { DatasetInfo, DatasetName } from '../protocol.js';
import { pointsDataset, type PointsDataset } from './datasets.js';
import type { Webdl } from './models.js';

/**
 * Training and validation tensors; for 2-D data also the raw points and the grid the decision
 * boundary is evaluated on.
 *
 * ```ts
 * const data = await LoadedDataset.load(dl, 'blobs');
 * await model.fit(data.x, data.y, { validationData: [data.vx, data.vy] });
 * ```
 */
export class LoadedDataset {
  private grid: { res: number; x: Tensor } | null = null;

  private constructor(
    private readonly dl: Webdl,
    readonly name: DatasetName,
    readonly inputShape: number[],
    readonly numClasses: number,
    readonly x: Tensor,
    readonly y: Tensor,
    readonly vx: Tensor,
    readonly vy: Tensor,
    readonly points?: PointsDataset,
  ) {}

  /** MNIST through @webdl/datasets (loaded on demand) (images [n, 28, 28, 1]); the 2-D sets generated. */
  static async load(dl: Webdl, name: DatasetName): Promise<LoadedDataset> {
    if (name === 'mnist') {
      const { loadMnist } = await import('@webdl/datasets');
      const m = await loadMnist({ train: 8000, test: 2000, shape: 'image' });
      dl.dispose([m.labelsTrain, m.labelsTest]);
      return new LoadedDataset(dl, name, [28, 28, 1], 10, m.xTrain, m.yTrain, m.xTest, m.yTest);
    }
    const p = pointsDataset(name);
    const rows = (a: Float32Array, width: number) => dl.tensor(a, [a.length / width, width]);
    const k = p.numClasses;
    return new LoadedDataset(
      dl,
      name,
      [2],
      k,
      rows(p.trainX, 2),
      rows(p.trainY, k),
      rows(p.valX, 2),
      rows(p.valY, k),
      p,
    );
  }

  /** Sizes and shapes; for 2-D data up to 600 training points with labels (transferred). */
  info(): DatasetInfo {
    const info: DatasetInfo = {
      name: this.name,
      inputShape: this.inputShape,
      numClasses: this.numClasses,
      trainSize: this.x.shape[0],
      valSize: this.vx.shape[0],
    };
    if (!this.points) return info;
    const { trainX, trainY, numClasses, extent } = this.points;
    const shown = Math.min(info.trainSize, 600);
    const points = trainX.slice(0, shown * 2);
    const labels = Int32Array.from({ length: shown }, (_, i) =>
      trainY.subarray(i * numClasses, (i + 1) * numClasses).indexOf(1),
    );
    return transfer({ ...info, extent, points, labels }, [points.buffer, labels.buffer]);
  }

  /** Cell centres of a res x res grid over the 2-D extent, row 0 at the top: [res * res, 2]. */
  gridInputs(res: number): Tensor {
    if (!this.points) throw new Error('the decision boundary needs a 2-D dataset');
    if (this.grid?.res !== res) {
      this.grid?.x.dispose();
      const [x0, x1, y0, y1] = this.points.extent;
      const pts = new Float32Array(res * res * 2);
      for (let r = 0; r < res; r++) {
        for (let c = 0; c < res; c++) {
          pts[2 * (r * res + c)] = x0 + ((c + 0.5) / res) * (x1 - x0);
          pts[2 * (r * res + c) + 1] = y1 - ((r + 0.5) / res) * (y1 - y0);
        }
      }
      this.grid = { res, x: this.dl.tensor(pts, [res * res, 2]) };
    }
    return this.grid.x;
  }

  dispose(): void {
    this.dl.dispose([this.x, this.y, this.vx, this.vy]);
    this.grid?.x.dispose();
    this.grid = null;
  }
}
