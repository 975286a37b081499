// conv2d filter gradient for CPU adapters: each invocation accumulates 4 filter rows (fh, fw, ic) x 4 output channels over
// one chunk of output pixels (gid.z), walking the pixels with running (n, oh, ow) counters instead of index division.
// The partial sums land in partial[chunk][FH*FW*IC][OC]; sumPartials adds the chunks.
// Params: [N, H, W, IC, OH, OW, OC, FH, FW, strideH, strideW, dilationH, dilationW, padTop, padLeft, chunk].
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> dy: array<f32>;

// Set when IC % 4 == 0: an invocation's 4 rows are 4 consecutive channels of one tap, so one bounds test and
// one offset serve all four.
override SAME_TAP: bool = false;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let H = p(1u);
  let W = p(2u);
  let IC = p(3u);
  let OH = p(4u);
  let OW = p(5u);
  let OC = p(6u);
  let rows = p(7u) * p(8u) * IC;
  let pixels = p(0u) * OH * OW;
  let m0 = gid.y * 4u;
  let c0 = gid.x * 4u;
  if (m0 >= rows || c0 >= OC) { return; }
  let k0 = gid.z * p(15u);
  let k1 = min(k0 + p(15u), pixels);
  // Each row's channel and tap offset (rows past the end are clamped to the last one and never stored).
  let m = min(vec4<u32>(m0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(rows - 1u));
  let icv = m % vec4<u32>(IC);
  let tap = m / vec4<u32>(IC);
  let offH = vec4<i32>((tap / vec4<u32>(p(8u))) * p(11u)) - vec4<i32>(pi(13u));
  let offW = vec4<i32>((tap % vec4<u32>(p(8u))) * p(12u)) - vec4<i32>(pi(14u));
  let oc = min(vec4<u32>(c0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(OC - 1u));
  var acc0 = vec4<f32>();
  var acc1 = vec4<f32>();
  var acc2 = vec4<f32>();
  var acc3 = vec4<f32>();
  var ow = k0 % OW;
  var oh = (k0 / OW) % OH;
  var n = k0 / (OW * OH);
  for (var k = k0; k < k1; k++) {
    var xv: vec4<f32>;
    if (SAME_TAP) {
      let ih = i32(oh * p(9u)) + offH.x;
      let iw = i32(ow * p(10u)) + offW.x;
      let inside = ih >= 0 && iw >= 0 && ih < i32(H) && iw < i32(W);
      let xi = select(0u, ((n * H + u32(ih)) * W + u32(iw)) * IC + icv.x, inside);
      xv = select(0.0, 1.0, inside) * vec4<f32>(x[xi], x[xi + 1u], x[xi + 2u], x[xi + 3u]);
    } else {
      let ih = vec4<i32>(i32(oh * p(9u))) + offH;
      let iw = vec4<i32>(i32(ow * p(10u))) + offW;
      let inside = (ih >= vec4<i32>(0)) & (iw >= vec4<i32>(0)) & (ih < vec4<i32>(i32(H))) & (iw < vec4<i32>(i32(W)));
      let xi = select(vec4<u32>(0u), ((vec4<u32>(n * H) + vec4<u32>(ih)) * W + vec4<u32>(iw)) * IC + icv, inside);
      xv = select(vec4<f32>(0.0), vec4<f32>(1.0), inside) * vec4<f32>(x[xi.x], x[xi.y], x[xi.z], x[xi.w]);
    }
    let d = k * OC;
    let dv = vec4<f32>(dy[d + oc.x], dy[d + oc.y], dy[d + oc.z], dy[d + oc.w]);
    acc0 += xv.x * dv;
    acc1 += xv.y * dv;
    acc2 += xv.z * dv;
    acc3 += xv.w * dv;
    ow++;
    if (ow == OW) {
      ow = 0u;
      oh++;
      if (oh == OH) {
        oh = 0u;
        n++;
      }
    }
  }
  let acc = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
  let base = gid.z * rows * OC;
  for (var r = 0u; r < 4u; r++) {
    if (m0 + r >= rows) { break; }
    for (var j = 0u; j < 4u; j++) {
      if (c0 + j < OC) { out[base + (m0 + r) * OC + c0 + j] = acc[r][j]; }
    }
  }
}
