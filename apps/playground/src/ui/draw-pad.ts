// A canvas to draw a digit on, turned into a 28x28 MNIST-style image (20x20 box, centred by mass).

/**
 * Calls `onChange` with the 784 pixel values in [0, 1] whenever the drawing changes (at most once
 * per animation frame), and with null when cleared.
 *
 * ```ts
 * new DrawPad(canvas, (pixels) => pixels && classify(pixels));
 * ```
 */
export class DrawPad {
  private drawing = false;
  private last: [number, number] | null = null;
  private frame = 0;
  private inked = false;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onChange: (pixels: Float32Array | null) => void,
  ) {
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2d context for the draw pad');
    this.ctx = ctx;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      this.drawing = true;
      canvas.setPointerCapture(e.pointerId);
      this.last = this.pos(e);
      this.stroke(this.last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (this.drawing) this.stroke(this.pos(e));
    });
    const end = () => {
      this.drawing = false;
      this.last = null;
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.inked = false;
    this.onChange(null);
  }

  private pos(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [
      ((e.clientX - r.left) / r.width) * this.canvas.width,
      ((e.clientY - r.top) / r.height) * this.canvas.height,
    ];
  }

  private stroke(to: [number, number]): void {
    const from = this.last ?? to;
    const { ctx } = this;
    ctx.strokeStyle = '#fff';
    ctx.lineCap = 'round';
    ctx.lineWidth = this.canvas.width / 12;
    ctx.beginPath();
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(to[0], to[1]);
    ctx.stroke();
    this.last = to;
    this.inked = true;
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        if (this.inked) this.onChange(this.pixels());
      });
    }
  }

  /** The drawing as MNIST does it: ink's bounding box scaled into 20x20, centre of mass at (14, 14). */
  pixels(): Float32Array {
    const { width, height } = this.canvas;
    const src = this.ctx.getImageData(0, 0, width, height).data;
    let [x0, y0, x1, y1] = [width, height, -1, -1];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (src[(y * width + x) * 4] > 20) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
      }
    }
    const out = new Float32Array(784);
    if (x1 < 0) return out;
    const scale = 20 / Math.max(x1 - x0 + 1, y1 - y0 + 1);
    const small = new OffscreenCanvas(28, 28);
    const sctx = small.getContext('2d', { willReadFrequently: true });
    if (!sctx) return out;
    sctx.imageSmoothingEnabled = true;
    sctx.imageSmoothingQuality = 'high';
    const w = (x1 - x0 + 1) * scale;
    const h = (y1 - y0 + 1) * scale;
    sctx.drawImage(this.canvas, x0, y0, x1 - x0 + 1, y1 - y0 + 1, (28 - w) / 2, (28 - h) / 2, w, h);
    const img = sctx.getImageData(0, 0, 28, 28).data;
    let [mass, mx, my] = [0, 0, 0];
    const box = new Float32Array(784);
    for (let i = 0; i < 784; i++) {
      box[i] = img[i * 4] / 255;
      mass += box[i];
      mx += (i % 28) * box[i];
      my += Math.floor(i / 28) * box[i];
    }
    // Shift by whole pixels so the centre of mass lands in the middle.
    const dx = Math.round(13.5 - mx / mass);
    const dy = Math.round(13.5 - my / mass);
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const sx = x - dx;
        const sy = y - dy;
        if (sx >= 0 && sx < 28 && sy >= 0 && sy < 28) out[y * 28 + x] = box[sy * 28 + sx];
      }
    }
    return out;
  }
}
