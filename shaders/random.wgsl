// Counter-based random numbers, bit-identical to core's random.ts (PCG hash of counter ^ hash(seed)).
// Params: [size, seed, a bits, b bits]; uniform: a + (b - a) * u, normal (NORMAL = true): a + b * z by Box-Muller.
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

override WG: u32 = 128u;
override NORMAL: bool = false;

fn pcgHash(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

// cos(2πu) for u in [0, 1) to about 1e-7, independent of the device's cos (WGSL only bounds that on [-π, π], loosely).
fn cos2pi(u: f32) -> f32 {
  // Fold to t = |x| in [0, π] with x = 2πu - π, where cos(2πu) = -cos(x); then cos(t) = -cos(π - t) past π/2.
  let t = abs(6.283185307179586 * u - 3.141592653589793);
  let flip = t > 1.5707963267948966;
  let r = select(t, 3.141592653589793 - t, flip);
  let r2 = r * r;
  let c = 1.0 + r2 * (-0.5 + r2 * (0.041666666666666664 + r2 * (-0.001388888888888889 + r2 * (2.48015873015873e-5 + r2 * (-2.755731922398589e-7 + r2 * 2.08767569878681e-9)))));
  return select(-c, c, flip);
}

fn bits(seedHash: u32, i: u32) -> u32 {
  return pcgHash(i ^ seedHash);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(0u)) { return; }
  let sh = pcgHash(p(1u));
  let a = pf(2u);
  let b = pf(3u);
  let scale = 5.960464477539063e-8;
  if (NORMAL) {
    let u1 = f32((bits(sh, 2u * i) >> 8u) + 1u) * scale;
    let u2 = f32(bits(sh, 2u * i + 1u) >> 8u) * scale;
    out[i] = a + b * (sqrt(-2.0 * log(u1)) * cos2pi(u2));
  } else {
    out[i] = a + (b - a) * (f32(bits(sh, i) >> 8u) * scale);
  }
}
