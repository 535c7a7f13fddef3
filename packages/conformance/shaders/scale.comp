// The conformance suite's compute shader: values[i] = values[i] * FACTOR + push.addend for i < push.count.
// FACTOR is specialization constant 0 (2 unless specialized: the shader doubles). Workgroups of 64.
// Compiled by scripts/embed-shaders.mjs (Debian's glslangValidator, --target-env vulkan1.0; spirv-val).
#version 450

layout(local_size_x = 64) in;
layout(constant_id = 0) const uint FACTOR = 2;

layout(push_constant) uniform Push {
  uint count;
  uint addend;
} push;

layout(std430, set = 0, binding = 0) buffer Values {
  uint values[];
};

void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i < push.count) values[i] = values[i] * FACTOR + push.addend;
}
