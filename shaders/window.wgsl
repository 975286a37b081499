// Window fragment for the direct pooling and depthwise kernels (no entry point): the geometry words by name, and the
// mapping between output pixels and the input rows/columns of their window taps, in both directions.
// Params (convParams order, then two words): [N, H, W, IC, OH, OW, OC, FH, FW, strideH, strideW, dilationH,
// dilationW, padTop, padLeft, channelMultiplier, total, -Infinity bits (pool only)].
struct Window {
  batch: u32,
  inH: u32,
  inW: u32,
  inC: u32,
  outH: u32,
  outW: u32,
  outC: u32,
  filterH: u32,
  filterW: u32,
  strideH: u32,
  strideW: u32,
  dilationH: u32,
  dilationW: u32,
  padTop: i32,
  padLeft: i32,
  multiplier: u32,
  total: u32,
}

fn window() -> Window {
  return Window(p(0u), p(1u), p(2u), p(3u), p(4u), p(5u), p(6u), p(7u), p(8u), p(9u), p(10u), p(11u), p(12u),
    pi(13u), pi(14u), p(15u), p(16u));
}

// Input row of tap fh in the window of output row oh; negative or >= inH when the tap falls in the padding.
fn tapRow(g: Window, oh: u32, fh: u32) -> i32 {
  return i32(oh * g.strideH + fh * g.dilationH) - g.padTop;
}

fn tapCol(g: Window, ow: u32, fw: u32) -> i32 {
  return i32(ow * g.strideW + fw * g.dilationW) - g.padLeft;
}

fn rowInside(g: Window, ih: i32) -> bool {
  return ih >= 0 && u32(ih) < g.inH;
}

fn colInside(g: Window, iw: i32) -> bool {
  return iw >= 0 && u32(iw) < g.inW;
}

// Output row whose window reaches input row ih through tap fh, or -1 when none does.
fn windowRow(g: Window, ih: u32, fh: u32) -> i32 {
  let t = i32(ih) + g.padTop - i32(fh * g.dilationH);
  let s = i32(g.strideH);
  if (t < 0 || t % s != 0 || u32(t / s) >= g.outH) { return -1; }
  return t / s;
}

fn windowCol(g: Window, iw: u32, fw: u32) -> i32 {
  let t = i32(iw) + g.padLeft - i32(fw * g.dilationW);
  let s = i32(g.strideW);
  if (t < 0 || t % s != 0 || u32(t / s) >= g.outW) { return -1; }
  return t / s;
}

// Flat index of element (n, h, w, c) of an NHWC tensor of height h and width w with cs channels.
fn nhwc(n: u32, h: u32, w: u32, c: u32, height: u32, width: u32, cs: u32) -> u32 {
  return ((n * height + h) * width + w) * cs + c;
}

// Invocation index of a 1-D grid folded into (x, y) workgroups of wg invocations.
fn flatIndex(wid: vec3<u32>, nwg: vec3<u32>, lid: u32, wg: u32) -> u32 {
  return (wid.y * nwg.x + wid.x) * wg + lid;
}

// x's offset of tap (0, 0) of invocation i's window (one invocation per output pixel and group of the cv channel
// groups), for windows whose taps all lie inside the input (pool-inside.wgsl's family).
fn insideBase(g: Window, i: u32, cv: u32) -> u32 {
  let pix = i / cv;
  let ow = pix % g.outW;
  let oh = (pix / g.outW) % g.outH;
  let n = pix / (g.outW * g.outH);
  return ((n * g.inH + u32(tapRow(g, oh, 0u))) * g.inW + u32(tapCol(g, ow, 0u))) * cv + i % cv;
}
