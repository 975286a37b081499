// Device-side index check: records the first index outside [lo, hi) in slot `slot` of the assert buffer.
// Params: [n, lo, hi, slot]. The assert buffer holds 4 words per slot: [hit, index, lo, hi].
@group(0) @binding(1) var<storage, read> indices: array<i32>;
@group(0) @binding(2) var<storage, read_write> asserts: array<atomic<u32>>;

override WG: u32 = 128u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= p(0u)) { return; }
  let v = indices[i];
  let lo = pi(1u);
  let hi = pi(2u);
  if (v >= lo && v < hi) { return; }
  let base = p(3u) * 4u;
  // Only the first invocation to find a bad index (in any dispatch since the last readback) records it.
  if (atomicCompareExchangeWeak(&asserts[base], 0u, 1u).exchanged) {
    atomicStore(&asserts[base + 1u], bitcast<u32>(v));
    atomicStore(&asserts[base + 2u], bitcast<u32>(lo));
    atomicStore(&asserts[base + 3u], bitcast<u32>(hi));
  }
}
