export { createEmulatedInstance, EmulatedInstance, type EmulatedInstanceOptions } from './instance.js';
export { EmulatedPhysicalDevice, describeProfile, type EmulatedDeviceCreateInfo } from './physical-device.js';
export { EmulatedDevice } from './device.js';
export { EmulatedAddressReservation } from './address-reservation.js';
export type { ComputeKernel, KernelDispatch, ShaderExecutor } from './compute/shader-executor.js';
export {
  FaultInjector,
  type FaultTarget,
  type FaultableCommand,
  type NthCallFault,
  type RandomFault,
} from './fault-injector.js';
export { HostAddressSpace, type AddressRun, type RunState, type PlaceResult } from './host-address-space.js';
export type * from './profile.js';
export * from './profiles/index.js';
export { validateProfile, profileProblems } from './validate-profile.js';
