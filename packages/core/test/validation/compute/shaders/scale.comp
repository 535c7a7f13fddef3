#version 450
// The validation tests' dispatch: values[i] = values[i] * factor + push.add for i < push.count.
// Set 0: binding 0 a storage buffer, binding 1 a uniform buffer; push constants: 8 bytes.
layout(local_size_x = 64) in;

layout(set = 0, binding = 0, std430) buffer Data { uint values[]; };
layout(set = 0, binding = 1, std140) uniform Params { uint factor; };
layout(push_constant) uniform Push {
  uint count;
  uint add;
} push;

void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i >= push.count) return;
  values[i] = values[i] * factor + push.add;
}
