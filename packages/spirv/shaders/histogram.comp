#version 450
// 64-bin histogram of u32 values (bin = value % 64 after mixing), counted in shared memory per workgroup
// and merged into the global histogram with atomics.
layout(local_size_x = 64) in;

layout(set = 0, binding = 0, std430) readonly buffer Input { uint values[]; };
layout(set = 0, binding = 1, std430) buffer Histogram { uint bins[64]; };

shared uint local_bins[64];

uint mix_bits(uint v) {
  v ^= v >> 16;
  v *= 0x7feb352du;
  v ^= v >> 15;
  return v;
}

void main() {
  uint lid = gl_LocalInvocationID.x;
  local_bins[lid] = 0u;
  barrier();
  for (uint i = gl_GlobalInvocationID.x; i < values.length(); i += gl_NumWorkGroups.x * 64u) {
    atomicAdd(local_bins[mix_bits(values[i]) & 63u], 1u);
  }
  barrier();
  if (local_bins[lid] != 0u) atomicAdd(bins[lid], local_bins[lid]);
}
