// Matmul io fragment for matmul.wgsl (no entry point): batched A (M x K, or K x M when TRANS_A) times B (K x N, or N x K when TRANS_B).
// Params: [M, N, K, batchStrideA, batchStrideB] (a stride of 0 broadcasts a single matrix over the batch).
@group(0) @binding(1) var<storage, read_write> out: array<T>;
@group(0) @binding(2) var<storage, read> a: array<T>;
@group(0) @binding(3) var<storage, read> b: array<T>;

override TRANS_A: bool = false;
override TRANS_B: bool = false;

fn mmDims() -> vec3<u32> {
  return vec3<u32>(p(0u), p(1u), p(2u));
}

fn mmLoadA(batch: u32, m: u32, k: u32) -> T {
  let base = batch * p(3u);
  if (TRANS_A) { return a[base + k * p(0u) + m]; }
  return a[base + m * p(2u) + k];
}

fn mmLoadB(batch: u32, k: u32, n: u32) -> T {
  let base = batch * p(4u);
  if (TRANS_B) { return b[base + n * p(2u) + k]; }
  return b[base + k * p(1u) + n];
}

// mmEpilogue (appended by the builder: identity, or a fused elementwise chain) gives the stored value.
fn mmStore(batch: u32, m: u32, n: u32, v: T) {
  out[(batch * p(0u) + m) * p(1u) + n] = mmEpilogue(batch, m, n, v);
}
