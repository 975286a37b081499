// Reduction of x viewed as [outer, inner] over inner, one workgroup per (row, chunk), tree-combined in workgroup memory.
// Workgroup g = row * chunks + chunk reduces x[row, chunk * chunkLen ..< min((chunk + 1) * chunkLen, inner)] into out[g].
// OP: 0 sum, 1 prod, 2 max, 3 min, 4 argMax, 5 argMin (first index on ties). Params: [groups, inner, chunkLen, chunks].
// FLOAT: T is f32, so max/min propagate NaN (tested on the bits: WGSL max/min may drop NaN).
@group(0) @binding(1) var<storage, read_write> out: array<O>;
// rdLoad(i) gives element i of x (appended by the builder: a read of binding 2, or a fused elementwise prologue).

override WG: u32 = 256u;
override OP: u32 = 0u;
override FLOAT: bool = false;
const EMPTY: u32 = 0xffffffffu;

var<workgroup> vals: array<T, WG>;
var<workgroup> idxs: array<u32, WG>;

fn isNan(v: T) -> bool {
  return FLOAT && (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u;
}

// Merges (b, ib) into (a, ia); an index of EMPTY marks "no element yet".
fn merge(a: T, ia: u32, b: T, ib: u32) -> vec2<u32> {
  if (ib == EMPTY) { return vec2<u32>(bitcast<u32>(a), ia); }
  if (ia == EMPTY) { return vec2<u32>(bitcast<u32>(b), ib); }
  var take = false;
  var v = a;
  if ((OP == 2u || OP == 3u) && isNan(a)) { return vec2<u32>(bitcast<u32>(a), ia); }
  switch OP {
    case 0u: { v = a + b; }
    case 1u: { v = a * b; }
    case 2u: { v = select(max(a, b), b, isNan(b)); }
    case 3u: { v = select(min(a, b), b, isNan(b)); }
    case 4u: { take = b > a || (b == a && ib < ia); }
    default: { take = b < a || (b == a && ib < ia); }
  }
  if (take) { return vec2<u32>(bitcast<u32>(b), ib); }
  return vec2<u32>(bitcast<u32>(v), ia);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = wid.y * nwg.x + wid.x;
  let inner = p(1u);
  let chunkLen = p(2u);
  let chunks = p(3u);
  let row = g / chunks;
  let start = (g % chunks) * chunkLen;
  let end = min(start + chunkLen, inner);
  var acc: T = T(0);
  var ai = EMPTY;
  if (g < p(0u)) {
    for (var j = start + lid; j < end; j += WG) {
      let m = merge(acc, ai, rdLoad(row * inner + j), j);
      acc = bitcast<T>(m.x);
      ai = m.y;
    }
  }
  vals[lid] = acc;
  idxs[lid] = ai;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (lid < s) {
      let m = merge(vals[lid], idxs[lid], vals[lid + s], idxs[lid + s]);
      vals[lid] = bitcast<T>(m.x);
      idxs[lid] = m.y;
    }
    workgroupBarrier();
  }
  if (lid == 0u && g < p(0u)) {
    if (OP >= 4u) {
      out[g] = O(select(idxs[0], 0u, idxs[0] == EMPTY));
    } else if (idxs[0] == EMPTY) {
      out[g] = O(select(0, 1, OP == 1u));
    } else {
      out[g] = O(vals[0]);
    }
  }
}
