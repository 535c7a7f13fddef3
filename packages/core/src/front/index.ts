export { FrontInstance } from './instance.js';
export { FrontPhysicalDevice, type PhysicalDeviceParent } from './physical-device.js';
export { FrontDevice, type FrontDeviceInit } from './device.js';
export { FrontHostAddressRange } from './host-address-range.js';
export {
  HandleTable,
  HandleRegistry,
  captureFacts,
  type DeviceFacts,
  type MemoryRecord,
  type MemoryProblem,
} from '../handle-table.js';
export {
  snapshotAllocateInfo,
  snapshotMapInfo,
  snapshotUnmapInfo,
  snapshotRanges,
  snapshotHandle,
  snapshotDeviceCreateInfo,
} from '../snapshot.js';
export { argumentOf, misuseOf } from './misuse.js';
