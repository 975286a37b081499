// Constant padding of 32-bit words. Params: [n, rank, value bits, outShape[rank], before[rank], inShape[rank]].
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<storage, read> x: array<u32>;

override WG: u32 = 128u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(0u)) { return; }
  let rank = p(1u);
  var rem = i;
  var src = 0u;
  var scale = 1u;
  var inside = true;
  for (var d = rank; d > 0u; d--) {
    let c = rem % p(2u + d);
    rem = rem / p(2u + d);
    let inDim = p(2u + 2u * rank + d);
    // c - before, as unsigned: wraps to a huge value below the start.
    let ic = c - p(2u + rank + d);
    inside = inside && ic < inDim;
    src += ic * scale;
    scale *= inDim;
  }
  out[i] = select(p(2u), x[src], inside);
}
