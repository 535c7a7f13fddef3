#version 450
// Specialization constants: the local size, a multiplier, an offset and a flag choose what the shader computes.
layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint MULTIPLIER = 3u;
layout(constant_id = 2) const int OFFSET = -7;
layout(constant_id = 3) const bool NEGATE = false;
layout(constant_id = 4) const float SCALE = 0.5;
const uint DOUBLED = MULTIPLIER * 2u;

layout(set = 0, binding = 0, std430) readonly buffer In { int values[]; };
layout(set = 0, binding = 1, std430) writeonly buffer Ints { int ints[]; };
layout(set = 0, binding = 2, std430) writeonly buffer Floats { float floats[]; };

void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i >= values.length()) return;
  int v = values[i] * int(DOUBLED) + OFFSET;
  ints[i] = NEGATE ? -v : v;
  floats[i] = float(values[i]) * SCALE;
}
