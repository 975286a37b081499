// Fragment (no entry point) shared by resize.wgsl and resize-grad.wgsl: TensorFlow's source taps of one output index along an axis.
// Overrides: NEAREST (else bilinear), ALIGN (alignCorners), HALF (halfPixelCenters).
override NEAREST: bool = false;
override ALIGN: bool = false;
override HALF: bool = false;

// Nearest source index in exact integer arithmetic (round half up with ALIGN, floor otherwise).
fn nearestIndex(r: u32, inSize: u32, outSize: u32) -> u32 {
  var i: u32;
  if (ALIGN && outSize > 1u) {
    i = (2u * r * (inSize - 1u) + (outSize - 1u)) / (2u * (outSize - 1u));
  } else if (HALF) {
    i = ((2u * r + 1u) * inSize) / (2u * outSize);
  } else {
    i = (r * inSize) / outSize;
  }
  return min(i, inSize - 1u);
}

// Bilinear taps: x = lo row, y = hi row, z = weight on hi (as bits).
fn bilinearTaps(r: u32, inSize: u32, scale: f32) -> vec3<u32> {
  var s = f32(r) * scale;
  if (HALF) {
    s = (f32(r) + 0.5) * scale - 0.5;
  }
  let lo = max(0.0, floor(s));
  let hi = min(f32(inSize - 1u), ceil(s));
  return vec3<u32>(u32(lo), u32(hi), bitcast<u32>(s - lo));
}

// Weight of input index y in the interpolation of output index r (0 when r does not read y).
fn tapWeight(r: u32, y: u32, inSize: u32, outSize: u32, scale: f32) -> f32 {
  if (NEAREST) {
    return select(0.0, 1.0, nearestIndex(r, inSize, outSize) == y);
  }
  let t = bilinearTaps(r, inSize, scale);
  let f = bitcast<f32>(t.z);
  return select(0.0, 1.0 - f, t.x == y) + select(0.0, f, t.y == y);
}
