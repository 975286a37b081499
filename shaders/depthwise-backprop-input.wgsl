// Gradient of depthwise conv2d w.r.t. its input, one invocation per input element (n, h, w, c):
// dx = sum over taps (fh, fw) reaching an output pixel (oh, ow) and multipliers m of dy[n, oh, ow, c * M + m] * w[fh, fw, c, m].
// Placed after window.wgsl.
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> w: array<f32>;

override WG: u32 = 128u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = window();
  let i = flatIndex(wid, nwg, lid, WG);
  if (i >= g.total) { return; }
  let M = g.multiplier;
  let c = i % g.inC;
  let iw = (i / g.inC) % g.inW;
  let ih = (i / (g.inC * g.inW)) % g.inH;
  let n = i / (g.inC * g.inW * g.inH);
  var acc = 0.0;
  for (var fh = 0u; fh < g.filterH; fh++) {
    let oh = windowRow(g, ih, fh);
    if (oh < 0) { continue; }
    for (var fw = 0u; fw < g.filterW; fw++) {
      let ow = windowCol(g, iw, fw);
      if (ow < 0) { continue; }
      let dyBase = nhwc(n, u32(oh), u32(ow), c * M, g.outH, g.outW, g.outC);
      let wBase = (fh * g.filterW + fw) * g.outC + c * M;
      for (var m = 0u; m < M; m++) {
        acc += dy[dyBase + m] * w[wBase + m];
      }
    }
  }
  out[i] = acc;
}
