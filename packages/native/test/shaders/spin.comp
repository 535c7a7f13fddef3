// Keeps the device busy for the native tests that need work still pending (device destroy, process exit):
// each invocation runs push.iterations steps of a linear congruential generator and stores the result.
//   glslangValidator -V --target-env vulkan1.0 spin.comp -o spin.spv && spirv-val spin.spv
#version 450

layout(local_size_x = 64) in;

layout(push_constant) uniform Push {
  uint iterations;
} push;

layout(std430, set = 0, binding = 0) buffer Values {
  uint values[];
};

void main() {
  uint i = gl_GlobalInvocationID.x;
  uint v = values[i];
  for (uint k = 0; k < push.iterations; ++k) v = v * 1664525u + 1013904223u;
  values[i] = v;
}
