// Gradient of the projective transform with respect to the image, scattered: one invocation per dy element
// [n, y, x, c] adds its weight times dy to the in-image pixels its sample read, by compare-exchange float adds
// (fill modes fold many samples onto one pixel, so no local gather exists). The sample points come from
// image-transform-sample.wgsl, placed before. Params: [N, H, W, C, OH, OW, total, perImage].
@group(0) @binding(1) var<storage, read_write> out: array<atomic<u32>>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> transforms: array<f32>;

override WG: u32 = 128u;
override BILINEAR: bool = false;

// Adds w * g to pixel (y, x); a tap of weight 0 adds nothing (0 * Inf would be NaN), as on the CPU reference.
fn add(base: u32, y: f32, x: f32, w: f32, g: f32) {
  if (w == 0.0 || y < 0.0 || y >= f32(p(1u)) || x < 0.0 || x >= f32(p(2u))) { return; }
  let at = base + (u32(y) * p(2u) + u32(x)) * p(3u);
  var old = atomicLoad(&out[at]);
  loop {
    let r = atomicCompareExchangeWeak(&out[at], old, bitcast<u32>(bitcast<f32>(old) + w * g));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(6u)) { return; }
  let at = transformSample(i);
  if (!at.valid) { return; }
  let sy = at.sy;
  let sx = at.sx;
  let base = at.base;
  let g = dy[i];
  if (!BILINEAR) {
    add(base, floor(sy + 0.5), floor(sx + 0.5), 1.0, g);
    return;
  }
  let fy = floor(sy);
  let fx = floor(sx);
  add(base, fy, fx, (fy + 1.0 - sy) * (fx + 1.0 - sx), g);
  add(base, fy, fx + 1.0, (fy + 1.0 - sy) * (sx - fx), g);
  add(base, fy + 1.0, fx, (sy - fy) * (fx + 1.0 - sx), g);
  add(base, fy + 1.0, fx + 1.0, (sy - fy) * (sx - fx), g);
}
