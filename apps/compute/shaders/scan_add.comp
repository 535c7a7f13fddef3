#version 450
// Prefix sum, pass 2 of a level: adds the scanned total of all earlier workgroups of the level to each value
// (sums holds the inclusive scan of the workgroup totals that pass 1 wrote). Same workgroup size, push
// constants and bindings as scan_workgroup.comp (binding 0 unused), so one descriptor set serves both passes.
layout(local_size_x_id = 0) in;

layout(set = 0, binding = 1, std430) buffer Data { uint values[]; } data;
layout(set = 0, binding = 2, std430) readonly buffer Sums { uint sums[]; };
layout(push_constant) uniform Segment {
  uint groupBase;
  uint count;
} pc;

void main() {
  uint group = pc.groupBase + gl_WorkGroupID.x;
  uint gid = gl_GlobalInvocationID.x;
  if (group == 0u || gid >= pc.count) return;
  data.values[gid] += sums[group - 1u];
}
