// Implicit-GEMM io fragment for matmul.wgsl (no entry point): conv2d NHWC as [N*OH*OW, FH*FW*IC] x [FH*FW*IC, OC].
// Params: [N, H, W, IC, OH, OW, OC, FH, FW, strideH, strideW, dilationH, dilationW, padTop, padLeft].
@group(0) @binding(1) var<storage, read_write> out: array<T>;
@group(0) @binding(2) var<storage, read> x: array<T>;
@group(0) @binding(3) var<storage, read> w: array<T>;

fn mmDims() -> vec3<u32> {
  return vec3<u32>(p(0u) * p(4u) * p(5u), p(6u), p(7u) * p(8u) * p(3u));
}

// Row m is an output pixel (n, oh, ow); column k a filter tap (fh, fw, ic).
fn mmLoadA(batch: u32, m: u32, k: u32) -> T {
  let IC = p(3u);
  let OW = p(5u);
  let OH = p(4u);
  let ow = m % OW;
  let oh = (m / OW) % OH;
  let n = m / (OW * OH);
  let ic = k % IC;
  let tap = k / IC;
  let fw = tap % p(8u);
  let fh = tap / p(8u);
  let ih = i32(oh * p(9u) + fh * p(11u)) - pi(13u);
  let iw = i32(ow * p(10u) + fw * p(12u)) - pi(14u);
  if (ih < 0 || iw < 0 || u32(ih) >= p(1u) || u32(iw) >= p(2u)) { return absentA(); }
  return x[((n * p(1u) + u32(ih)) * p(2u) + u32(iw)) * IC + ic];
}

fn mmLoadB(batch: u32, k: u32, n: u32) -> T {
  return w[k * p(6u) + n];
}

// mmEpilogue (appended by the builder: identity, or a fused elementwise chain) gives the stored value.
fn mmStore(batch: u32, m: u32, n: u32, v: T) {
  out[m * p(6u) + n] = mmEpilogue(batch, m, n, v);
}
