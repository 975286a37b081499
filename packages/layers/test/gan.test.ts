// A GAN as a custom training loop (the eager-execution talk): two Sequential models, two optimizers, one tape each.
import { GradientTape, dispose, randomNormal, setBackend, softplus, tidy, type Tensor } from '@webdl/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../src/layers/dense.js';
import { BatchNormalization } from '../src/layers/zoo.js';
import { Sequential } from '../src/models/sequential.js';
import { Adam } from '../src/optimizers/adam.js';
import { setRandomSeed } from '../src/initializers.js';

beforeAll(async () => {
  await setBackend('cpu');
});

/** Binary crossentropy on logits, mean over the batch: softplus(z) - y*z. */
const bceLogits = (logits: Tensor, label: 0 | 1): Tensor =>
  (label === 1 ? softplus(logits).sub(logits) : softplus(logits)).mean();

describe('GAN custom training loop', () => {
  it('trains a generator towards a 2-D Gaussian; losses stay finite and samples change', async () => {
    setRandomSeed(1);
    const latent = 4;
    const generator = new Sequential([
      new Dense(16, { inputShape: [latent] }),
      new BatchNormalization(),
      new Dense(16, { activation: 'leaky_relu' }),
      new Dense(2),
    ]);
    const discriminator = new Sequential([
      new Dense(16, { activation: 'leaky_relu', inputShape: [2] }),
      new Dense(1),
    ]);
    const genOpt = new Adam({ learningRate: 0.01, beta1: 0.5 });
    const discOpt = new Adam({ learningRate: 0.01, beta1: 0.5 });
    const realMean = [2, -1];
    const fixedNoise = randomNormal([256, latent], { seed: 99 });
    const sampleMean = async (): Promise<number[]> => {
      const s = tidy(() => (generator.apply(fixedNoise) as Tensor).mean(0));
      const v = Array.from(await s.data());
      s.dispose();
      return v;
    };
    const samplesBefore = tidy(() => generator.apply(fixedNoise) as Tensor);
    const meanBefore = await sampleMean();

    const genLosses: number[] = [];
    const discLosses: number[] = [];
    const batch = 64;
    for (let step = 0; step < 300; step++) {
      const real = randomNormal([batch, 2], { seed: 1000 + step, stddev: 0.5 }).add([realMean]);
      const noise = randomNormal([batch, latent], { seed: 5000 + step });
      // The two actors and their losses, recorded by one tape each (as in the talk).
      const genTape = new GradientTape();
      const discTape = new GradientTape();
      const [genLoss, discLoss] = genTape.record(() =>
        discTape.record(() =>
          tidy(() => {
            const fake = generator.apply(noise, { training: true }) as Tensor;
            const realOut = discriminator.apply(real, { training: true }) as Tensor;
            const fakeOut = discriminator.apply(fake, { training: true }) as Tensor;
            return [bceLogits(fakeOut, 1), bceLogits(realOut, 1).add(bceLogits(fakeOut, 0))];
          }),
        ),
      );
      const genGrads = genTape.gradient(genLoss, generator.trainableWeights);
      const discGrads = discTape.gradient(discLoss, discriminator.trainableWeights);
      genOpt.applyGradients(genGrads, generator.trainableWeights);
      discOpt.applyGradients(discGrads, discriminator.trainableWeights);
      genLosses.push(await genLoss.item());
      discLosses.push(await discLoss.item());
      dispose([real, noise, genLoss, discLoss]);
      dispose(genGrads.filter((g): g is Tensor => g !== null));
      dispose(discGrads.filter((g): g is Tensor => g !== null));
    }

    expect(genLosses.every(Number.isFinite)).toBe(true);
    expect(discLosses.every(Number.isFinite)).toBe(true);
    const samplesAfter = tidy(() => generator.apply(fixedNoise) as Tensor);
    const change = tidy(() => samplesAfter.sub(samplesBefore).abs().mean());
    const meanAfter = await sampleMean();
    const dist = (m: number[]) => Math.hypot(m[0] - realMean[0], m[1] - realMean[1]);
    console.info(
      `GAN: gen loss ${genLosses[0].toFixed(3)} -> ${genLosses.at(-1)!.toFixed(3)}, disc loss ${discLosses[0].toFixed(3)} -> ${discLosses.at(-1)!.toFixed(3)}, ` +
        `mean |sample change| ${(await change.item()).toFixed(3)}, distance of sample mean to data mean ${dist(meanBefore).toFixed(3)} -> ${dist(meanAfter).toFixed(3)}`,
    );
    expect(await change.item()).toBeGreaterThan(0.1);
    // The generator moved its samples towards the data.
    expect(dist(meanAfter)).toBeLessThan(dist(meanBefore) / 2);
  });
});
