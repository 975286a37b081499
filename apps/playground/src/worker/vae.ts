// A small variational autoencoder on MNIST, trained with GradientTape; decodes a grid of its 2-D latent space.
import type { Sequential, Tensor, Variable } from 'webdl';
import type { Webdl } from './models.js';

const LATENT = 2;

/** Hooks the training loop calls between steps (progress, pause, stop). */
export interface VaeHooks {
  /** Called after every step; resolves when training may go on (e.g. after a pause). */
  afterStep(step: number, epoch: number, loss: number): Promise<void>;
  shouldStop(): boolean;
}

/**
 * Encoder 784 → 128 → (mean, log-variance) of a 2-D Gaussian; decoder 2 → 128 → 784 logits.
 *
 * ```ts
 * const vae = new Vae(dl);
 * await vae.train(images, 64, 2, hooks);
 * const grid = await vae.decodeGrid(8); // 64 images of 784 pixels in [0, 1]
 * ```
 */
export class Vae {
  readonly encoder: Sequential;
  readonly decoder: Sequential;
  private readonly optimizer: InstanceType<Webdl['optimizers']['Adam']>;

  constructor(private readonly dl: Webdl) {
    const { layers, Sequential: Seq } = dl;
    this.encoder = new Seq([
      new layers.Dense(128, { activation: 'relu', inputShape: [784] }),
      new layers.Dense(2 * LATENT),
    ]);
    this.decoder = new Seq([
      new layers.Dense(128, { activation: 'relu', inputShape: [LATENT] }),
      new layers.Dense(784),
    ]);
    this.optimizer = new dl.optimizers.Adam({ learningRate: 2e-3 });
  }

  /** Negative ELBO per sample: Bernoulli reconstruction error plus the KL divergence to N(0, I). */
  private loss(x: Tensor): Tensor {
    const { dl } = this;
    const stats = this.encoder.apply(x) as Tensor;
    const n = x.shape[0];
    const mean = dl.slice(stats, [0, 0], [n, LATENT]);
    const logVar = dl.slice(stats, [0, LATENT], [n, LATENT]);
    // Reparameterisation: z = mean + sigma * eps keeps the sample differentiable in mean and sigma.
    const z = mean.add(
      logVar
        .mul(0.5)
        .exp()
        .mul(dl.randomNormal([n, LATENT])),
    );
    const logits = this.decoder.apply(z) as Tensor;
    // Sigmoid cross-entropy from logits, stable form: softplus(l) - x * l.
    const recon = dl.softplus(logits).sub(x.mul(logits)).sum(1);
    const kl = logVar.add(1).sub(mean.square()).sub(logVar.exp()).sum(1).mul(-0.5);
    return recon.add(kl).mean();
  }

  /** Trains on `images` ([n, 784] in [0, 1]) for `epochs`, one gradient step per shuffled batch. */
  async train(images: Tensor, batchSize: number, epochs: number, hooks: VaeHooks): Promise<number> {
    const { dl } = this;
    const n = images.shape[0];
    const variables: Variable[] = [...this.encoder.trainableWeights, ...this.decoder.trainableWeights];
    let step = 0;
    let last = NaN;
    for (let epoch = 0; epoch < epochs && !hooks.shouldStop(); epoch++) {
      const order = dl.tensor(shuffled(n), [n], 'int32');
      for (let b = 0; b * batchSize < n && !hooks.shouldStop(); b++) {
        const size = Math.min(batchSize, n - b * batchSize);
        const lossTensor = dl.tidy(() => {
          const x = dl.gather(images, dl.slice(order, [b * batchSize], [size]));
          const tape = new dl.GradientTape();
          const loss = tape.record(() => this.loss(x));
          const grads = tape.gradient(loss, variables);
          this.optimizer.applyGradients(grads, variables);
          return loss;
        });
        last = await lossTensor.item();
        lossTensor.dispose();
        await hooks.afterStep(++step, epoch, last);
      }
      order.dispose();
    }
    return last;
  }

  /** Decodes a side x side grid over the latent square [-2, 2]^2: side^2 images of 784 pixels. */
  async decodeGrid(side: number): Promise<Float32Array> {
    const { dl } = this;
    const z = new Float32Array(side * side * LATENT);
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        z[(r * side + c) * 2] = -2 + (4 * c) / (side - 1);
        z[(r * side + c) * 2 + 1] = 2 - (4 * r) / (side - 1);
      }
    }
    const images = dl.tidy(() =>
      dl.sigmoid(this.decoder.apply(dl.tensor(z, [side * side, LATENT])) as Tensor),
    );
    const data = Float32Array.from(await images.data());
    images.dispose();
    return data;
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}

/** 0..n-1 in random order (Fisher-Yates). */
function shuffled(n: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
