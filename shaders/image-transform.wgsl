// TensorFlow's ImageProjectiveTransform, one invocation per output element [n, y, x, c]: samples the input at the
// projected point, outside points mapped by MODE (0 constant, 1 reflect, 2 wrap, 3 nearest); BILINEAR else nearest.
// Params: [N, H, W, C, OH, OW, total, perImage, fillValue bits].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> image: array<f32>;
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

fn fetch(base: u32, y: f32, x: f32) -> f32 {
  if (y < 0.0 || y >= f32(p(1u)) || x < 0.0 || x >= f32(p(2u))) { return pf(8u); }
  return image[base + (u32(y) * p(2u) + u32(x)) * p(3u)];
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
  if (proj == 0.0) {
    out[i] = pf(8u);
    return;
  }
  let sx = mapCoord((transforms[t] * ox + transforms[t + 1u] * oy + transforms[t + 2u]) / proj, p(2u));
  let sy = mapCoord((transforms[t + 3u] * ox + transforms[t + 4u] * oy + transforms[t + 5u]) / proj, p(1u));
  let base = n * p(1u) * p(2u) * C + c;
  if (!BILINEAR) {
    out[i] = fetch(base, floor(sy + 0.5), floor(sx + 0.5));
    return;
  }
  let fy = floor(sy);
  let fx = floor(sx);
  let top = (fx + 1.0 - sx) * fetch(base, fy, fx) + (sx - fx) * fetch(base, fy, fx + 1.0);
  let bottom = (fx + 1.0 - sx) * fetch(base, fy + 1.0, fx) + (sx - fx) * fetch(base, fy + 1.0, fx + 1.0);
  out[i] = (fy + 1.0 - sy) * top + (sy - fy) * bottom;
}
