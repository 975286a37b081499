// Depthwise conv2d NHWC, one invocation per output: y[n, oh, ow, c * M + m] = sum_{fh, fw} x[n, ih, iw, c] * w[fh, fw, c, m].
// Params: [N, H, W, C, OH, OW, OC, FH, FW, strideH, strideW, dilationH, dilationW, padTop, padLeft, M, total].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> w: array<f32>;

override WG: u32 = 128u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(16u)) { return; }
  let C = p(3u);
  let OC = p(6u);
  let M = p(15u);
  let o = i % OC;
  let ow = (i / OC) % p(5u);
  let oh = (i / (OC * p(5u))) % p(4u);
  let n = i / (OC * p(5u) * p(4u));
  let c = o / M;
  var acc = 0.0;
  for (var fh = 0u; fh < p(7u); fh++) {
    let ih = i32(oh * p(9u) + fh * p(11u)) - pi(13u);
    if (ih < 0 || u32(ih) >= p(1u)) { continue; }
    for (var fw = 0u; fw < p(8u); fw++) {
      let iw = i32(ow * p(10u) + fw * p(12u)) - pi(14u);
      if (iw < 0 || u32(iw) >= p(2u)) { continue; }
      acc += x[((n * p(1u) + u32(ih)) * p(2u) + u32(iw)) * C + c] * w[(fh * p(8u) + fw) * OC + o];
    }
  }
  out[i] = acc;
}
