// Reduction of short rows: x viewed as [outer, inner], one invocation per row (used when inner is small).
// OP: 0 sum, 1 prod, 2 max, 3 min, 4 argMax, 5 argMin (first index on ties). Params: [outer, inner].
// FLOAT: T is f32, so max/min propagate NaN (tested on the bits: WGSL max/min may drop NaN).
@group(0) @binding(1) var<storage, read_write> out: array<O>;
// rdLoad(i) gives element i of x (appended by the builder: a read of binding 2, or a fused elementwise prologue).

override WG: u32 = 128u;
override OP: u32 = 0u;
override FLOAT: bool = false;

fn isNan(v: T) -> bool {
  return FLOAT && (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = (wid.y * nwg.x + wid.x) * WG + lid;
  if (row >= p(0u)) { return; }
  let inner = p(1u);
  let base = row * inner;
  if (inner == 0u) {
    out[row] = O(select(0, 1, OP == 1u));
    return;
  }
  var acc: T = rdLoad(base);
  var ai = 0u;
  for (var j = 1u; j < inner; j++) {
    let v = rdLoad(base + j);
    switch OP {
      case 0u: { acc += v; }
      case 1u: { acc *= v; }
      case 2u: { acc = select(max(acc, v), select(v, acc, isNan(acc)), isNan(acc) | isNan(v)); }
      case 3u: { acc = select(min(acc, v), select(v, acc, isNan(acc)), isNan(acc) | isNan(v)); }
      case 4u: { if (v > acc) { acc = v; ai = j; } }
      default: { if (v < acc) { acc = v; ai = j; } }
    }
  }
  if (OP >= 4u) {
    out[row] = O(ai);
  } else {
    out[row] = O(acc);
  }
}
