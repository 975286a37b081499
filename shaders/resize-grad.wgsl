// Adjoint of resize (resize-taps.wgsl is prepended), gathered: one invocation per input element sums dy over
// the output pixels whose taps read it. Params: [N, H, W, C, OH, OW, total, scaleY bits, scaleX bits].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;

override WG: u32 = 128u;

// Output indices r whose source coordinate lies within 2 of y, a superset of those reading y: [start, end).
fn candidates(y: u32, outSize: u32, scale: f32) -> vec2<u32> {
  if (scale < 1e-6) { return vec2<u32>(0u, outSize); }
  var b = 0.0;
  if (HALF) { b = select(0.5 * scale - 0.5, 0.5 * scale, NEAREST); }
  let lo = floor((f32(y) - 2.0 - b) / scale);
  let hi = ceil((f32(y) + 2.0 - b) / scale) + 1.0;
  return vec2<u32>(u32(clamp(lo, 0.0, f32(outSize))), u32(clamp(hi, 0.0, f32(outSize))));
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(6u)) { return; }
  let H = p(1u);
  let W = p(2u);
  let C = p(3u);
  let OH = p(4u);
  let OW = p(5u);
  let c = i % C;
  let x = (i / C) % W;
  let y = (i / (C * W)) % H;
  let n = i / (C * W * H);
  let rows = candidates(y, OH, pf(7u));
  let cols = candidates(x, OW, pf(8u));
  var acc = 0.0;
  for (var r = rows.x; r < rows.y; r++) {
    let wy = tapWeight(r, y, H, OH, pf(7u));
    if (wy == 0.0) { continue; }
    for (var q = cols.x; q < cols.y; q++) {
      let wx = tapWeight(q, x, W, OW, pf(8u));
      if (wx == 0.0) { continue; }
      acc += wy * wx * dy[((n * OH + r) * OW + q) * C + c];
    }
  }
  out[i] = acc;
}
