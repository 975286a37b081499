// Depthwise conv2d NHWC, one invocation per output: y[n, oh, ow, c * M + m] = sum_{fh, fw} x[n, ih, iw, c] * w[fh, fw, c, m].
// Placed after window.wgsl.
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> w: array<f32>;

override WG: u32 = 128u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = window();
  let i = flatIndex(wid, nwg, lid, WG);
  if (i >= g.total) { return; }
  let o = i % g.outC;
  let ow = (i / g.outC) % g.outW;
  let oh = (i / (g.outC * g.outW)) % g.outH;
  let n = i / (g.outC * g.outW * g.outH);
  let c = o / g.multiplier;
  var acc = 0.0;
  for (var fh = 0u; fh < g.filterH; fh++) {
    let ih = tapRow(g, oh, fh);
    if (!rowInside(g, ih)) { continue; }
    for (var fw = 0u; fw < g.filterW; fw++) {
      let iw = tapCol(g, ow, fw);
      if (!colInside(g, iw)) { continue; }
      acc += x[nhwc(n, u32(ih), u32(iw), c, g.inH, g.inW, g.inC)] * w[(fh * g.filterW + fw) * g.outC + o];
    }
  }
  out[i] = acc;
}
