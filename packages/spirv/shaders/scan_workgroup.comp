#version 450
// Inclusive prefix sum of u32 values within each workgroup of 256 (Hillis-Steele in shared memory, with
// barriers). Writes the scanned values in place and each workgroup's total to sums[workgroup].
layout(local_size_x = 256) in;

layout(set = 0, binding = 0, std430) buffer Data { uint data[]; };
layout(set = 0, binding = 1, std430) writeonly buffer Sums { uint sums[]; };

shared uint temp[2][256];

void main() {
  uint lid = gl_LocalInvocationID.x;
  uint gid = gl_GlobalInvocationID.x;
  uint n = data.length();
  temp[0][lid] = gid < n ? data[gid] : 0u;
  barrier();
  uint from = 0u;
  for (uint offset = 1u; offset < 256u; offset <<= 1) {
    uint to = 1u - from;
    uint value = temp[from][lid];
    if (lid >= offset) value += temp[from][lid - offset];
    temp[to][lid] = value;
    from = to;
    barrier();
  }
  if (gid < n) data[gid] = temp[from][lid];
  if (lid == 255u) sums[gl_WorkGroupID.x] = temp[from][lid];
}
