import { describe, expect, it } from 'vitest';
import { availability, required, skipNote } from './helpers.js';

describe('native availability', () => {
  it.skipIf(!availability.available && !required)(
    `loads the addon, the Vulkan loader and a device${required ? '' : skipNote}`,
    () => {
      // With VKMAP_REQUIRE_NATIVE=1 a missing backend fails here instead of skipping everything quietly.
      expect(availability.reason, 'the native backend must load when VKMAP_REQUIRE_NATIVE=1').toBeUndefined();
      expect(availability.available).toBe(true);
    },
  );

  it('gives a reason whenever it is unavailable', () => {
    if (!availability.available) expect(availability.reason).toMatch(/\w/);
    else expect(availability.reason).toBeUndefined();
  });
});
