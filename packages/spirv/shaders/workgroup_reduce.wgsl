// Compiled with naga (naga-wasm): a tree reduction in workgroup memory with workgroupBarrier, a switch, and
// atomics on a storage buffer (naga zero-initializes workgroup memory itself).
@group(0) @binding(0) var<storage, read> values: array<u32>;
@group(0) @binding(1) var<storage, read_write> totals: array<atomic<u32>, 4>;

var<workgroup> partial: array<u32, 64>;

fn classify(v: u32) -> u32 {
  switch v % 3u {
    case 0u: { return 0u; }
    case 1u, 2u: { return v & 1u; }
    default: { return 3u; }
  }
}

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(global_invocation_id) gid: vec3<u32>) {
  var v = 0u;
  if (gid.x < arrayLength(&values)) {
    v = values[gid.x];
    atomicAdd(&totals[1u + classify(v)], 1u);
  }
  partial[lid] = v;
  workgroupBarrier();
  var stride = 32u;
  loop {
    if (stride == 0u) { break; }
    if (lid < stride) {
      partial[lid] = partial[lid] + partial[lid + stride];
    }
    workgroupBarrier();
    continuing {
      stride = stride >> 1u;
    }
  }
  if (lid == 0u) {
    atomicAdd(&totals[0], partial[0]);
  }
}
