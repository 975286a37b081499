// Turns a kernel's RunSpec into the command queue's dispatch record: host scalars read from parameters, large
// bindings sized in recorded replays, and the faster variant of a kernel (RunSpec.better) once it is compiled.
import type { DispatchRecord } from './command-queue.js';
import type { RunSpec } from './kernel-context.js';
import type { PipelineCache } from './pipelines.js';
import type { GpuCapture } from './program.js';
import { scalarParams } from './scalar-params.js';
import { sizeBindings } from './sized-bindings.js';

/**
 * The dispatch of `spec`, while `cap` (if any) records a jit replay. Host scalars travel as
 * parameters (a recording's only where they are its constants), and a recorded replay binds
 * buffers of the recorded sizes, so its large bindings can be sized.
 *
 * ```ts
 * queue.enqueue(dispatchRecord(spec, capturing, pipelines));
 * ```
 */
export function dispatchRecord(
  spec: RunSpec,
  cap: GpuCapture | null,
  pipelines: PipelineCache,
): DispatchRecord {
  const perCall = cap?.replannedPerCall() ?? false;
  const plan = (code: string, standIn: boolean) => {
    const scalars = perCall
      ? null
      : scalarParams(code, spec.buffers, spec.params, cap ? (b) => cap.constants.has(b) : () => true);
    const { source, buffers, params } = scalars ?? { ...spec, source: code };
    const sized = cap && !perCall && !standIn ? sizeBindings(source, buffers) : null;
    return { source: sized?.source ?? source, needs: sized?.needs, buffers, params, scalars: scalars?.words };
  };
  const name = spec.label.split(' ')[0];
  // The better variant's final source is its cache key; the stand-in is planned only while that is not compiled.
  const fast = spec.better;
  const better = fast
    ? { ...plan(fast.source, false), constants: fast.constants, groups: fast.groups }
    : null;
  const ready = better !== null && pipelines.compiledPipeline(better.source, better.constants) !== null;
  const chosen =
    ready && better
      ? better
      : { ...plan(spec.source, fast !== undefined), constants: spec.constants ?? {}, groups: spec.groups };
  const upgrade = better && !ready ? pipelines.prepare(better.source, better.constants, name) : undefined;
  const { source, params, constants, ...rest } = chosen;
  return {
    kind: 'dispatch',
    label: spec.label,
    pipeline: pipelines.get(source, constants, name),
    params: Uint32Array.from(params, (v) => v >>> 0),
    upgrade,
    ...rest,
  };
}
