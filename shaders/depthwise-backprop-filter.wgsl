// Gradient of depthwise conv2d w.r.t. its filter: one workgroup per filter element (fh, fw, c, m), its invocations
// splitting the output pixels (n, oh, ow) and tree-summing in workgroup memory.
// Params: [N, H, W, C, OH, OW, OC, FH, FW, strideH, strideW, dilationH, dilationW, padTop, padLeft, M, total].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> dy: array<f32>;

override WG: u32 = 64u;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = wid.y * nwg.x + wid.x;
  let C = p(3u);
  let OC = p(6u);
  let o = g % OC;
  let tap = g / OC;
  let fw = tap % p(8u);
  let fh = tap / p(8u);
  let c = o / p(15u);
  let pixels = p(0u) * p(4u) * p(5u);
  var acc = 0.0;
  if (g < p(16u)) {
    for (var q = lid; q < pixels; q += WG) {
      let ow = q % p(5u);
      let oh = (q / p(5u)) % p(4u);
      let n = q / (p(5u) * p(4u));
      let ih = i32(oh * p(9u) + fh * p(11u)) - pi(13u);
      let iw = i32(ow * p(10u) + fw * p(12u)) - pi(14u);
      if (ih < 0 || iw < 0 || u32(ih) >= p(1u) || u32(iw) >= p(2u)) { continue; }
      acc += x[((n * p(1u) + u32(ih)) * p(2u) + u32(iw)) * C + c] * dy[q * OC + o];
    }
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) { partial[lid] += partial[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u && g < p(16u)) { out[g] = partial[0]; }
}
