// Gradient of average pooling, one invocation per input element: sums dy / count over the windows containing it.
// Params: [N, H, W, C, OH, OW, C, FH, FW, strideH, strideW, dilationH, dilationW, padTop, padLeft, unused, total].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;

override WG: u32 = 128u;

// Number of window taps of output pixel (oh, ow) that fall inside the image.
fn countOf(oh: u32, ow: u32) -> f32 {
  var rows = 0u;
  for (var fh = 0u; fh < p(7u); fh++) {
    let ih = i32(oh * p(9u) + fh * p(11u)) - pi(13u);
    if (ih >= 0 && u32(ih) < p(1u)) { rows++; }
  }
  var cols = 0u;
  for (var fw = 0u; fw < p(8u); fw++) {
    let iw = i32(ow * p(10u) + fw * p(12u)) - pi(14u);
    if (iw >= 0 && u32(iw) < p(2u)) { cols++; }
  }
  return f32(max(rows * cols, 1u));
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(16u)) { return; }
  let C = p(3u);
  let c = i % C;
  let iw = (i / C) % p(2u);
  let ih = (i / (C * p(2u))) % p(1u);
  let n = i / (C * p(2u) * p(1u));
  let sh = i32(p(9u));
  let sw = i32(p(10u));
  var acc = 0.0;
  for (var fh = 0u; fh < p(7u); fh++) {
    let th = i32(ih) + pi(13u) - i32(fh * p(11u));
    if (th < 0 || th % sh != 0 || u32(th / sh) >= p(4u)) { continue; }
    for (var fw = 0u; fw < p(8u); fw++) {
      let tw = i32(iw) + pi(14u) - i32(fw * p(12u));
      if (tw < 0 || tw % sw != 0 || u32(tw / sw) >= p(5u)) { continue; }
      let oh = u32(th / sh);
      let ow = u32(tw / sw);
      acc += dy[((n * p(4u) + oh) * p(5u) + ow) * C + c] / countOf(oh, ow);
    }
  }
  out[i] = acc;
}
