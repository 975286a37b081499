// conv2d input gradient from the column gradient dcol [N*OH*OW, FH*FW*IC] (dy times the transposed filter): each input
// element sums the dcol entries of the taps whose windows reach it, so only real products enter (as in the reference).
// Placed after window.wgsl; V (f32 or vec4<f32>) and VW (1 or 4) declared ahead: VW channels per load. Params word 16:
// the input pixels. UNIT_STRIDE: both strides are 1, so a tap reaches output row h + padTop - fh * dilationH.
@group(0) @binding(1) var<storage, read_write> out: array<V>;
@group(0) @binding(2) var<storage, read> dcol: array<V>;

override UNIT_STRIDE: bool = false;

fn reachedRow(g: Window, h: u32, fh: u32) -> i32 {
  if (!UNIT_STRIDE) { return windowRow(g, h, fh); }
  let t = i32(h) + g.padTop - i32(fh * g.dilationH);
  return select(-1, t, t >= 0 && t < i32(g.outH));
}

fn reachedCol(g: Window, w: u32, fw: u32) -> i32 {
  if (!UNIT_STRIDE) { return windowCol(g, w, fw); }
  let t = i32(w) + g.padLeft - i32(fw * g.dilationW);
  return select(-1, t, t >= 0 && t < i32(g.outW));
}

@compute @workgroup_size(4, 16)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = window();
  // 16 input pixels per workgroup, a quad of lanes walking each pixel's channels (its index math done once).
  let pixel = (wid.y * nwg.x + wid.x) * 16u + lid.y;
  if (pixel >= g.total) { return; }
  let w = pixel % g.inW;
  let h = (pixel / g.inW) % g.inH;
  let n = pixel / (g.inW * g.inH);
  let cv = g.inC / VW;
  let row = g.filterH * g.filterW * cv;
  for (var c = lid.x; c < cv; c += 4u) {
    var s = V(0.0);
    for (var fh = 0u; fh < g.filterH; fh++) {
      let oh = reachedRow(g, h, fh);
      if (oh < 0) { continue; }
      for (var fw = 0u; fw < g.filterW; fw++) {
        let ow = reachedCol(g, w, fw);
        if (ow < 0) { continue; }
        s += dcol[((n * g.outH + u32(oh)) * g.outW + u32(ow)) * row + (fh * g.filterW + fw) * cv + c];
      }
    }
    out[pixel * cv + c] = s;
  }
}
