#version 450
// Sum of a u32 array: each workgroup adds its values into shared memory with atomics, then one invocation adds
// the workgroup's total to the result with a storage-buffer atomic. Also tracks the minimum and maximum.
layout(local_size_x = 128) in;

layout(set = 0, binding = 0, std430) readonly buffer Input { uint values[]; };
layout(set = 0, binding = 1, std430) buffer Result {
  uint sum;
  uint minimum;
  uint maximum;
  uint count;
};

shared uint partialSum;
shared uint partialMin;
shared uint partialMax;

void main() {
  if (gl_LocalInvocationIndex == 0) {
    partialSum = 0u;
    partialMin = 0xffffffffu;
    partialMax = 0u;
  }
  barrier();
  uint i = gl_GlobalInvocationID.x;
  if (i < values.length()) {
    uint v = values[i];
    atomicAdd(partialSum, v);
    atomicMin(partialMin, v);
    atomicMax(partialMax, v);
    atomicAdd(count, 1u);
  }
  barrier();
  if (gl_LocalInvocationIndex == 0) {
    atomicAdd(sum, partialSum);
    atomicMin(minimum, partialMin);
    atomicMax(maximum, partialMax);
  }
}
