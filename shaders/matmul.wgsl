// Tiled GEMM core: C[batch] (M x N) = A[batch] (M x K) * B[batch] (K x N), tiles in workgroup memory, 4x4 outputs per invocation.
// An io fragment (matmul-io.wgsl, conv2d-io.wgsl, ...) placed before this file defines mmDims, mmLoadA, mmLoadB and mmStore,
// so the same core serves matmul and the implicit-GEMM convolutions. A_K_FAST / B_N_FAST pick the tile-load order that
// walks memory contiguously for the io's layout.
// MASK_A: the io's mmLoadA may call absentA() for an element outside the operand (a convolution's padding or stride gap);
// its products are then skipped, not multiplied by 0, so an Inf or NaN in B spreads only where the reference puts it.
// WG_X x WG_Y invocations own a (4 WG_Y) x (4 WG_X) tile of C; BK steps of K are staged per barrier (pipeline constants,
// so other tile shapes need no new source).
override A_K_FAST: bool = true;
override B_N_FAST: bool = true;
override MASK_A: bool = false;
override WG_X: u32 = 16u;
override WG_Y: u32 = 16u;
override BK: u32 = 16u;

// Tiles stored k-major as vec4 of 4 consecutive rows (A) or columns (B).
var<workgroup> As: array<vec4<T>, BK * WG_Y>;
var<workgroup> Bs: array<vec4<T>, BK * WG_X>;
// Whether each element of As is present (MASK_A only).
var<workgroup> Am: array<vec4<u32>, BK * WG_Y>;
var<private> aAbsent: bool;

fn absentA() -> T {
  aAbsent = true;
  return T(0);
}

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let dims = mmDims();
  let M = dims.x;
  let N = dims.y;
  let K = dims.z;
  let batch = wid.z;
  let BM = 4u * WG_Y;
  let BN = 4u * WG_X;
  let threads = WG_X * WG_Y;
  let row0 = wid.y * BM;
  let col0 = wid.x * BN;
  let tx = lid3.x;
  let ty = lid3.y;
  var acc: array<vec4<T>, 4>;
  for (var k0 = 0u; k0 < K; k0 += BK) {
    for (var e = lid; e < BM * BK; e += threads) {
      var m = e / BK;
      var k = e % BK;
      if (!A_K_FAST) {
        m = e % BM;
        k = e / BM;
      }
      var v = T(0);
      aAbsent = false;
      if (row0 + m < M && k0 + k < K) { v = mmLoadA(batch, row0 + m, k0 + k); }
      As[k * WG_Y + m / 4u][m % 4u] = v;
      if (MASK_A) { Am[k * WG_Y + m / 4u][m % 4u] = select(1u, 0u, aAbsent); }
    }
    for (var e = lid; e < BN * BK; e += threads) {
      var k = e / BN;
      var n = e % BN;
      if (!B_N_FAST) {
        k = e % BK;
        n = e / BK;
      }
      var v = T(0);
      if (col0 + n < N && k0 + k < K) { v = mmLoadB(batch, k0 + k, col0 + n); }
      Bs[k * WG_X + n / 4u][n % 4u] = v;
    }
    workgroupBarrier();
    for (var k = 0u; k < BK; k++) {
      let a = As[k * WG_Y + ty];
      let b = Bs[k * WG_X + tx];
      if (MASK_A) {
        let ok = Am[k * WG_Y + ty] != vec4<u32>();
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
