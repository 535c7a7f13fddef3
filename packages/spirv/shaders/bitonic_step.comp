#version 450
// One compare-and-swap step of a bitonic sort over signed ints: push constants give the stage (k) and the step (j).
layout(local_size_x = 128) in;

layout(set = 0, binding = 0, std430) buffer Data { int data[]; };
layout(push_constant) uniform Step { uint k; uint j; } step;

void main() {
  uint i = gl_GlobalInvocationID.x;
  uint partner = i ^ step.j;
  if (partner <= i || partner >= data.length()) return;
  bool ascending = (i & step.k) == 0u;
  int a = data[i];
  int b = data[partner];
  if ((a > b) == ascending) {
    data[i] = b;
    data[partner] = a;
  }
}
