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

  constructor(private readonly device: GPUDevice) {}

  get(source: string, constants: Record<string, number>, label: string): PipelineRef {
    const names = Object.keys(constants).sort();
    const key = `${source}\u0000${names.map((n) => `${n}=${constants[n]}`).join(',')}`;
    let ref = this.cache.get(key);
    if (ref) return ref;
    this.compiled++;
    let module = this.modules.get(source);
    if (!module) this.modules.set(source, (module = this.device.createShaderModule({ code: source, label })));
    const promise = this.device
      .createComputePipelineAsync({
        layout: 'auto',
        label,
        compute: { module, entryPoint: 'main', constants },
      })
      .then(
        (p) => {
          entry.pipeline = p;
          return p;
        },
        async (err: unknown) => {
          this.cache.delete(key);
          this.modules.delete(source);
          let detail = '';
          try {
            const info = await module.getCompilationInfo();
            detail = formatCompileMessages(
              source,
              info.messages.filter((m) => m.type === 'error'),
            );
          } catch {
            /* compilation info unavailable: keep the pipeline error alone */
          }
          const msg = err instanceof Error ? err.message : String(err);
          throw new Error(
            `WebGPU: shader '${label}' failed to compile: ${msg}${detail ? `\n${detail}` : ''}`,
          );
        },
      );
    // Rejections are observed by whoever awaits the pipeline; avoid unhandled-rejection noise here.
    promise.catch(() => undefined);
    const entry: PipelineRef = { pipeline: null, promise };
    this.cache.set(key, (ref = entry));
    return ref;
  }

  get size(): number {
    return this.cache.size;
  }

  /** Shader modules created (one per distinct WGSL source). */
  get moduleCount(): number {
    return this.modules.size;
  }
}
