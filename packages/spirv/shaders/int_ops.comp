#version 450
// Integer arithmetic, bit operations and conversions on pairs of values: each invocation writes 24 results.
layout(local_size_x = 32) in;

layout(set = 0, binding = 0, std430) readonly buffer In { ivec2 pairs[]; };
layout(set = 0, binding = 1, std430) writeonly buffer Out { uint results[]; };

void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i >= pairs.length()) return;
  int a = pairs[i].x;
  int b = pairs[i].y;
  uint ua = uint(a);
  uint ub = uint(b);
  uint base = i * 24u;
  results[base + 0u] = uint(a + b);
  results[base + 1u] = uint(a - b);
  results[base + 2u] = uint(a * b);
  results[base + 3u] = b != 0 ? uint(a / b) : 0u;
  results[base + 4u] = ub != 0u ? ua / ub : 0u;
  // % is OpSMod; lavapipe computes it as OpSRem, so only operands of one sign (where the two agree) are portable.
  results[base + 5u] = (b != 0 && (a ^ b) >= 0) ? uint(a % b) : 0u;
  results[base + 6u] = ub != 0u ? ua % ub : 0u;
  results[base + 7u] = ua << (ub & 31u);
  results[base + 8u] = ua >> (ub & 31u);
  results[base + 9u] = uint(a >> (b & 31));
  results[base + 10u] = ua & ub;
  results[base + 11u] = ua | ub;
  results[base + 12u] = ua ^ ub;
  results[base + 13u] = ~ua;
  results[base + 14u] = uint(findMSB(a));
  results[base + 15u] = uint(findLSB(ua));
  results[base + 16u] = uint(bitCount(ua));
  results[base + 17u] = bitfieldReverse(ua);
  results[base + 18u] = bitfieldExtract(ua, int(ub & 15u), 8);
  results[base + 19u] = uint(bitfieldExtract(a, 4, int(ub & 15u)));
  results[base + 20u] = uint(min(a, b)) + uint(max(a, b)) * 3u;
  results[base + 21u] = min(ua, ub) ^ max(ua, ub);
  results[base + 22u] = uint(abs(a)) + uint(sign(b));
  results[base + 23u] = uint(clamp(a, -100, 100)) + clamp(ub, 10u, 1000u);
}
