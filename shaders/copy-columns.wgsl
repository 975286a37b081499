// Concat step: copies x viewed as [outer, width] into columns [col, col + width) of out viewed as [outer, total].
// Params: [n = outer * width, width, total, col].
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<storage, read> x: array<u32>;

override WG: u32 = 128u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(0u)) { return; }
  let width = p(1u);
  let row = i / width;
  out[row * p(2u) + p(3u) + i % width] = x[i];
}
