// GPU buffers reused by size class: freed buffers wait until the work that used them is submitted, then serve later requests.

/**
 * Rounds a byte size up to its class: multiples of 256 below 4 KiB, then quarter steps between powers of two (at most 25% waste).
 *
 * ```ts
 * sizeClass(1000); // 1024: buffers are pooled by size class
 * ```
 */
export function sizeClass(bytes: number): number {
  const b = Math.max(16, bytes);
  if (b <= 4096) return Math.ceil(b / 256) * 256;
  const pow = 2 ** Math.floor(Math.log2(b));
  const step = pow / 4;
  return Math.ceil(b / step) * step;
}

/** Figures the pool reports through `memory()`. */
export interface PoolStats {
  /** Bytes of every buffer the pool created and still holds (live and free). */
  allocatedBytes: number;
  /** Bytes handed out and not yet released. */
  liveBytes: number;
  /** Bytes of buffers waiting in the free lists. */
  freeBytes: number;
  liveBuffers: number;
}

/**
 * A pool of buffers with one usage, keyed by size class.
 *
 * ```ts
 * const pool = new BufferPool(device, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, 'data');
 * const buf = pool.acquire(1024);
 * pool.release(buf); // reusable at once: callers release only after the work using it is submitted
 * ```
 */
export class BufferPool {
  private free = new Map<number, GPUBuffer[]>();
  private stats: PoolStats = { allocatedBytes: 0, liveBytes: 0, freeBytes: 0, liveBuffers: 0 };
  /** Buffers this pool has created, and their bytes, over its life (never decreasing). */
  createdBuffers = 0;
  createdBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: GPUBufferUsageFlags,
    private readonly label: string,
    /** Called when a buffer must be created (so the caller can open an out-of-memory error scope). */
    private readonly onCreate?: (create: () => GPUBuffer) => GPUBuffer,
  ) {}

  /** A buffer of at least `bytes` bytes (its `size` is the size class). */
  acquire(bytes: number): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    let buf = list?.pop();
    if (buf) {
      this.stats.freeBytes -= size;
    } else {
      const create = () =>
        this.device.createBuffer({ size, usage: this.usage, label: `${this.label}:${size}` });
      buf = this.onCreate ? this.onCreate(create) : create();
      this.stats.allocatedBytes += size;
      this.createdBuffers++;
      this.createdBytes += size;
    }
    this.stats.liveBytes += size;
    this.stats.liveBuffers++;
    return buf;
  }

  /** Returns a buffer to its free list. */
  release(buf: GPUBuffer): void {
    const size = buf.size;
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(buf);
    this.stats.liveBytes -= size;
    this.stats.liveBuffers--;
    this.stats.freeBytes += size;
  }

  /** Destroys every free buffer (live ones are untouched). */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.stats.allocatedBytes -= this.stats.freeBytes;
    this.stats.freeBytes = 0;
    this.free.clear();
  }

  /** A snapshot of the pool's figures. */
  get figures(): PoolStats {
    return { ...this.stats };
  }
}
