// Direct conv2d NHWC for CPU adapters: each invocation accumulates 4 output pixels x 4 output channels, walking the
// filter taps with the pixels' input offsets computed once per tap (no index division in the inner channel loop).
// Params: [N, H, W, IC, OH, OW, OC, FH, FW, strideH, strideW, dilationH, dilationW, padTop, padLeft].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> w: array<f32>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let IC = p(3u);
  let OH = p(4u);
  let OW = p(5u);
  let OC = p(6u);
  let pixels = p(0u) * OH * OW;
  let m0 = gid.y * 4u;
  let c0 = gid.x * 4u;
  if (m0 >= pixels || c0 >= OC) { return; }
  // Output pixels of this block (clamped to the last one; extra rows are never stored).
  var n: array<u32, 4>;
  var ih0: array<i32, 4>;
  var iw0: array<i32, 4>;
  for (var r = 0u; r < 4u; r++) {
    let m = min(m0 + r, pixels - 1u);
    let ow = m % OW;
    let oh = (m / OW) % OH;
    n[r] = m / (OW * OH);
    ih0[r] = i32(oh * p(9u)) - pi(13u);
    iw0[r] = i32(ow * p(10u)) - pi(14u);
  }
  let oc = vec4<u32>(c0, min(c0 + 1u, OC - 1u), min(c0 + 2u, OC - 1u), min(c0 + 3u, OC - 1u));
  // Four named accumulators and vector offsets: dynamically indexed private arrays would spill on CPU adapters.
  var acc0 = vec4<f32>();
  var acc1 = vec4<f32>();
  var acc2 = vec4<f32>();
  var acc3 = vec4<f32>();
  let nv = vec4<u32>(n[0], n[1], n[2], n[3]);
  let ihv = vec4<i32>(ih0[0], ih0[1], ih0[2], ih0[3]);
  let iwv = vec4<i32>(iw0[0], iw0[1], iw0[2], iw0[3]);
  for (var fh = 0u; fh < p(7u); fh++) {
    let ih = ihv + vec4<i32>(i32(fh * p(11u)));
    for (var fw = 0u; fw < p(8u); fw++) {
      let iw = iwv + vec4<i32>(i32(fw * p(12u)));
      // Input offset of each pixel's tap; taps in the padding read offset 0 and are replaced by zero
      // (selected, not multiplied by a 0/1 mask: Inf or NaN at offset 0 times 0 would give NaN).
      let inside = (ih >= vec4<i32>(0)) & (iw >= vec4<i32>(0)) & (vec4<u32>(ih) < vec4<u32>(p(1u))) & (vec4<u32>(iw) < vec4<u32>(p(2u)));
      let base = select(vec4<u32>(0u), ((nv * p(1u) + vec4<u32>(ih)) * p(2u) + vec4<u32>(iw)) * IC, inside);
      let wTap = (fh * p(8u) + fw) * IC * OC;
      // The channel loop is unrolled by hand (CPU shader compilers such as SwiftShader's Subzero do not unroll).
      var wRow = wTap;
      var ic = 0u;
      for (; ic + 4u <= IC;) {
        {
          let wv = vec4<f32>(w[wRow + oc.x], w[wRow + oc.y], w[wRow + oc.z], w[wRow + oc.w]);
          let xv = select(vec4<f32>(0.0), vec4<f32>(x[base.x + ic], x[base.y + ic], x[base.z + ic], x[base.w + ic]), inside);
          acc0 += xv.x * wv;
          acc1 += xv.y * wv;
          acc2 += xv.z * wv;
          acc3 += xv.w * wv;
          wRow += OC;
          ic++;
        }
        {
          let wv = vec4<f32>(w[wRow + oc.x], w[wRow + oc.y], w[wRow + oc.z], w[wRow + oc.w]);
          let xv = select(vec4<f32>(0.0), vec4<f32>(x[base.x + ic], x[base.y + ic], x[base.z + ic], x[base.w + ic]), inside);
          acc0 += xv.x * wv;
          acc1 += xv.y * wv;
          acc2 += xv.z * wv;
          acc3 += xv.w * wv;
          wRow += OC;
          ic++;
        }
        {
          let wv = vec4<f32>(w[wRow + oc.x], w[wRow + oc.y], w[wRow + oc.z], w[wRow + oc.w]);
          let xv = select(vec4<f32>(0.0), vec4<f32>(x[base.x + ic], x[base.y + ic], x[base.z + ic], x[base.w + ic]), inside);
          acc0 += xv.x * wv;
          acc1 += xv.y * wv;
          acc2 += xv.z * wv;
          acc3 += xv.w * wv;
          wRow += OC;
          ic++;
        }
        {
          let wv = vec4<f32>(w[wRow + oc.x], w[wRow + oc.y], w[wRow + oc.z], w[wRow + oc.w]);
          let xv = select(vec4<f32>(0.0), vec4<f32>(x[base.x + ic], x[base.y + ic], x[base.z + ic], x[base.w + ic]), inside);
          acc0 += xv.x * wv;
          acc1 += xv.y * wv;
          acc2 += xv.z * wv;
          acc3 += xv.w * wv;
          wRow += OC;
          ic++;
        }
      }
      for (; ic < IC;) {
        {
          let wv = vec4<f32>(w[wRow + oc.x], w[wRow + oc.y], w[wRow + oc.z], w[wRow + oc.w]);
          let xv = select(vec4<f32>(0.0), vec4<f32>(x[base.x + ic], x[base.y + ic], x[base.z + ic], x[base.w + ic]), inside);
          acc0 += xv.x * wv;
          acc1 += xv.y * wv;
          acc2 += xv.z * wv;
          acc3 += xv.w * wv;
          wRow += OC;
          ic++;
        }
      }
    }
  }
  let acc = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
  for (var r = 0u; r < 4u; r++) {
    if (m0 + r >= pixels) { break; }
    for (var j = 0u; j < 4u; j++) {
      if (c0 + j < OC) { out[(m0 + r) * OC + c0 + j] = acc[r][j]; }
    }
  }
}
