// Gradient of depthwise conv2d w.r.t. its input, one invocation per input element (n, h, w, c):
// dx = sum over taps (fh, fw) reaching an output pixel (oh, ow) and multipliers m of dy[n, oh, ow, c * M + m] * w[fh, fw, c, m].
// Params: [N, H, W, C, OH, OW, OC, FH, FW, strideH, strideW, dilationH, dilationW, padTop, padLeft, M, total].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> w: array<f32>;

override WG: u32 = 128u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(16u)) { return; }
  let C = p(3u);
  let OC = p(6u);
  let M = p(15u);
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
    let oh = u32(th / sh);
    for (var fw = 0u; fw < p(8u); fw++) {
      let tw = i32(iw) + pi(14u) - i32(fw * p(12u));
      if (tw < 0 || tw % sw != 0 || u32(tw / sw) >= p(5u)) { continue; }
      let ow = u32(tw / sw);
      let dyBase = ((n * p(4u) + oh) * p(5u) + ow) * OC + c * M;
      let wBase = (fh * p(8u) + fw) * OC + c * M;
      for (var m = 0u; m < M; m++) {
        acc += dy[dyBase + m] * w[wBase + m];
      }
    }
  }
  out[i] = acc;
}
