// TensorFlow's ImageProjectiveTransform, one invocation per output element [n, y, x, c]: samples the input at the
// projected point (image-transform-sample.wgsl, placed before), bilinear where BILINEAR, else nearest.
// Params: [N, H, W, C, OH, OW, total, perImage, fillValue bits].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> image: array<f32>;
@group(0) @binding(3) var<storage, read> transforms: array<f32>;

override WG: u32 = 128u;
override BILINEAR: bool = false;

fn fetch(base: u32, y: f32, x: f32) -> f32 {
  if (y < 0.0 || y >= f32(p(1u)) || x < 0.0 || x >= f32(p(2u))) { return pf(8u); }
  return image[base + (u32(y) * p(2u) + u32(x)) * p(3u)];
}

// Weight times value, 0 for a tap of weight 0 (skipped: 0 * Inf would give NaN, as on the CPU reference).
fn tap(w: f32, v: f32) -> f32 {
  if (w == 0.0) { return 0.0; }
  return w * v;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(6u)) { return; }
  let at = transformSample(i);
  if (!at.valid) {
    out[i] = pf(8u);
    return;
  }
  let sy = at.sy;
  let sx = at.sx;
  let base = at.base;
  if (!BILINEAR) {
    out[i] = fetch(base, floor(sy + 0.5), floor(sx + 0.5));
    return;
  }
  let fy = floor(sy);
  let fx = floor(sx);
  let top = tap(fx + 1.0 - sx, fetch(base, fy, fx)) + tap(sx - fx, fetch(base, fy, fx + 1.0));
  let bottom = tap(fx + 1.0 - sx, fetch(base, fy + 1.0, fx)) + tap(sx - fx, fetch(base, fy + 1.0, fx + 1.0));
  out[i] = tap(fy + 1.0 - sy, top) + tap(sy - fy, bottom);
}
