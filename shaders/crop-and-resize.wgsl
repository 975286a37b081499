// TensorFlow's CropAndResize, one invocation per output element [box, y, x, c]; samples outside the image get the
// extrapolation value, a box index outside the batch gives NaN. NEAREST picks the rounded sample, else bilinear.
// Params: [N, H, W, C, OH, OW, numBoxes, total, extrapolation bits, NaN bits].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> image: array<f32>;
@group(0) @binding(3) var<storage, read> boxes: array<f32>;
@group(0) @binding(4) var<storage, read> boxInd: array<i32>;

override WG: u32 = 128u;
override NEAREST: bool = false;

// Weight times value, 0 for a tap of weight 0 (skipped: 0 * Inf would give NaN, as on the CPU reference).
fn tap(w: f32, v: f32) -> f32 {
  if (w == 0.0) { return 0.0; }
  return w * v;
}

// Sampling position of crop index r in a box [a, b] along an axis of inSize pixels and outSize crop samples.
fn cropCoord(r: u32, a: f32, b: f32, inSize: u32, outSize: u32) -> f32 {
  let len = f32(inSize - 1u);
  if (outSize > 1u) {
    return a * len + f32(r) * (b - a) * len / f32(outSize - 1u);
  }
  return 0.5 * (a + b) * len;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(7u)) { return; }
  let H = p(1u);
  let W = p(2u);
  let C = p(3u);
  let c = i % C;
  let ox = (i / C) % p(5u);
  let oy = (i / (C * p(5u))) % p(4u);
  let b = i / (C * p(5u) * p(4u));
  let n = boxInd[b];
  if (n < 0 || u32(n) >= p(0u)) {
    out[i] = pf(9u);
    return;
  }
  let yi = cropCoord(oy, boxes[4u * b], boxes[4u * b + 2u], H, p(4u));
  let xi = cropCoord(ox, boxes[4u * b + 1u], boxes[4u * b + 3u], W, p(5u));
  if (yi < 0.0 || yi > f32(H - 1u) || xi < 0.0 || xi > f32(W - 1u)) {
    out[i] = pf(8u);
    return;
  }
  let base = u32(n) * H * W * C + c;
  if (NEAREST) {
    out[i] = image[base + (u32(floor(yi + 0.5)) * W + u32(floor(xi + 0.5))) * C];
    return;
  }
  let t = u32(floor(yi));
  let bt = u32(ceil(yi));
  let l = u32(floor(xi));
  let r = u32(ceil(xi));
  let fy = yi - floor(yi);
  let fx = xi - floor(xi);
  let tl = image[base + (t * W + l) * C];
  let tr = image[base + (t * W + r) * C];
  let bl = image[base + (bt * W + l) * C];
  let br = image[base + (bt * W + r) * C];
  out[i] = tap((1.0 - fy) * (1.0 - fx), tl) + tap((1.0 - fy) * fx, tr) + tap(fy * (1.0 - fx), bl) + tap(fy * fx, br);
}
