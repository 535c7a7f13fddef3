#version 450
// A shader that declares an array of two storage blocks at set 0 binding 0 (for the descriptor-count rule).
layout(local_size_x = 1) in;

layout(set = 0, binding = 0, std430) buffer Pair { uint value; } pair[2];

void main() {
  pair[1].value = pair[0].value;
}
