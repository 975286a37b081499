// Gradient of bilinear CropAndResize with respect to the boxes (TensorFlow's CropAndResizeGradBoxes), gathered:
// one invocation per box coordinate [box, j] (j: y1, x1, y2, x2) sums dy times the sample's derivative over the
// box's in-image samples; a box index outside the batch gives NaN. Params: [N, H, W, C, OH, OW, numBoxes, total, NaN bits].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> image: array<f32>;
@group(0) @binding(4) var<storage, read> boxes: array<f32>;
@group(0) @binding(5) var<storage, read> boxInd: array<i32>;

override WG: u32 = 128u;

// Sample position of crop index r in [a, b] and its derivative with respect to a (second = false) or b.
fn coord(r: u32, a: f32, b: f32, inSize: u32, outSize: u32, second: bool) -> vec2<f32> {
  let len = f32(inSize - 1u);
  if (outSize > 1u) {
    let t = f32(r) / f32(outSize - 1u);
    return vec2<f32>(a * len + f32(r) * (b - a) * len / f32(outSize - 1u), select(len * (1.0 - t), len * t, second));
  }
  return vec2<f32>(0.5 * (a + b) * len, 0.5 * len);
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
  let b = i / 4u;
  let j = i % 4u;
  let n = boxInd[b];
  if (n < 0 || u32(n) >= p(0u)) {
    out[i] = pf(8u);
    return;
  }
  let alongY = j % 2u == 0u;
  let second = j >= 2u;
  let y1 = boxes[4u * b];
  let x1 = boxes[4u * b + 1u];
  let y2 = boxes[4u * b + 2u];
  let x2 = boxes[4u * b + 3u];
  let base = u32(n) * H * W * C;
  var acc = 0.0;
  for (var y = 0u; y < OH; y++) {
    let cy = coord(y, y1, y2, H, OH, second);
    if (cy.x < 0.0 || cy.x > f32(H - 1u)) { continue; }
    let t = u32(floor(cy.x));
    let bt = u32(ceil(cy.x));
    let fy = cy.x - floor(cy.x);
    for (var x = 0u; x < OW; x++) {
      let cx = coord(x, x1, x2, W, OW, second);
      if (cx.x < 0.0 || cx.x > f32(W - 1u)) { continue; }
      let l = u32(floor(cx.x));
      let r = u32(ceil(cx.x));
      let fx = cx.x - floor(cx.x);
      let scale = select(cx.y, cy.y, alongY);
      for (var c = 0u; c < C; c++) {
        let tl = image[base + (t * W + l) * C + c];
        let tr = image[base + (t * W + r) * C + c];
        let bl = image[base + (bt * W + l) * C + c];
        let br = image[base + (bt * W + r) * C + c];
        let d = select((1.0 - fy) * (tr - tl) + fy * (br - bl), bl + (br - bl) * fx - tl - (tr - tl) * fx, alongY);
        acc += dy[((b * OH + y) * OW + x) * C + c] * d * scale;
      }
    }
  }
  out[i] = acc;
}
