// Compiled with naga (naga-wasm): vector math on a struct array, arrayLength, select, and a loop.
struct Item {
  a: vec4<f32>,
  b: vec4<f32>,
}

@group(0) @binding(0) var<storage, read> items: array<Item>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;

fn weight(v: vec4<f32>, n: u32) -> f32 {
  var w = 0.0;
  for (var k = 0u; k < n; k = k + 1u) {
    w = w + v[k] * f32(k + 1u);
  }
  return w;
}

@compute @workgroup_size(32)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= arrayLength(&out) || i >= arrayLength(&items)) {
    return;
  }
  let item = items[i];
  let d = dot(item.a, item.b);
  let m = max(item.a, item.b) - min(item.a, item.b);
  let w = weight(item.a, 4u);
  let s = select(vec4<f32>(d), m * w, d > 0.0);
  out[i] = clamp(s, vec4<f32>(-100.0), vec4<f32>(100.0)) + floor(item.b);
}
