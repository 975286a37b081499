// Register-blocked matmul for CPU adapters when K is a multiple of 4: A [M, K] and Bᵀ [N, K] are both read along K as
// vec4, so every invocation streams contiguous rows (no 4 KiB strides through B, which defeat CPU caches), and one index
// (and one bounds clamp) serves four elements. An untransposed B is first transposed in 4 x 4 blocks.

/** WGSL source (without prelude) of the core: each invocation accumulates a TM x TN block of C = A · Bᵀ. */
export function matmulNtSource(tm: number, tn: number): string {
  const rows = [...Array(tm).keys()];
  const cols = [...Array(tn).keys()];
  const L: string[] = [
    '@group(0) @binding(1) var<storage, read_write> out: array<T>;',
    '@group(0) @binding(2) var<storage, read> a: array<vec4<T>>;',
    '@group(0) @binding(3) var<storage, read> b: array<vec4<T>>;',
    'override SPEC_M: u32 = 0u;',
    'override SPEC_N: u32 = 0u;',
    'override SPEC_K: u32 = 0u;',
    '@compute @workgroup_size(8, 8)',
    'fn main(@builtin(global_invocation_id) gid: vec3<u32>) {',
    '  let M = select(p(0u), SPEC_M, SPEC_M > 0u);',
    '  let N = select(p(1u), SPEC_N, SPEC_N > 0u);',
    '  let K4 = select(p(2u), SPEC_K, SPEC_K > 0u) / 4u;',
    `  let row0 = gid.y * ${tm}u;`,
    `  let col0 = gid.x * ${tn}u;`,
    '  if (row0 >= M || col0 >= N) { return; }',
    '  let aBase = gid.z * (p(3u) / 4u);',
    '  let bBase = gid.z * (p(4u) / 4u);',
  ];
  for (const i of rows) L.push(`  let ao${i} = aBase + min(row0 + ${i}u, M - 1u) * K4;`);
  for (const j of cols) L.push(`  let bo${j} = bBase + min(col0 + ${j}u, N - 1u) * K4;`);
  for (const i of rows) for (const j of cols) L.push(`  var c${i}_${j} = T();`);
  L.push('  for (var k = 0u; k < K4; k++) {');
  for (const i of rows) L.push(`    let a${i} = a[ao${i} + k];`);
  for (const j of cols) {
    L.push(`    let b${j} = b[bo${j} + k];`);
    for (const i of rows) L.push(`    c${i}_${j} += dot(a${i}, b${j});`);
  }
  L.push('  }');
  for (const i of rows) {
    L.push(`  if (row0 + ${i}u < M) {`, `    let o${i} = (gid.z * M + row0 + ${i}u) * N + col0;`);
    for (const j of cols) {
      const st = `out[o${i} + ${j}u] = c${i}_${j};`;
      L.push(j === 0 ? `    ${st}` : `    if (col0 + ${j}u < N) { ${st} }`);
    }
    L.push('  }');
  }
  L.push('}');
  return L.join('\n') + '\n';
}

/** WGSL source (without prelude): [batch, K, N] -> [batch, N, K] in 4 x 4 blocks (K and N multiples of 4). */
export const TRANSPOSE4_SOURCE = `@group(0) @binding(1) var<storage, read_write> out: array<vec4<T>>;
@group(0) @binding(2) var<storage, read> x: array<vec4<T>>;
@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let K4 = p(0u) / 4u;
  let N4 = p(1u) / 4u;
  if (gid.x >= N4 || gid.y >= K4) { return; }
  let base = gid.z * K4 * N4 * 4u;
  let i = base + gid.y * 4u * N4 + gid.x;
  let r0 = x[i];
  let r1 = x[i + N4];
  let r2 = x[i + 2u * N4];
  let r3 = x[i + 3u * N4];
  let o = base + gid.x * 4u * K4 + gid.y;
  out[o] = vec4<T>(r0.x, r1.x, r2.x, r3.x);
  out[o + K4] = vec4<T>(r0.y, r1.y, r2.y, r3.y);
  out[o + 2u * K4] = vec4<T>(r0.z, r1.z, r2.z, r3.z);
  out[o + 3u * K4] = vec4<T>(r0.w, r1.w, r2.w, r3.w);
}
`;
