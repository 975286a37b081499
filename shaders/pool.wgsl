// Max or average pooling NHWC, one invocation per output; the average divides by the count of in-image cells (TensorFlow's rule).
// Placed after window.wgsl; word 17 holds the bits of -Infinity (WGSL cannot spell a non-finite constant).
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;

override WG: u32 = 128u;
override MAX: bool = true;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = window();
  let i = flatIndex(wid, nwg, lid, WG);
  if (i >= g.total) { return; }
  let c = i % g.inC;
  let ow = (i / g.inC) % g.outW;
  let oh = (i / (g.inC * g.outW)) % g.outH;
  let n = i / (g.inC * g.outW * g.outH);
  var best = pf(17u);
  var sum = 0.0;
  var count = 0u;
  for (var fh = 0u; fh < g.filterH; fh++) {
    let ih = tapRow(g, oh, fh);
    if (!rowInside(g, ih)) { continue; }
    for (var fw = 0u; fw < g.filterW; fw++) {
      let iw = tapCol(g, ow, fw);
      if (!colInside(g, iw)) { continue; }
      let v = x[nhwc(n, u32(ih), u32(iw), c, g.inH, g.inW, g.inC)];
      // NaN wins (tested on the bits: WGSL may fold v != v to false); once best is NaN it stays.
      if (v > best || (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u) { best = v; }
      sum += v;
      count++;
    }
  }
  if (MAX) {
    out[i] = best;
  } else {
    out[i] = sum / f32(max(count, 1u));
  }
}
