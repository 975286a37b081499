// sum-partials.wgsl's store: the plain sum.
fn sumOut(i: u32, s: f32) -> f32 { return s; }
