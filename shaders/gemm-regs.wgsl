// Register-blocked GEMM core without workgroup memory, for CPU adapters (SwiftShader), where barriers are costly and caches
// make global loads cheap: each invocation accumulates a 4x4 block of C[batch] = A[batch] (M x K) * B[batch] (K x N).
// Like matmul.wgsl it is placed after an io fragment that defines mmDims, mmLoadA, mmLoadB and mmStore.
@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let dims = mmDims();
  let M = dims.x;
  let N = dims.y;
  let K = dims.z;
  let row0 = gid.y * 4u;
  let col0 = gid.x * 4u;
  let batch = gid.z;
  if (row0 >= M || col0 >= N) { return; }
  // Out-of-range rows and columns are clamped to valid ones (and never stored) so loads need no branches.
  let r = vec4<u32>(row0, min(row0 + 1u, M - 1u), min(row0 + 2u, M - 1u), min(row0 + 3u, M - 1u));
  let c = vec4<u32>(col0, min(col0 + 1u, N - 1u), min(col0 + 2u, N - 1u), min(col0 + 3u, N - 1u));
  var acc0 = vec4<T>();
  var acc1 = vec4<T>();
  var acc2 = vec4<T>();
  var acc3 = vec4<T>();
  for (var k = 0u; k < K; k++) {
    let b = vec4<T>(mmLoadB(batch, k, c.x), mmLoadB(batch, k, c.y), mmLoadB(batch, k, c.z), mmLoadB(batch, k, c.w));
    acc0 += mmLoadA(batch, r.x, k) * b;
    acc1 += mmLoadA(batch, r.y, k) * b;
    acc2 += mmLoadA(batch, r.z, k) * b;
    acc3 += mmLoadA(batch, r.w, k) * b;
  }
  let acc = array<vec4<T>, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0u; i < 4u; i++) {
    if (row0 + i >= M) { break; }
    for (var j = 0u; j < 4u; j++) {
      if (col0 + j < N) { mmStore(batch, row0 + i, col0 + j, acc[i][j]); }
    }
  }
}
