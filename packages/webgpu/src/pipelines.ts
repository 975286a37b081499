// Compute pipelines cached by final WGSL source plus override constants (one shader module per source); in-flight compiles are shared, errors show the WGSL line.

/** A pipeline that may still be compiling. */
export interface PipelineRef {
  /** Set once compiled. */
  pipeline: GPUComputePipeline | null;
  promise: Promise<GPUComputePipeline>;
}

/**
 * Formats compilation messages with the offending source lines (1-based line numbers as WGSL reports them).
 *
 * ```ts
 * const device = await getDevice();
 * const source = 'fn main() { let x = ; }';
 * const info = await device.createShaderModule({ code: source }).getCompilationInfo();
 * console.error(formatCompileMessages(source, info.messages)); // each error with its source line
 * ```
 */
export function formatCompileMessages(source: string, messages: readonly GPUCompilationMessage[]): string {
  const lines = source.split('\n');
  return messages
    .map((m) => {
      const at = m.lineNum > 0 ? `:${m.lineNum}:${m.linePos}` : '';
      const text =
        m.lineNum > 0
          ? `\n  ${m.lineNum} | ${lines[m.lineNum - 1] ?? ''}\n  ${' '.repeat(String(m.lineNum).length)} | ${' '.repeat(Math.max(0, m.linePos - 1))}^`
          : '';
      return `${m.type}${at}: ${m.message}${text}`;
    })
    .join('\n');
}

/** The cache key of a source and its override constants. */
function keyOf(source: string, constants: Record<string, number>): string {
  const names = Object.keys(constants).sort();
  return `${source}\u0000${names.map((n) => `${n}=${constants[n]}`).join(',')}`;
}

/**
 * Pipeline cache keyed on the exact WGSL source and its override constants.
 *
 * ```ts
 * const ref = cache.get('@compute @workgroup_size(64) fn main() {}', { WG: 64 }, 'noop');
 * const pipeline = ref.pipeline ?? (await ref.promise);
 * ```
 */
export class PipelineCache {
  private cache = new Map<string, PipelineRef>();
  /** Shader modules by WGSL source: pipelines differing only in override constants share one. */
  private modules = new Map<string, GPUShaderModule>();
  /** Number of distinct pipelines requested (for tests and diagnostics). */
  compiled = 0;
  /** Pipelines requested by `prepare`, and the turns of those not started yet. */
  private readonly background = new Set<PipelineRef>();
  private readonly waiting: { ref: PipelineRef; start: () => void; fail: (e: unknown) => void }[] = [];
  private draining = false;

  constructor(private readonly device: GPUDevice) {}

  get(source: string, constants: Record<string, number>, label: string): PipelineRef {
    const key = keyOf(source, constants);
    return this.cache.get(key) ?? this.create(key, source, constants, label, null);
  }

  /** The pipeline of this source and constants if it is compiled already (requests nothing). */
  compiledPipeline(source: string, constants: Record<string, number>): GPUComputePipeline | null {
    return this.cache.get(keyOf(source, constants))?.pipeline ?? null;
  }

  /**
   * Requests a pipeline in the background: compiles start one at a time, each once no other
   * requested pipeline is compiling and the work submitted by then is done, so they never delay
   * the work at hand (a faster variant of a kernel, to switch to once ready; see `RunSpec.better`).
   *
   * ```ts
   * const ref = cache.prepare(source, {}, 'matmul'); // ref.pipeline stays null until compiled
   * ```
   */
  prepare(source: string, constants: Record<string, number>, label: string): PipelineRef {
    const key = keyOf(source, constants);
    const have = this.cache.get(key);
    if (have) return have;
    let start = (): void => undefined;
    let fail = (e: unknown): void => void e;
    const turn = new Promise<void>((resolve, reject) => ([start, fail] = [resolve, reject]));
    const ref = this.create(key, source, constants, label, turn);
    this.background.add(ref);
    this.waiting.push({ ref, start, fail });
    void this.drain();
    return ref;
  }

  /** Starts the background compiles in turn (see `prepare`). */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        const urgent = () => [...this.cache.values()].filter((r) => !r.pipeline && !this.background.has(r));
        do {
          await Promise.all(urgent().map((r) => r.promise.catch(() => undefined)));
          await new Promise((resolve) => setTimeout(resolve, 0));
          await this.device.queue.onSubmittedWorkDone();
        } while (urgent().length > 0);
        const next = this.waiting.shift();
        next?.start();
        await next?.ref.promise.catch(() => undefined);
      }
    } catch (e) {
      // A lost device: the waiting compiles fail rather than wait forever.
      for (const w of this.waiting.splice(0)) w.fail(e);
    } finally {
      this.draining = false;
    }
  }

  /** Resolves once no requested pipeline is compiling or waiting to (failures included). */
  async idle(): Promise<void> {
    let pending = [...this.cache.values()].filter((r) => !r.pipeline);
    while (pending.length > 0) {
      await Promise.all(pending.map((r) => r.promise.catch(() => undefined)));
      pending = [...this.cache.values()].filter((r) => !r.pipeline && !pending.includes(r));
    }
  }

  private create(
    key: string,
    source: string,
    constants: Record<string, number>,
    label: string,
    after: Promise<unknown> | null,
  ): PipelineRef {
    this.compiled++;
    const compile = (): Promise<GPUComputePipeline> => {
      let module = this.modules.get(source);
      if (!module)
        this.modules.set(source, (module = this.device.createShaderModule({ code: source, label })));
      return this.device.createComputePipelineAsync({
        layout: 'auto',
        label,
        compute: { module, entryPoint: 'main', constants },
      });
    };
    const promise = (after ? after.then(compile) : compile()).then(
      (p) => {
        entry.pipeline = p;
        this.background.delete(entry);
        return p;
      },
      async (err: unknown) => {
        this.cache.delete(key);
        this.background.delete(entry);
        const module = this.modules.get(source);
        this.modules.delete(source);
        let detail = '';
        try {
          const info = module ? await module.getCompilationInfo() : null;
          detail = info
            ? formatCompileMessages(
                source,
                info.messages.filter((m) => m.type === 'error'),
              )
            : '';
        } catch {
          /* compilation info unavailable: keep the pipeline error alone */
        }
        const msg = err instanceof Error ? err.message : String(err);
        throw new Error(`WebGPU: shader '${label}' failed to compile: ${msg}${detail ? `\n${detail}` : ''}`);
      },
    );
    // Rejections are observed by whoever awaits the pipeline; avoid unhandled-rejection noise here.
    promise.catch(() => undefined);
    const entry: PipelineRef = { pipeline: null, promise };
    this.cache.set(key, entry);
    return entry;
  }

  get size(): number {
    return this.cache.size;
  }

  /** Shader modules created (one per distinct WGSL source). */
  get moduleCount(): number {
    return this.modules.size;
  }
}
