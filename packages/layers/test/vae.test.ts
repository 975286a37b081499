// A convolutional VAE as a custom training loop: encoder, decoder, reconstruction + KL loss, reparameterization with randomNormal.
import { GradientTape, dispose, randomNormal, setBackend, tensor, tidy, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../src/layers/dense.js';
import { Flatten } from '../src/layers/flatten.js';
import { Reshape } from '../src/layers/reshape.js';
import { Conv2D, Conv2DTranspose } from '../src/layers/zoo.js';
import { Sequential } from '../src/models/sequential.js';
import { Adam } from '../src/optimizers/adam.js';
import { setRandomSeed } from '../src/initializers.js';

beforeAll(async () => {
  await setBackend('cpu');
});

/** 8x8 images of a Gaussian blob (sigma 1.2) at a random continuous position: two latent factors. */
function blobImages(n: number, seed: number): Tensor {
  let s = seed;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const v = new Float32Array(n * 64);
  for (let i = 0; i < n; i++) {
    const cy = 1 + 5 * rand();
    const cx = 1 + 5 * rand();
    for (let r = 0; r < 8; r++) {
      for (let c = 0; c < 8; c++)
        v[i * 64 + r * 8 + c] = Math.exp(-((r - cy) ** 2 + (c - cx) ** 2) / (2 * 1.2 ** 2));
    }
  }
  return tensor(v, [n, 8, 8, 1]);
}

describe('VAE custom training loop', () => {
  it('the loss (reconstruction + KL) falls by at least 30%', async () => {
    setRandomSeed(2);
    const latent = 4;
    const encoder = new Sequential([
      new Conv2D(8, 3, { strides: 2, padding: 'same', activation: 'relu', inputShape: [8, 8, 1] }),
      new Flatten(),
      new Dense(2 * latent),
    ]);
    const decoder = new Sequential([
      new Dense(4 * 4 * 8, { activation: 'relu', inputShape: [latent] }),
      new Reshape([4, 4, 8]),
      new Conv2DTranspose(8, 3, { strides: 2, padding: 'same', activation: 'relu' }),
      new Conv2D(1, 3, { padding: 'same' }),
    ]);
    const optimizer = new Adam({ learningRate: 0.005 });
    const n = 1024;
    const data = blobImages(n, 7);
    const batch = 32;
    const epochs = 8;
    const variables = [...encoder.trainableWeights, ...decoder.trainableWeights];
    const epochLoss: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      let total = 0;
      for (let b = 0; b < n / batch; b++) {
        const x = data.slice([b * batch, 0, 0, 0], [batch, 8, 8, 1]);
        const eps = randomNormal([batch, latent], { seed: epoch * 1000 + b });
        const tape = new GradientTape();
        const loss = tape.record(() =>
          tidy(() => {
            const [mean, logVar] = (encoder.apply(x, { training: true }) as Tensor).split(2, 1);
            // Reparameterization: z = mean + sigma * eps keeps the sampling differentiable.
            const z = mean.add(logVar.mul(0.5).exp().mul(eps));
            const logits = (decoder.apply(z, { training: true }) as Tensor).reshape([batch, 64]);
            const target = x.reshape([batch, 64]);
            // Bernoulli log-likelihood on logits: softplus(l) - t*l, summed over pixels.
            const recon = logits.softplus().sub(target.mul(logits)).sum(1);
            const kl = mean.square().add(logVar.exp()).sub(logVar).sub(1).mul(0.5).sum(1);
            return recon.add(kl).mean();
          }),
        );
        const grads = tape.gradient(loss, variables);
        optimizer.applyGradients(grads, variables);
        total += await loss.item();
        dispose([x, eps, loss]);
        dispose(grads.filter((g): g is Tensor => g !== null));
      }
      epochLoss.push(total / (n / batch));
    }
    console.info(
      `VAE: loss per epoch ${epochLoss.map((l) => l.toFixed(2)).join(' ')}; fell by ${(100 * (1 - epochLoss.at(-1)! / epochLoss[0])).toFixed(1)}%`,
    );
    expect(epochLoss.every(Number.isFinite)).toBe(true);
    expect(epochLoss.at(-1)!).toBeLessThan(0.7 * epochLoss[0]);
  });
});
