// Implicit-GEMM io fragment for matmul.wgsl (no entry point): dx [N*H*W, IC] = dy patches [N*H*W, FH*FW*OC] x filterᵀ [FH*FW*OC, IC].
// Params: [N, H, W, IC, OH, OW, OC, FH, FW, strideH, strideW, dilationH, dilationW, padTop, padLeft].
@group(0) @binding(1) var<storage, read_write> out: array<T>;
@group(0) @binding(2) var<storage, read> dy: array<T>;
@group(0) @binding(3) var<storage, read> w: array<T>;

fn mmDims() -> vec3<u32> {
  return vec3<u32>(p(0u) * p(1u) * p(2u), p(3u), p(7u) * p(8u) * p(6u));
}

// Row m is an input pixel (n, h, w); column k a tap (fh, fw, oc). The tap reaches output pixel
// (oh, ow) with oh * strideH = h + padTop - fh * dilationH, when that divides evenly and is in range.
fn mmLoadA(batch: u32, m: u32, k: u32) -> T {
  let W = p(2u);
  let H = p(1u);
  let OC = p(6u);
  let iw = m % W;
  let ih = (m / W) % H;
  let n = m / (W * H);
  let oc = k % OC;
  let tap = k / OC;
  let fw = tap % p(8u);
  let fh = tap / p(8u);
  let th = i32(ih) + pi(13u) - i32(fh * p(11u));
  let tw = i32(iw) + pi(14u) - i32(fw * p(12u));
  let sh = i32(p(9u));
  let sw = i32(p(10u));
  if (th < 0 || tw < 0 || th % sh != 0 || tw % sw != 0) { return absentA(); }
  let oh = u32(th / sh);
  let ow = u32(tw / sw);
  if (oh >= p(4u) || ow >= p(5u)) { return absentA(); }
  return dy[((n * p(4u) + oh) * p(5u) + ow) * OC + oc];
}

fn mmLoadB(batch: u32, k: u32, n: u32) -> T {
  let OC = p(6u);
  return w[((k / OC) * p(3u) + n) * OC + k % OC];
}

fn mmStore(batch: u32, m: u32, n: u32, v: T) {
  out[m * p(3u) + n] = v;
}
