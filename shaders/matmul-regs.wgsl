// Batched matmul for CPU adapters: each invocation accumulates a 4x4 block of C in registers straight from global memory
// (no workgroup memory or barriers, which are costly on SwiftShader), with the k loop unrolled by 4.
// Params: [M, N, K, batchStrideA, batchStrideB]; TRANS_A / TRANS_B read A as K x M and B as N x K.
@group(0) @binding(1) var<storage, read_write> out: array<T>;
@group(0) @binding(2) var<storage, read> a: array<T>;
@group(0) @binding(3) var<storage, read> b: array<T>;

override TRANS_A: bool = false;
override TRANS_B: bool = false;
// Shape specialization: when set (non-zero), the compiler sees M, N, K as constants and folds the index math.
override SPEC_M: u32 = 0u;
override SPEC_N: u32 = 0u;
override SPEC_K: u32 = 0u;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let M = select(p(0u), SPEC_M, SPEC_M > 0u);
  let N = select(p(1u), SPEC_N, SPEC_N > 0u);
  let K = select(p(2u), SPEC_K, SPEC_K > 0u);
  let row0 = gid.y * 4u;
  let col0 = gid.x * 4u;
  if (row0 >= M || col0 >= N) { return; }
  // Rows and columns past the edge are clamped to the last one (computed, never stored): no branches in the loop.
  let r = min(vec4<u32>(row0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(M - 1u));
  let c = min(vec4<u32>(col0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(N - 1u));
  // Element (i, k) of A is at aOff[i] + k * aStep; element (k, j) of B at bOff[j] + k * bStep.
  let aBase = gid.z * p(3u);
  let bBase = gid.z * p(4u);
  var aOff = vec4<u32>(aBase) + r * K;
  var aStep = 1u;
  if (TRANS_A) {
    aOff = vec4<u32>(aBase) + r;
    aStep = M;
  }
  var bOff = vec4<u32>(bBase) + c;
  var bStep = N;
  if (TRANS_B) {
    bOff = vec4<u32>(bBase) + c * K;
    bStep = 1u;
  }
  var acc0 = vec4<T>();
  var acc1 = vec4<T>();
  var acc2 = vec4<T>();
  var acc3 = vec4<T>();
  // The k loop is unrolled by hand (CPU shader compilers such as SwiftShader's Subzero do not unroll), then the remainder.
  var ka = 0u;
  var kb = 0u;
  var k = 0u;
  for (; k + 4u <= K; k += 4u) {
    {
      let bv = vec4<T>(b[bOff.x + kb], b[bOff.y + kb], b[bOff.z + kb], b[bOff.w + kb]);
      acc0 += a[aOff.x + ka] * bv;
      acc1 += a[aOff.y + ka] * bv;
      acc2 += a[aOff.z + ka] * bv;
      acc3 += a[aOff.w + ka] * bv;
      ka += aStep;
      kb += bStep;
    }
    {
      let bv = vec4<T>(b[bOff.x + kb], b[bOff.y + kb], b[bOff.z + kb], b[bOff.w + kb]);
      acc0 += a[aOff.x + ka] * bv;
      acc1 += a[aOff.y + ka] * bv;
      acc2 += a[aOff.z + ka] * bv;
      acc3 += a[aOff.w + ka] * bv;
      ka += aStep;
      kb += bStep;
    }
    {
      let bv = vec4<T>(b[bOff.x + kb], b[bOff.y + kb], b[bOff.z + kb], b[bOff.w + kb]);
      acc0 += a[aOff.x + ka] * bv;
      acc1 += a[aOff.y + ka] * bv;
      acc2 += a[aOff.z + ka] * bv;
      acc3 += a[aOff.w + ka] * bv;
      ka += aStep;
      kb += bStep;
    }
    {
      let bv = vec4<T>(b[bOff.x + kb], b[bOff.y + kb], b[bOff.z + kb], b[bOff.w + kb]);
      acc0 += a[aOff.x + ka] * bv;
      acc1 += a[aOff.y + ka] * bv;
      acc2 += a[aOff.z + ka] * bv;
      acc3 += a[aOff.w + ka] * bv;
      ka += aStep;
      kb += bStep;
    }
  }
  for (; k < K; k++) {
    {
      let bv = vec4<T>(b[bOff.x + kb], b[bOff.y + kb], b[bOff.z + kb], b[bOff.w + kb]);
      acc0 += a[aOff.x + ka] * bv;
      acc1 += a[aOff.y + ka] * bv;
      acc2 += a[aOff.z + ka] * bv;
      acc3 += a[aOff.w + ka] * bv;
      ka += aStep;
      kb += bStep;
    }
  }
  let acc = array<vec4<T>, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0u; i < 4u; i++) {
    if (row0 + i >= M) { break; }
    let o = (gid.z * M + row0 + i) * N + col0;
    for (var j = 0u; j < 4u; j++) {
      if (col0 + j < N) { out[o + j] = acc[i][j]; }
    }
  }
}
