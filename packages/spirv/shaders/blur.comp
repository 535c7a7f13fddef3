#version 450
// 3x3 weighted blur of a float image (clamp to edge), weights 1-2-1 / 16.
layout(local_size_x = 8, local_size_y = 8) in;

layout(set = 0, binding = 0, std430) readonly buffer Src { float src[]; };
layout(set = 0, binding = 1, std430) writeonly buffer Dst { float dst[]; };
layout(push_constant) uniform Size { int width; int height; } size;

float at(int x, int y) {
  x = clamp(x, 0, size.width - 1);
  y = clamp(y, 0, size.height - 1);
  return src[y * size.width + x];
}

void main() {
  ivec2 p = ivec2(gl_GlobalInvocationID.xy);
  if (p.x >= size.width || p.y >= size.height) return;
  const float w[3] = float[3](1.0, 2.0, 1.0);
  float sum = 0.0;
  for (int dy = -1; dy <= 1; dy++) {
    for (int dx = -1; dx <= 1; dx++) {
      sum += w[dx + 1] * w[dy + 1] * at(p.x + dx, p.y + dy);
    }
  }
  dst[p.y * size.width + p.x] = sum / 16.0;
}
