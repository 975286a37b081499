// Gradient of max pooling when windows do not overlap (each input element in at most one window): one invocation per
// window routes its dy to the window's first maximum; the output was cleared to zero before. Placed after window.wgsl.
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;

override WG: u32 = 128u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = window();
  let i = flatIndex(wid, nwg, lid, WG);
  if (i >= g.total) { return; }
  let c = i % g.inC;
  let ow = (i / g.inC) % g.outW;
  let oh = (i / (g.inC * g.outW)) % g.outH;
  let n = i / (g.inC * g.outW * g.outH);
  var best = 0.0;
  var arg = 0xffffffffu;
  for (var fh = 0u; fh < g.filterH; fh++) {
    let ih = tapRow(g, oh, fh);
    if (!rowInside(g, ih)) { continue; }
    for (var fw = 0u; fw < g.filterW; fw++) {
      let iw = tapCol(g, ow, fw);
      if (!colInside(g, iw)) { continue; }
      let off = nhwc(n, u32(ih), u32(iw), c, g.inH, g.inW, g.inC);
      let v = x[off];
      if (arg == 0xffffffffu || v > best) {
        best = v;
        arg = off;
      }
    }
  }
  if (arg != 0xffffffffu) { out[arg] = dy[i]; }
}
