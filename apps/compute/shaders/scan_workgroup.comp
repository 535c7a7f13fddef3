#version 450
// Prefix sum, pass 1 of a level: the inclusive scan of each workgroup's values (Hillis-Steele in workgroup
// memory, with barriers), written to dst, and each workgroup's total to sums[groupBase + workgroup].
//
// The workgroup size is specialization constant 0 (default 256; the host lowers it to what the device allows).
// One dispatch covers pc.count values of the bound ranges; its workgroups are numbered from pc.groupBase in the
// level, so a level larger than one dispatch may take (maxComputeWorkGroupCount, maxStorageBufferRange) is
// dispatched in segments. src and dst may be the same range: each invocation reads its own value before any
// invocation writes, and writes only its own.
layout(local_size_x_id = 0) in;

layout(set = 0, binding = 0, std430) readonly buffer Src { uint values[]; } src;
layout(set = 0, binding = 1, std430) writeonly buffer Dst { uint values[]; } dst;
layout(set = 0, binding = 2, std430) writeonly buffer Sums { uint sums[]; };
layout(push_constant) uniform Segment {
  uint groupBase;
  uint count;
} pc;

shared uint temp[2][gl_WorkGroupSize.x];

void main() {
  uint lid = gl_LocalInvocationID.x;
  uint gid = gl_GlobalInvocationID.x;
  temp[0][lid] = gid < pc.count ? src.values[gid] : 0u;
  barrier();
  uint from = 0u;
  for (uint offset = 1u; offset < gl_WorkGroupSize.x; offset <<= 1) {
    uint to = 1u - from;
    uint value = temp[from][lid];
    if (lid >= offset) value += temp[from][lid - offset];
    temp[to][lid] = value;
    from = to;
    barrier();
  }
  if (gid < pc.count) dst.values[gid] = temp[from][lid];
  if (lid == gl_WorkGroupSize.x - 1u) sums[pc.groupBase + gl_WorkGroupID.x] = temp[from][lid];
}
