// Max or average pooling NHWC, one invocation per output; the average divides by the count of in-image cells (TensorFlow's rule).
// Params: [N, H, W, C, OH, OW, C, FH, FW, strideH, strideW, dilationH, dilationW, padTop, padLeft, unused, total, -Infinity bits].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;

override WG: u32 = 128u;
override MAX: bool = true;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(16u)) { return; }
  let C = p(3u);
  let c = i % C;
  let ow = (i / C) % p(5u);
  let oh = (i / (C * p(5u))) % p(4u);
  let n = i / (C * p(5u) * p(4u));
  var best = pf(17u);
  var sum = 0.0;
  var count = 0u;
  for (var fh = 0u; fh < p(7u); fh++) {
    let ih = i32(oh * p(9u) + fh * p(11u)) - pi(13u);
    if (ih < 0 || u32(ih) >= p(1u)) { continue; }
    for (var fw = 0u; fw < p(8u); fw++) {
      let iw = i32(ow * p(10u) + fw * p(12u)) - pi(14u);
      if (iw < 0 || u32(iw) >= p(2u)) { continue; }
      let v = x[((n * p(1u) + u32(ih)) * p(2u) + u32(iw)) * C + c];
      if (v > best || v != v) { best = v; }
      sum += v;
      count++;
    }
  }
  if (MAX) {
    out[i] = best;
  } else {
    out[i] = sum / f32(max(count, 1u));
  }
}
