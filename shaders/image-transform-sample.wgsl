// Shared by image-transform.wgsl and image-transform-grad.wgsl (placed before them): where output element
// i = [n, y, x, c] samples the image under TensorFlow's projective transform, outside points mapped by
// MODE (0 constant, 1 reflect, 2 wrap, 3 nearest). Params: [N, H, W, C, OH, OW, total, perImage, ...].
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

// The sample point (sy, sx) in the image, and the flat offset of image[n, 0, 0, c]; valid is false where
// the projection's denominator is 0 (the output is the fill value there, and has no gradient).
struct TransformSample {
  valid: bool,
  sy: f32,
  sx: f32,
  base: u32,
}

fn transformSample(i: u32) -> TransformSample {
  let C = p(3u);
  let c = i % C;
  let ox = f32((i / C) % p(5u));
  let oy = f32((i / (C * p(5u))) % p(4u));
  let n = i / (C * p(5u) * p(4u));
  let t = select(0u, 8u * n, p(7u) == 1u);
  let proj = transforms[t + 6u] * ox + transforms[t + 7u] * oy + 1.0;
  if (proj == 0.0) { return TransformSample(false, 0.0, 0.0, 0u); }
  let sx = mapCoord((transforms[t] * ox + transforms[t + 1u] * oy + transforms[t + 2u]) / proj, p(2u));
  let sy = mapCoord((transforms[t + 3u] * ox + transforms[t + 4u] * oy + transforms[t + 5u]) / proj, p(1u));
  return TransformSample(true, sy, sx, n * p(1u) * p(2u) * C + c);
}
