import { VkmapArgumentError } from '@vkmap/core';
import type { DeviceProfile } from '../profile.js';
import { amdRadvRx580SmallBar } from './amd.js';
import { appleM1MoltenVk } from './apple.js';
import { intelAnvTigerLake } from './intel.js';
import { armMaliG78, qualcommAdrenoTurnip } from './mobile.js';
import { nvidiaGtx950SmallBar, nvidiaH100, nvidiaRtx3060LaptopReBar } from './nvidia.js';
import { lavapipe, swiftShader } from './software.js';
import { stress } from './stress.js';

export {
  amdRadvRx580SmallBar,
  appleM1MoltenVk,
  armMaliG78,
  intelAnvTigerLake,
  lavapipe,
  nvidiaGtx950SmallBar,
  nvidiaH100,
  nvidiaRtx3060LaptopReBar,
  qualcommAdrenoTurnip,
  stress,
  swiftShader,
};

export const builtInProfiles: readonly DeviceProfile[] = Object.freeze([
  nvidiaGtx950SmallBar,
  nvidiaRtx3060LaptopReBar,
  nvidiaH100,
  amdRadvRx580SmallBar,
  intelAnvTigerLake,
  appleM1MoltenVk,
  qualcommAdrenoTurnip,
  armMaliG78,
  lavapipe,
  swiftShader,
  stress,
]);

/** The built-in profile with this id; throws VkmapArgumentError naming the known ids otherwise. */
export function getBuiltInProfile(id: string): DeviceProfile {
  const profile = builtInProfiles.find((candidate) => candidate.id === id);
  if (profile === undefined) {
    throw new VkmapArgumentError(
      'id',
      `no built-in device profile is called ${JSON.stringify(id)}; known ids: ` +
        `${builtInProfiles.map((candidate) => candidate.id).join(', ')}.`,
    );
  }
  return profile;
}
