// The generative demo's panel: trains the worker's VAE and paints its grid of decoded digits.
import { proxy } from 'comlink';
import type { TrainerClient } from '../client.js';
import type { TensorPayload, VaeProgress } from '../protocol.js';

/** Paints side x side MNIST-sized images (white on black) into the canvas. */
export function paintDigits(canvas: HTMLCanvasElement, images: TensorPayload): void {
  const [count, pixels] = images.shape;
  const side = Math.round(Math.sqrt(count));
  const size = Math.round(Math.sqrt(pixels));
  const image = new ImageData(side * size, side * size);
  for (let k = 0; k < count; k++) {
    const ox = (k % side) * size;
    const oy = Math.floor(k / side) * size;
    for (let p = 0; p < pixels; p++) {
      const v = Math.round(images.data[k * pixels + p] * 255);
      const at = ((oy + Math.floor(p / size)) * side * size + ox + (p % size)) * 4;
      image.data.set([v, v, v, 255], at);
    }
  }
  canvas.width = side * size;
  canvas.height = side * size;
  canvas.getContext('2d')?.putImageData(image, 0, 0);
  canvas.hidden = false;
  canvas.dataset.drawn = String(Number(canvas.dataset.drawn ?? 0) + 1);
}

/**
 * Runs `trainVae` in the worker; the page's status, pause and stop apply to it as to any training.
 *
 * ```ts
 * new VaePanel(client, { begin, end, fail, settings });
 * ```
 */
export class VaePanel {
  private readonly button = document.getElementById('vae-train') as HTMLButtonElement;
  private readonly canvas = document.getElementById('vae-samples') as HTMLCanvasElement;
  private readonly statusEl = document.getElementById('vae-status') as HTMLElement;

  constructor(
    private readonly client: TrainerClient,
    private readonly page: {
      /** Returns false when training cannot start (busy, or invalid settings). */
      begin(): boolean;
      end(): void;
      fail(error: unknown): void;
      settings(): { epochs: number; batchSize: number } | null;
    },
  ) {
    this.button.addEventListener('click', () => void this.train());
  }

  setEnabled(enabled: boolean): void {
    this.button.disabled = !enabled;
  }

  private async train(): Promise<void> {
    const settings = this.page.settings();
    if (!settings || !this.page.begin()) return;
    this.statusEl.textContent = 'loading MNIST…';
    try {
      const loss = await this.client.call((t) =>
        t.trainVae(
          settings,
          proxy((p: VaeProgress) => this.show(p)),
        ),
      );
      this.statusEl.textContent += ` · done, loss ${loss.toFixed(1)}`;
      this.page.end();
    } catch (e) {
      this.page.fail(e);
    }
  }

  private show(p: VaeProgress): void {
    if (p.samples) paintDigits(this.canvas, p.samples);
    const loss = Number.isFinite(p.loss) ? p.loss.toFixed(1) : '–';
    this.statusEl.textContent =
      `epoch ${p.epoch + 1}/${p.epochs} · step ${p.step}/${p.steps} · loss ${loss} · ` +
      `${Math.round(p.samplesPerSec).toLocaleString('en')} samples/s`;
  }
}
