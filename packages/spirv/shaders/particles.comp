#version 450
// Struct-of-vectors update: each particle (position, velocity as vec4, mass, flags) moves one step under
// gravity and bounces off the floor. Exercises whole-struct loads and stores, vectors and a mat2 rotation.
layout(local_size_x = 64) in;

struct Particle {
  vec4 position;
  vec4 velocity;
  float mass;
  uint flags;
};

layout(set = 0, binding = 0, std430) buffer Particles { Particle particles[]; };
layout(set = 0, binding = 1, std140) uniform Sim { mat2 spin; vec4 gravity; float dt; } sim;

void main() {
  uint i = gl_GlobalInvocationID.x;
  if (i >= particles.length()) return;
  Particle p = particles[i];
  p.velocity += sim.gravity * sim.dt / p.mass;
  p.velocity.xy = sim.spin * p.velocity.xy;
  p.position += p.velocity * sim.dt;
  if (p.position.y < 0.0) {
    p.position.y = -p.position.y;
    p.velocity.y = -p.velocity.y * 0.5;
    p.flags += 1u;
  }
  particles[i] = p;
}
