// Gradient of max pooling, one invocation per input element: sums dy over the windows whose first maximum is this element.
// Placed after window.wgsl.
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;

override WG: u32 = 128u;

// Flat input offset of the first maximum of window (n, oh, ow) in channel c.
fn argmaxOf(g: Window, n: u32, oh: u32, ow: u32, c: u32) -> u32 {
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
  return arg;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = window();
  let i = flatIndex(wid, nwg, lid, WG);
  if (i >= g.total) { return; }
  let c = i % g.inC;
  let iw = (i / g.inC) % g.inW;
  let ih = (i / (g.inC * g.inW)) % g.inH;
  let n = i / (g.inC * g.inW * g.inH);
  var acc = 0.0;
  for (var fh = 0u; fh < g.filterH; fh++) {
    let oh = windowRow(g, ih, fh);
    if (oh < 0) { continue; }
    for (var fw = 0u; fw < g.filterW; fw++) {
      let ow = windowCol(g, iw, fw);
      if (ow < 0) { continue; }
      if (argmaxOf(g, n, u32(oh), u32(ow), c) == i) {
        acc += dy[nhwc(n, u32(oh), u32(ow), c, g.outH, g.outW, g.inC)];
      }
    }
  }
  out[i] = acc;
}
