// Sums `chunks` partial results laid out as [chunks, size] into out[size], storing through sumOut(i, s) (declared
// alongside: sum-partials-plain.wgsl stores the sum, sum-partials-gemm.wgsl a matmul's epilogue). Params: [size,
// chunks, ...].
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
  out[i] = sumOut(i, s);
}
