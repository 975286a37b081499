// Gradient of average pooling, one invocation per input element: sums dy / count over the windows containing it.
// Placed after window.wgsl.
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;

override WG: u32 = 128u;

// Number of window taps of output pixel (oh, ow) that fall inside the image.
fn countOf(g: Window, oh: u32, ow: u32) -> f32 {
  var rows = 0u;
  for (var fh = 0u; fh < g.filterH; fh++) {
    if (rowInside(g, tapRow(g, oh, fh))) { rows++; }
  }
  var cols = 0u;
  for (var fw = 0u; fw < g.filterW; fw++) {
    if (colInside(g, tapCol(g, ow, fw))) { cols++; }
  }
  return f32(max(rows * cols, 1u));
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
      acc += dy[nhwc(n, u32(oh), u32(ow), c, g.outH, g.outW, g.inC)] / countOf(g, u32(oh), u32(ow));
    }
  }
  out[i] = acc;
}
