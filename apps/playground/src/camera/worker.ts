// The camera worker: frames (ImageBitmaps) become 32x32 tensors with fromPixels + image.resizeBilinear, a small CNN with augmentation trains on them, and predicts live frames.
import { expose } from 'comlink';
import type { Model, Tensor } from 'webdl';
import { FRAME_SIDE, type CameraPrediction, type CameraProgress, type CameraState } from './protocol.js';

type Webdl = typeof import('webdl');

class CameraTrainer {
  private lib: Webdl | null = null;
  private examples: Tensor[][] = [];
  private model: Model | null = null;

  /** Loads webdl (webgpu where an adapter exists, else cpu) and sets the number of classes. */
  async init(numClasses: number): Promise<CameraState> {
    this.lib ??= await import('webdl');
    await this.lib.ready();
    for (const list of this.examples) this.lib.dispose(list);
    this.examples = Array.from({ length: numClasses }, () => []);
    this.model?.dispose();
    this.model = null;
    return this.state();
  }

  private state(): CameraState {
    return { backend: this.need().getBackend(), counts: this.examples.map((l) => l.length) };
  }

  private need(): Webdl {
    if (!this.lib) throw new Error('camera worker: call init() first');
    return this.lib;
  }

  /** A frame as a float32 [32, 32, 3] tensor in [0, 1]: fromPixels, then image.resizeBilinear. */
  private toInput(frame: ImageBitmap): Tensor {
    const dl = this.need();
    try {
      return dl.tidy(() =>
        dl.image
          .resizeBilinear(dl.browser.fromPixels(frame, 3), [FRAME_SIDE, FRAME_SIDE], {
            halfPixelCenters: true,
          })
          .div(255),
      );
    } finally {
      frame.close();
    }
  }

  /** Adds a captured frame to a class. */
  addExample(frame: ImageBitmap, classIndex: number): CameraState {
    const list = this.examples[classIndex];
    if (!list) {
      frame.close();
      throw new Error(`camera worker: no class ${classIndex} (there are ${this.examples.length})`);
    }
    list.push(this.toInput(frame));
    return this.state();
  }

  /** Trains a small CNN (random flips and rotations as augmentation) on the captured frames. */
  async train(epochs: number, onProgress: (p: CameraProgress) => void): Promise<CameraProgress> {
    const dl = this.need();
    const n = this.examples.length;
    const missing = this.examples.findIndex((l) => l.length === 0);
    if (missing >= 0) throw new Error(`capture at least one frame of class ${missing + 1} first`);
    const { layers } = dl;
    this.model?.dispose();
    const model = new dl.Sequential([
      new layers.RandomFlip('horizontal'),
      new layers.RandomRotation(0.03),
      new layers.Conv2D(8, 3, { activation: 'relu' }),
      new layers.MaxPooling2D(2),
      new layers.Conv2D(16, 3, { activation: 'relu' }),
      new layers.MaxPooling2D(2),
      new layers.Flatten(),
      new layers.Dense(n, { activation: 'softmax' }),
    ]);
    model.compile({
      optimizer: new dl.optimizers.Adam({ learningRate: 0.005 }),
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const xs = dl.stack(this.examples.flat());
    const ys = dl.tidy(() =>
      dl.oneHot(
        dl.tensor(
          this.examples.flatMap((l, c) => l.map(() => c)),
          undefined,
          'int32',
        ),
        n,
      ),
    );
    let last: CameraProgress = { epoch: 0, epochs, loss: NaN, accuracy: NaN };
    try {
      await model.fit(xs, ys, {
        epochs,
        batchSize: 16,
        shuffle: true,
        verbose: 0,
        callbacks: [
          {
            onEpochEnd: (epoch: number, logs?: Record<string, number>) => {
              last = {
                epoch: epoch + 1,
                epochs,
                loss: logs?.loss ?? NaN,
                accuracy: logs?.accuracy ?? logs?.acc ?? NaN,
              };
              onProgress(last);
            },
          },
        ],
      });
    } finally {
      xs.dispose();
      ys.dispose();
    }
    this.model = model;
    return last;
  }

  /** Class probabilities for a live frame. */
  async predict(frame: ImageBitmap): Promise<CameraPrediction> {
    const dl = this.need();
    const start = performance.now();
    const x = this.toInput(frame);
    if (!this.model) {
      x.dispose();
      throw new Error('train the camera classifier first');
    }
    const batch = x.expandDims(0);
    x.dispose();
    const y = await this.model.predict(batch);
    batch.dispose();
    const out = Array.isArray(y) ? y[0] : y;
    const probabilities = Array.from(await out.data());
    dl.dispose(y);
    return { probabilities, ms: performance.now() - start };
  }
}

expose(new CameraTrainer());

export type CameraApi = CameraTrainer;
