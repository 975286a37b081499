// Math helpers for generated elementwise kernels (included when an expression calls a wdl_ function):
// sin and cos accurate to about 1e-7 absolute for every finite float32, huge arguments included.

// Bits of 2/π after the binary point, most significant first, behind one zero word (for small exponents).
const WDL_TWO_OVER_PI = array<u32, 11>(0u, 0xa2f9836eu, 0x4e441529u, 0xfc2757d1u, 0xf534ddc0u, 0xdb629599u,
  0x3c439041u, 0xfe5163abu, 0xdebbc561u, 0xb7246e3au, 0x424dd2e0u);

// 32 bits of the table starting at bit `bit`.
fn wdl_bits(bit: u32) -> u32 {
  var t = WDL_TWO_OVER_PI;
  let j = bit / 32u;
  let b = bit % 32u;
  if (b == 0u) { return t[j]; }
  return (t[j] << b) | (t[j + 1u] >> (32u - b));
}

// (high, low) words of a * b for a < 2^24.
fn wdl_mul(a: u32, b: u32) -> vec2<u32> {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let ll = al * bl;
  let lh = al * bh;
  let mid = lh + ah * bl;
  let midCarry = select(0u, 0x10000u, mid < lh);
  let lo = ll + (mid << 16u);
  let loCarry = select(0u, 1u, lo < ll);
  return vec2<u32>(ah * bh + (mid >> 16u) + midCarry + loCarry, lo);
}

// Payne-Hanek reduction of |x| >= 8192: (r, q) with |x| = (4n + q)·π/2 + r, r in [-π/4, π/4].
// |x| = M·2^E (M the 24-bit significand); only the 96 bits of 2/π that reach [2^-94, 4) matter, so
// M times that window modulo 2^96 is |x|·2/π modulo 4 in units of 2^-94.
fn wdl_reduce(ax: f32) -> vec2<f32> {
  let bits = bitcast<u32>(ax);
  let m = (bits & 0x7fffffu) | 0x800000u;
  let s = u32(i32(bits >> 23u) - 152 + 32);
  let p2 = wdl_mul(m, wdl_bits(s + 64u));
  let p1 = wdl_mul(m, wdl_bits(s + 32u));
  let limb1 = p2.x + p1.y;
  let limb0 = p1.x + m * wdl_bits(s) + select(0u, 1u, limb1 < p2.x);
  let f = (limb0 << 2u) | (limb1 >> 30u);
  let g = (limb1 << 2u) | (p2.y >> 30u);
  // The fraction as a signed 64-bit value: rounding to the nearest quadrant is its sign bit.
  let q = (limb0 >> 30u) + (f >> 31u);
  let frac = f32(bitcast<i32>(f)) * 2.3283064365386963e-10 + f32(g) * 5.421010862427522e-20;
  return vec2<f32>(frac * 1.5707963267948966, f32(q & 3u));
}

// sin (quadrant 0) or cos (quadrant 1): Cody-Waite reduction below 8192, Payne-Hanek above, then
// Cephes' minimax polynomials on [-π/4, π/4].
fn wdl_sin_cos(x: f32, quadrant: u32) -> f32 {
  let ax = abs(x);
  var r: f32;
  var q: u32;
  if (ax < 8192.0) {
    let k = round(x * 0.6366197723675814);
    r = ((x - k * 1.5703125) - k * 4.837512969970703125e-4) - k * 7.549789948768648e-8;
    q = bitcast<u32>(i32(k));
  } else {
    let rq = wdl_reduce(ax);
    r = select(rq.x, -rq.x, x < 0.0);
    q = select(u32(rq.y), 0u - u32(rq.y), x < 0.0);
  }
  q = q + quadrant;
  let z = r * r;
  let s = r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
  let c = 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
  let v = select(s, c, (q & 1u) != 0u) * select(1.0, -1.0, (q & 2u) != 0u);
  // sin(±inf) is NaN (tested on the bits: WGSL may assume no infinities).
  return select(v, bitcast<f32>(wdl_nan_bits()), (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u);
}

fn wdl_nan_bits() -> u32 { return 0x7fc00000u; }

fn wdl_sin(x: f32) -> f32 { return wdl_sin_cos(x, 0u); }
fn wdl_cos(x: f32) -> f32 { return wdl_sin_cos(x, 1u); }
