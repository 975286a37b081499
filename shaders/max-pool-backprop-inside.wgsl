// Gradient of max pooling NHWC for windows that share no input element and lie inside the input: one invocation per
// window and VW channels (V, VU, VW as in pool-inside.wgsl) writes dy at the window's first maximum and 0 at its other
// taps, so only inputs outside every window need the output cleared first. Params word 16: output pixels x C / VW.
@group(0) @binding(1) var<storage, read_write> out: array<V>;
@group(0) @binding(2) var<storage, read> dy: array<V>;
@group(0) @binding(3) var<storage, read> x: array<V>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = window();
  let cv = g.inC / VW;
  let i = flatIndex(wid, nwg, lid, 64u);
  if (i >= g.total) { return; }
  let base = insideBase(g, i, cv);
  let rowStep = g.dilationH * g.inW * cv;
  let colStep = g.dilationW * cv;
  // The first tap, then any later one strictly greater (a NaN never is): TensorFlow's first maximum.
  var best = x[base];
  var arg = VU(0u);
  for (var fh = 0u; fh < g.filterH; fh++) {
    for (var fw = 0u; fw < g.filterW; fw++) {
      let v = x[base + fh * rowStep + fw * colStep];
      let gt = v > best;
      best = select(best, v, gt);
      arg = select(arg, VU(fh * g.filterW + fw), gt);
    }
  }
  let d = dy[i];
  for (var fh = 0u; fh < g.filterH; fh++) {
    for (var fw = 0u; fw < g.filterW; fw++) {
      out[base + fh * rowStep + fw * colStep] = select(V(0.0), d, arg == VU(fh * g.filterW + fw));
    }
  }
}
