// Gradient of max pooling when windows do not overlap (each input element in at most one window): one invocation per
// window routes its dy to the window's first maximum; the output was cleared to zero before.
// Params: [N, H, W, C, OH, OW, C, FH, FW, strideH, strideW, dilationH, dilationW, padTop, padLeft, unused, total].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;

override WG: u32 = 128u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(16u)) { return; }
  let C = p(3u);
  let c = i % C;
  let ow = (i / C) % p(5u);
  let oh = (i / (C * p(5u))) % p(4u);
  let n = i / (C * p(5u) * p(4u));
  var best = 0.0;
  var arg = 0xffffffffu;
  for (var fh = 0u; fh < p(7u); fh++) {
    let ih = i32(oh * p(9u) + fh * p(11u)) - pi(13u);
    if (ih < 0 || u32(ih) >= p(1u)) { continue; }
    for (var fw = 0u; fw < p(8u); fw++) {
      let iw = i32(ow * p(10u) + fw * p(12u)) - pi(14u);
      if (iw < 0 || u32(iw) >= p(2u)) { continue; }
      let off = ((n * p(1u) + u32(ih)) * p(2u) + u32(iw)) * C + c;
      let v = x[off];
      if (arg == 0xffffffffu || v > best) {
        best = v;
        arg = off;
      }
    }
  }
  if (arg != 0xffffffffu) { out[arg] = dy[i]; }
}
