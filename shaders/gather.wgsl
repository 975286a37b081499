// Gather along a middle axis: x as [outer, n, inner], indices [k] -> out [outer, k, inner].
// Out-of-range indices read 0 (core validates indices it knows on the host). Params: [total, k, inner, n].
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<storage, read> x: array<u32>;
@group(0) @binding(3) var<storage, read> indices: array<i32>;

override WG: u32 = 128u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(0u)) { return; }
  let k = p(1u);
  let inner = p(2u);
  let n = p(3u);
  let e = i % inner;
  let j = (i / inner) % k;
  let o = i / (inner * k);
  let src = indices[j];
  if (src < 0 || u32(src) >= n) {
    out[i] = 0u;
    return;
  }
  out[i] = x[(o * n + u32(src)) * inner + e];
}
