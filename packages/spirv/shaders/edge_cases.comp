#version 450
// Probes the cases SPIR-V leaves undefined or implementation-defined (division by zero, shifts by 32 or more,
// out-of-range conversions, NaN and signed zeros, ...): one invocation per (a, b) pair of raw bits writes N results.
// test/lavapipe-golden.test.ts compares them with what lavapipe produced.
layout(local_size_x = 1) in;
layout(set = 0, binding = 0, std430) readonly buffer In { uvec2 pairs[]; };
layout(set = 0, binding = 1, std430) writeonly buffer Out { uint r[]; };
#define N 40
void main() {
  uint i = gl_GlobalInvocationID.x;
  uint a = pairs[i].x, b = pairs[i].y;
  int sa = int(a), sb = int(b);
  float fa = uintBitsToFloat(a), fb = uintBitsToFloat(b);
  uint o = i * N;
  r[o+0] = a / b;
  r[o+1] = uint(sa / sb);
  r[o+2] = a % b;
  r[o+3] = uint(sa % sb);
  r[o+4] = a << b;
  r[o+5] = a >> b;
  r[o+6] = uint(sa >> sb);
  r[o+7] = uint(fa);
  r[o+8] = uint(int(fa));
  r[o+9] = floatBitsToUint(min(fa, fb));
  r[o+10] = floatBitsToUint(max(fa, fb));
  r[o+11] = floatBitsToUint(round(fa));
  r[o+12] = floatBitsToUint(fract(fa));
  r[o+13] = floatBitsToUint(fa / fb);
  r[o+14] = floatBitsToUint(sqrt(fa));
  r[o+15] = floatBitsToUint(fa * fb);
  r[o+16] = floatBitsToUint(inversesqrt(fa));
  r[o+17] = floatBitsToUint(exp(fa));
  r[o+18] = floatBitsToUint(sin(fa));
  r[o+19] = floatBitsToUint(fa - fb);
  r[o+20] = floatBitsToUint(clamp(fa, -1.0, 1.0));
  r[o+21] = floatBitsToUint(sign(fa));
  r[o+22] = floatBitsToUint(floor(fa));
  r[o+23] = floatBitsToUint(mod(fa, fb));
  r[o+24] = floatBitsToUint(float(a));
  r[o+25] = floatBitsToUint(float(sa));
  r[o+26] = bitfieldExtract(a, int(b & 31u), int((b >> 5) & 31u));
  r[o+27] = uint(findMSB(sa));
  r[o+28] = floatBitsToUint(fma(fa, fb, fa));
  r[o+29] = floatBitsToUint(pow(fa, fb));
  r[o+30] = floatBitsToUint(log2(fa));
  r[o+31] = floatBitsToUint(mix(fa, fb, 0.3));
  r[o+32] = packHalf2x16(vec2(fa, fb));
  r[o+33] = floatBitsToUint(unpackHalf2x16(a).x);
  r[o+34] = floatBitsToUint(smoothstep(0.0, 1.0, fa));
  r[o+35] = floatBitsToUint(length(vec2(fa, fb)));
  r[o+36] = floatBitsToUint(normalize(vec2(fa, fb)).x);
  r[o+37] = floatBitsToUint(fa + fb);
  r[o+38] = floatBitsToUint(roundEven(fa));
  r[o+39] = floatBitsToUint(trunc(fa));
}
