#version 450
// Second pass of a multi-pass scan: adds the scanned total of all previous workgroups to each element.
layout(local_size_x = 256) in;

layout(set = 0, binding = 0, std430) buffer Data { uint data[]; };
layout(set = 0, binding = 1, std430) readonly buffer Sums { uint sums[]; };

void main() {
  uint gid = gl_GlobalInvocationID.x;
  uint group = gl_WorkGroupID.x;
  if (group == 0u || gid >= data.length()) return;
  data[gid] += sums[group - 1u];
}
