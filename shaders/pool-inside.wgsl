// Max or average pooling NHWC where every window tap lies inside the input: one invocation per output pixel and VW
// channels (V is f32 or vec4<f32>, VU u32 or vec4<u32>, VW 1 or 4, declared ahead of this file, with window.wgsl).
// Params word 16: output pixels x channels / VW.
@group(0) @binding(1) var<storage, read_write> out: array<V>;
@group(0) @binding(2) var<storage, read> x: array<V>;

override MAX: bool = true;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = window();
  let i = flatIndex(wid, nwg, lid, 64u);
  if (i >= g.total) { return; }
  let cv = g.inC / VW;
  let base = insideBase(g, i, cv);
  var best = x[base];
  var sum = best;
  for (var fh = 0u; fh < g.filterH; fh++) {
    for (var fw = 0u; fw < g.filterW; fw++) {
      if (fh + fw == 0u) { continue; }
      let v = x[base + (fh * g.dilationH * g.inW + fw * g.dilationW) * cv];
      // NaN wins (tested on the bits: WGSL may fold v != v to false); once best is NaN it stays.
      best = select(best, v, (v > best) | ((bitcast<VU>(v) & VU(0x7fffffffu)) > VU(0x7f800000u)));
      sum += v;
    }
  }
  out[i] = select(sum / f32(g.filterH * g.filterW), best, MAX);
}
