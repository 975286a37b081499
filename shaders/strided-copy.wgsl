// Strided gather of 32-bit words: transpose, slice and tile. Output element i at coordinates c reads
// x[offset + sum_d (c_d % wrap_d) * stride_d]. Params: [n, rank, offset, shape[rank], stride[rank], wrap[rank]].
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<storage, read> x: array<u32>;

override WG: u32 = 128u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(0u)) { return; }
  let rank = p(1u);
  var rem = i;
  var src = p(2u);
  for (var d = rank; d > 0u; d--) {
    let dim = p(2u + d);
    let c = rem % dim;
    rem = rem / dim;
    src += (c % p(2u + 2u * rank + d)) * p(2u + rank + d);
  }
  out[i] = x[src];
}
