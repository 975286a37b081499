// sum-partials.wgsl's store for the split-k partial products [chunks, M, N] of a matmul summed into out[M, N]:
// through mmEpilogue (a fused elementwise chain, see epilogue.ts; its inputs bound from 3 on). Params: [M * N,
// chunks, N].
fn sumOut(i: u32, s: f32) -> f32 { return mmEpilogue(0u, i / p(2u), i % p(2u), s); }
