// Tiled GEMM core: C[batch] (M x N) = A[batch] (M x K) * B[batch] (K x N), 64x64 tiles in workgroup memory, 4x4 outputs per invocation.
// An io fragment (matmul-io.wgsl, conv2d-io.wgsl, ...) placed before this file defines mmDims, mmLoadA, mmLoadB and mmStore,
// so the same core serves matmul and the implicit-GEMM convolutions. A_K_FAST / B_N_FAST pick the tile-load order that
// walks memory contiguously for the io's layout.
// MASK_A: the io's mmLoadA may call absentA() for an element outside the operand (a convolution's padding or stride gap);
// its products are then skipped, not multiplied by 0, so an Inf or NaN in B spreads only where the reference puts it.
override A_K_FAST: bool = true;
override B_N_FAST: bool = true;
override MASK_A: bool = false;

const BM: u32 = 64u;
const BN: u32 = 64u;
const BK: u32 = 16u;

// Tiles stored k-major as vec4 of 4 consecutive rows (A) or columns (B).
var<workgroup> As: array<vec4<T>, 256>;
var<workgroup> Bs: array<vec4<T>, 256>;
// Whether each element of As is present (MASK_A only).
var<workgroup> Am: array<vec4<u32>, 256>;
var<private> aAbsent: bool;

fn absentA() -> T {
  aAbsent = true;
  return T(0);
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let dims = mmDims();
  let M = dims.x;
  let N = dims.y;
  let K = dims.z;
  let batch = wid.z;
  let row0 = wid.y * BM;
  let col0 = wid.x * BN;
  let tx = lid3.x;
  let ty = lid3.y;
  var acc: array<vec4<T>, 4>;
  for (var k0 = 0u; k0 < K; k0 += BK) {
    for (var r = 0u; r < 4u; r++) {
      let e = lid + r * 256u;
      var m = e / BK;
      var k = e % BK;
      if (!A_K_FAST) {
        m = e % BM;
        k = e / BM;
      }
      var v = T(0);
      aAbsent = false;
      if (row0 + m < M && k0 + k < K) { v = mmLoadA(batch, row0 + m, k0 + k); }
      As[k * 16u + m / 4u][m % 4u] = v;
      if (MASK_A) { Am[k * 16u + m / 4u][m % 4u] = select(1u, 0u, aAbsent); }
    }
    for (var r = 0u; r < 4u; r++) {
      let e = lid + r * 256u;
      var k = e / BN;
      var n = e % BN;
      if (!B_N_FAST) {
        k = e % BK;
        n = e / BK;
      }
      var v = T(0);
      if (col0 + n < N && k0 + k < K) { v = mmLoadB(batch, k0 + k, col0 + n); }
      Bs[k * 16u + n / 4u][n % 4u] = v;
    }
    workgroupBarrier();
    for (var k = 0u; k < BK; k++) {
      let a = As[k * 16u + ty];
      let b = Bs[k * 16u + tx];
      if (MASK_A) {
        let ok = Am[k * 16u + ty] != vec4<u32>();
        acc[0] += select(vec4<T>(), a.x * b, ok.x);
        acc[1] += select(vec4<T>(), a.y * b, ok.y);
        acc[2] += select(vec4<T>(), a.z * b, ok.z);
        acc[3] += select(vec4<T>(), a.w * b, ok.w);
      } else {
        acc[0] += a.x * b;
        acc[1] += a.y * b;
        acc[2] += a.z * b;
        acc[3] += a.w * b;
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let m = row0 + ty * 4u + i;
    if (m >= M) { break; }
    for (var j = 0u; j < 4u; j++) {
      let n = col0 + tx * 4u + j;
      if (n < N) { mmStore(batch, m, n, acc[i][j]); }
    }
  }
}
