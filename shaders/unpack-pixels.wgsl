// Unpacks RGBA8 texels copied from a texture (rows padded to 256 bytes) into int32 [H, W, C] values 0..255.
// Params: [H, W, C, rowWords, total].
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
@group(0) @binding(2) var<storage, read> texels: array<u32>;

override WG: u32 = 128u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(4u)) { return; }
  let C = p(2u);
  let k = i % C;
  let px = i / C;
  let x = px % p(1u);
  let y = px / p(1u);
  let word = texels[y * p(3u) + x];
  out[i] = i32((word >> (8u * k)) & 255u);
}
