// Sums the split-k partial products [chunks, M, N] of a matmul into out[M, N], storing through mmEpilogue (a fused
// elementwise chain, see epilogue.ts; its inputs bound from 3 on). Params: [M * N, chunks, N].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> partial: array<f32>;

@compute @workgroup_size(128)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 128u;
  let size = p(0u);
  if (i >= size) { return; }
  var s = 0.0;
  for (var c = 0u; c < p(1u); c++) {
    s += partial[c * size + i];
  }
  out[i] = mmEpilogue(0u, i / p(2u), i % p(2u), s);
}
