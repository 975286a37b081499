// webdl's Runner.settle: waits until the WebGPU backend compiles no pipelines in the background.
import * as dl from '@webdl/core';

/**
 * Resolves once @webdl/webgpu has no pipeline compiling: a CPU adapter's matmuls run stand-in
 * kernels while their faster ones compile in the background (PipelineCache.prepare).
 */
export async function settleWebdl(): Promise<void> {
  const backend = dl.ENGINE.backend as { pipelines?: { idle(): Promise<void> } };
  await backend.pipelines?.idle();
}
