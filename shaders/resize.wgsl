// Resize NHWC images, bilinear or nearest (resize-taps.wgsl is prepended), one invocation per output element.
// Params: [N, H, W, C, OH, OW, total, scaleY bits, scaleX bits].
@group(0) @binding(1) var<storage, read_write> out: array<T>;
@group(0) @binding(2) var<storage, read> x: array<T>;

override WG: u32 = 128u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(6u)) { return; }
  let H = p(1u);
  let W = p(2u);
  let C = p(3u);
  let c = i % C;
  let ox = (i / C) % p(5u);
  let oy = (i / (C * p(5u))) % p(4u);
  let n = i / (C * p(5u) * p(4u));
  let base = n * H * W * C + c;
  if (NEAREST) {
    out[i] = x[base + (nearestIndex(oy, H, p(4u)) * W + nearestIndex(ox, W, p(5u))) * C];
    return;
  }
  let ty = bilinearTaps(oy, H, pf(7u));
  let tx = bilinearTaps(ox, W, pf(8u));
  let fy = bitcast<f32>(ty.z);
  let fx = bitcast<f32>(tx.z);
  let tl = f32(x[base + (ty.x * W + tx.x) * C]);
  let tr = f32(x[base + (ty.x * W + tx.y) * C]);
  let bl = f32(x[base + (ty.y * W + tx.x) * C]);
  let br = f32(x[base + (ty.y * W + tx.y) * C]);
  let top = tl + (tr - tl) * fx;
  let bottom = bl + (br - bl) * fx;
  out[i] = T(top + (bottom - top) * fy);
}
