// Gradient of the projective transform with respect to the image, scattered: one invocation per dy element
// [n, y, x, c] adds its weight times dy to the in-image pixels its sample read, by compare-exchange float adds
// (fill modes fold many samples onto one pixel, so no local gather exists). Params: [N, H, W, C, OH, OW, total, perImage].
@group(0) @binding(1) var<storage, read_write> out: array<atomic<u32>>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> transforms: array<f32>;

override WG: u32 = 128u;
override BILINEAR: bool = false;
override MODE: u32 = 0u;

fn mapCoord(v: f32, len: u32) -> f32 {
  let n = f32(len);
  if (MODE == 0u) { return v; }
  if (MODE == 3u) { return clamp(v, 0.0, n - 1.0); }
  var c = v;
  if (len <= 1u) {
    c = 0.0;
  } else if (MODE == 1u) {
    let sz2 = 2.0 * n;
    if (c < 0.0) {
      if (c < sz2) { c = sz2 * trunc(-c / sz2) + c; }
      c = select(-c - 1.0, c + sz2, c < -n);
    } else if (c > n - 1.0) {
      c -= sz2 * trunc(c / sz2);
      if (c >= n) { c = sz2 - c - 1.0; }
    }
  } else if (c < 0.0) {
    c += n * (trunc(-c / (n - 1.0)) + 1.0);
  } else if (c > n - 1.0) {
    c -= n * trunc(c / (n - 1.0));
  }
  return clamp(c, 0.0, n - 1.0);
}

fn add(base: u32, y: f32, x: f32, v: f32) {
  if (v == 0.0 || y < 0.0 || y >= f32(p(1u)) || x < 0.0 || x >= f32(p(2u))) { return; }
  let at = base + (u32(y) * p(2u) + u32(x)) * p(3u);
  var old = atomicLoad(&out[at]);
  loop {
    let r = atomicCompareExchangeWeak(&out[at], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(6u)) { return; }
  let C = p(3u);
  let c = i % C;
  let ox = f32((i / C) % p(5u));
  let oy = f32((i / (C * p(5u))) % p(4u));
  let n = i / (C * p(5u) * p(4u));
  let t = select(0u, 8u * n, p(7u) == 1u);
  let proj = transforms[t + 6u] * ox + transforms[t + 7u] * oy + 1.0;
  if (proj == 0.0) { return; }
  let sx = mapCoord((transforms[t] * ox + transforms[t + 1u] * oy + transforms[t + 2u]) / proj, p(2u));
  let sy = mapCoord((transforms[t + 3u] * ox + transforms[t + 4u] * oy + transforms[t + 5u]) / proj, p(1u));
  let base = n * p(1u) * p(2u) * C + c;
  let g = dy[i];
  if (!BILINEAR) {
    add(base, floor(sy + 0.5), floor(sx + 0.5), g);
    return;
  }
  let fy = floor(sy);
  let fx = floor(sx);
  add(base, fy, fx, (fy + 1.0 - sy) * (fx + 1.0 - sx) * g);
  add(base, fy, fx + 1.0, (fy + 1.0 - sy) * (sx - fx) * g);
  add(base, fy + 1.0, fx, (sy - fy) * (fx + 1.0 - sx) * g);
  add(base, fy + 1.0, fx + 1.0, (sy - fy) * (sx - fx) * g);
}
