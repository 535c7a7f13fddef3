#version 450
// C = A * B for row-major float matrices (M x K times K x N), tiled through shared memory with barriers.
layout(local_size_x = 8, local_size_y = 8) in;

layout(set = 0, binding = 0, std430) readonly buffer A { float a[]; };
layout(set = 0, binding = 1, std430) readonly buffer B { float b[]; };
layout(set = 0, binding = 2, std430) writeonly buffer C { float c[]; };
layout(set = 0, binding = 3, std140) uniform Dims { uint M; uint N; uint K; } dims;

shared float tileA[8][8];
shared float tileB[8][8];

void main() {
  uint row = gl_GlobalInvocationID.y;
  uint col = gl_GlobalInvocationID.x;
  uint ly = gl_LocalInvocationID.y;
  uint lx = gl_LocalInvocationID.x;
  float acc = 0.0;
  for (uint t = 0u; t < (dims.K + 7u) / 8u; t++) {
    uint ka = t * 8u + lx;
    uint kb = t * 8u + ly;
    tileA[ly][lx] = (row < dims.M && ka < dims.K) ? a[row * dims.K + ka] : 0.0;
    tileB[ly][lx] = (kb < dims.K && col < dims.N) ? b[kb * dims.N + col] : 0.0;
    barrier();
    for (uint k = 0u; k < 8u; k++) acc += tileA[ly][k] * tileB[k][lx];
    barrier();
  }
  if (row < dims.M && col < dims.N) c[row * dims.N + col] = acc;
}
