// Gradient of depthwise conv2d w.r.t. its filter: one workgroup per filter element (fh, fw, c, m), its invocations
// splitting the output pixels (n, oh, ow) and tree-summing in workgroup memory. Placed after window.wgsl.
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> dy: array<f32>;

override WG: u32 = 64u;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = window();
  let e = wid.y * nwg.x + wid.x;
  let o = e % g.outC;
  let tap = e / g.outC;
  let fw = tap % g.filterW;
  let fh = tap / g.filterW;
  let c = o / g.multiplier;
  let pixels = g.batch * g.outH * g.outW;
  var acc = 0.0;
  if (e < g.total) {
    for (var q = lid; q < pixels; q += WG) {
      let ow = q % g.outW;
      let oh = (q / g.outW) % g.outH;
      let n = q / (g.outW * g.outH);
      let ih = tapRow(g, oh, fh);
      let iw = tapCol(g, ow, fw);
      if (!rowInside(g, ih) || !colInside(g, iw)) { continue; }
      acc += x[nhwc(n, u32(ih), u32(iw), c, g.inH, g.inW, g.inC)] * dy[q * g.outC + o];
    }
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) { partial[lid] += partial[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u && e < g.total) { out[e] = partial[0]; }
}
