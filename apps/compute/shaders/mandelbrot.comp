#version 450
// Escape-time Mandelbrot: the iteration count of each pixel of a width x height grid whose pixel (x, y) is the
// point origin + (x, y) * step. The arithmetic is `precise` (no fused multiply-add, no reordering), so every
// conforming device computes the same counts, pixel for pixel. 8 x 8 workgroups: 64 invocations fit every device.
layout(local_size_x = 8, local_size_y = 8) in;

layout(set = 0, binding = 0, std430) writeonly buffer Out { uint iterations[]; };
layout(set = 0, binding = 1, std140) uniform View {
  vec2 origin;
  vec2 step;
  uint width;
  uint height;
  uint maxIterations;
} view;

void main() {
  uvec2 p = gl_GlobalInvocationID.xy;
  if (p.x >= view.width || p.y >= view.height) return;
  precise vec2 c = view.origin + vec2(p) * view.step;
  precise vec2 z = vec2(0.0);
  uint i = 0u;
  while (i < view.maxIterations) {
    precise float x2 = z.x * z.x;
    precise float y2 = z.y * z.y;
    if (x2 + y2 > 4.0) break;
    precise float xy = z.x * z.y;
    z = vec2(x2 - y2 + c.x, xy + xy + c.y);
    i++;
  }
  iterations[p.y * view.width + p.x] = i;
}
