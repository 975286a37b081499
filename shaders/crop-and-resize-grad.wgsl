// Gradient of CropAndResize with respect to the image, gathered: one invocation per image element [n, y, x, c]
// sums dy over the crop samples of the boxes on image n that read it. Params: [N, H, W, C, OH, OW, numBoxes, total].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> boxes: array<f32>;
@group(0) @binding(4) var<storage, read> boxInd: array<i32>;

override WG: u32 = 128u;
override NEAREST: bool = false;

fn cropCoord(r: u32, a: f32, b: f32, inSize: u32, outSize: u32) -> f32 {
  let len = f32(inSize - 1u);
  if (outSize > 1u) {
    return a * len + f32(r) * (b - a) * len / f32(outSize - 1u);
  }
  return 0.5 * (a + b) * len;
}

// Weight of pixel y in the sample at position s (0 when s is outside [0, inSize - 1] or does not read y).
fn weight(s: f32, y: u32, inSize: u32) -> f32 {
  if (s < 0.0 || s > f32(inSize - 1u)) { return 0.0; }
  if (NEAREST) { return select(0.0, 1.0, u32(floor(s + 0.5)) == y); }
  let f = s - floor(s);
  return select(0.0, 1.0 - f, u32(floor(s)) == y) + select(0.0, f, u32(ceil(s)) == y);
}

// Crop indices whose sample lies within 2 pixels of y: [start, end).
fn candidates(y: u32, a: f32, b: f32, inSize: u32, outSize: u32) -> vec2<u32> {
  let step = select(0.0, (b - a) * f32(inSize - 1u) / f32(max(outSize, 2u) - 1u), outSize > 1u);
  if (abs(step) < 1e-6) { return vec2<u32>(0u, outSize); }
  let off = a * f32(inSize - 1u);
  let e0 = (f32(y) - 2.0 - off) / step;
  let e1 = (f32(y) + 2.0 - off) / step;
  let lo = floor(min(e0, e1));
  let hi = ceil(max(e0, e1)) + 1.0;
  return vec2<u32>(u32(clamp(lo, 0.0, f32(outSize))), u32(clamp(hi, 0.0, f32(outSize))));
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(7u)) { return; }
  let H = p(1u);
  let W = p(2u);
  let C = p(3u);
  let OH = p(4u);
  let OW = p(5u);
  let c = i % C;
  let x = (i / C) % W;
  let y = (i / (C * W)) % H;
  let n = i / (C * W * H);
  var acc = 0.0;
  for (var b = 0u; b < p(6u); b++) {
    if (boxInd[b] != i32(n)) { continue; }
    let y1 = boxes[4u * b];
    let x1 = boxes[4u * b + 1u];
    let y2 = boxes[4u * b + 2u];
    let x2 = boxes[4u * b + 3u];
    let rows = candidates(y, y1, y2, H, OH);
    let cols = candidates(x, x1, x2, W, OW);
    for (var r = rows.x; r < rows.y; r++) {
      let wy = weight(cropCoord(r, y1, y2, H, OH), y, H);
      if (wy == 0.0) { continue; }
      for (var q = cols.x; q < cols.y; q++) {
        let wx = weight(cropCoord(q, x1, x2, W, OW), x, W);
        if (wx == 0.0) { continue; }
        acc += wy * wx * dy[((b * OH + r) * OW + q) * C + c];
      }
    }
  }
  out[i] = acc;
}
