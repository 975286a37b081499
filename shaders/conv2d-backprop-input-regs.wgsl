// conv2d input gradient (and transposed convolution) for CPU adapters: each invocation accumulates 4 input pixels x 4 input
// channels, walking the filter taps with each pixel's output-gradient offset computed once per tap (a tap reaches output
// pixel (oh, ow) when oh * strideH = h + padTop - fh * dilationH divides evenly and is in range), then the output channels.
// Params: [N, H, W, IC, OH, OW, OC, FH, FW, strideH, strideW, dilationH, dilationW, padTop, padLeft].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> w: array<f32>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let H = p(1u);
  let W = p(2u);
  let IC = p(3u);
  let OH = p(4u);
  let OW = p(5u);
  let OC = p(6u);
  let pixels = p(0u) * H * W;
  let m0 = gid.y * 4u;
  let c0 = gid.x * 4u;
  if (m0 >= pixels || c0 >= IC) { return; }
  // Input pixels of this block (clamped to the last one; extra rows are never stored).
  let m = min(vec4<u32>(m0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(pixels - 1u));
  let nv = m / vec4<u32>(W * H);
  let hv = vec4<i32>((m / vec4<u32>(W)) % vec4<u32>(H)) + vec4<i32>(pi(13u));
  let wv0 = vec4<i32>(m % vec4<u32>(W)) + vec4<i32>(pi(14u));
  let ic = min(vec4<u32>(c0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(IC - 1u));
  let sh = vec4<i32>(i32(p(9u)));
  let sw = vec4<i32>(i32(p(10u)));
  var acc0 = vec4<f32>();
  var acc1 = vec4<f32>();
  var acc2 = vec4<f32>();
  var acc3 = vec4<f32>();
  for (var fh = 0u; fh < p(7u); fh++) {
    let th = hv - vec4<i32>(i32(fh * p(11u)));
    let okH = (th >= vec4<i32>(0)) & (th % sh == vec4<i32>(0));
    let oh = select(vec4<i32>(0), th / sh, okH);
    let inH = okH & (oh < vec4<i32>(i32(OH)));
    for (var fw = 0u; fw < p(8u); fw++) {
      let tw = wv0 - vec4<i32>(i32(fw * p(12u)));
      let okW = (tw >= vec4<i32>(0)) & (tw % sw == vec4<i32>(0));
      let ow = select(vec4<i32>(0), tw / sw, okW);
      let inside = inH & okW & (ow < vec4<i32>(i32(OW)));
      let base = select(vec4<u32>(0u), ((nv * OH + vec4<u32>(oh)) * OW + vec4<u32>(ow)) * OC, inside);
      // Filter [FH, FW, IC, OC]: this tap's rows for the 4 input channels, read along the output channels.
      let wc = ((fh * p(8u) + fw) * IC + ic) * OC;
      var wRow = 0u;
      var oc = 0u;
      // Unrolled by hand (CPU shader compilers such as SwiftShader's Subzero do not unroll).
      for (; oc + 4u <= OC;) {
        {
          let wv = vec4<f32>(w[wRow + wc.x], w[wRow + wc.y], w[wRow + wc.z], w[wRow + wc.w]);
          let dv = select(vec4<f32>(0.0), vec4<f32>(dy[base.x + oc], dy[base.y + oc], dy[base.z + oc], dy[base.w + oc]), inside);
          acc0 += dv.x * wv;
          acc1 += dv.y * wv;
          acc2 += dv.z * wv;
          acc3 += dv.w * wv;
          wRow++;
          oc++;
        }
        {
          let wv = vec4<f32>(w[wRow + wc.x], w[wRow + wc.y], w[wRow + wc.z], w[wRow + wc.w]);
          let dv = select(vec4<f32>(0.0), vec4<f32>(dy[base.x + oc], dy[base.y + oc], dy[base.z + oc], dy[base.w + oc]), inside);
          acc0 += dv.x * wv;
          acc1 += dv.y * wv;
          acc2 += dv.z * wv;
          acc3 += dv.w * wv;
          wRow++;
          oc++;
        }
        {
          let wv = vec4<f32>(w[wRow + wc.x], w[wRow + wc.y], w[wRow + wc.z], w[wRow + wc.w]);
          let dv = select(vec4<f32>(0.0), vec4<f32>(dy[base.x + oc], dy[base.y + oc], dy[base.z + oc], dy[base.w + oc]), inside);
          acc0 += dv.x * wv;
          acc1 += dv.y * wv;
          acc2 += dv.z * wv;
          acc3 += dv.w * wv;
          wRow++;
          oc++;
        }
        {
          let wv = vec4<f32>(w[wRow + wc.x], w[wRow + wc.y], w[wRow + wc.z], w[wRow + wc.w]);
          let dv = select(vec4<f32>(0.0), vec4<f32>(dy[base.x + oc], dy[base.y + oc], dy[base.z + oc], dy[base.w + oc]), inside);
          acc0 += dv.x * wv;
          acc1 += dv.y * wv;
          acc2 += dv.z * wv;
          acc3 += dv.w * wv;
          wRow++;
          oc++;
        }
      }
      for (; oc < OC;) {
        {
          let wv = vec4<f32>(w[wRow + wc.x], w[wRow + wc.y], w[wRow + wc.z], w[wRow + wc.w]);
          let dv = select(vec4<f32>(0.0), vec4<f32>(dy[base.x + oc], dy[base.y + oc], dy[base.z + oc], dy[base.w + oc]), inside);
          acc0 += dv.x * wv;
          acc1 += dv.y * wv;
          acc2 += dv.z * wv;
          acc3 += dv.w * wv;
          wRow++;
          oc++;
        }
      }
    }
  }
  let acc = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
  for (var r = 0u; r < 4u; r++) {
    if (m0 + r >= pixels) { break; }
    for (var j = 0u; j < 4u; j++) {
      if (c0 + j < IC) { out[(m0 + r) * IC + c0 + j] = acc[r][j]; }
    }
  }
}
