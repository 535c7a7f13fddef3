// The native compute tests' shader: values[i] = values[i] * FACTOR + push.addend + params.addend for
// i < push.count. FACTOR is specialization constant 1 (2 unless specialized: the shader doubles), the
// workgroup size specialization constant 0 (64). Compiled with Debian's glslang:
//   glslangValidator -V --target-env vulkan1.0 double.comp -o double.spv && spirv-val double.spv
#version 450

layout(local_size_x = 64, local_size_x_id = 0) in;
layout(constant_id = 1) const uint FACTOR = 2;

layout(push_constant) uniform Push {
  uint count;
  uint addend;
} push;

layout(std430, set = 0, binding = 0) buffer Values {
  uint values[];
};

layout(std140, set = 0, binding = 1) uniform Params {
  uint addend;
} params;

void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i < push.count) values[i] = values[i] * FACTOR + push.addend + params.addend;
}
