/**
 * @vkmap/native: the vkmap backend contract over a real Vulkan driver, through a Node-API addon that opens
 * the system's Vulkan loader at run time.
 */
export {
  createNativeInstance,
  NativeInstance,
  NATIVE_MAX_API_VERSION,
  type NativeInstanceOptions,
} from './instance.js';
export { isNativeAvailable, type NativeAvailability } from './availability.js';
export { NativePhysicalDevice } from './physical-device.js';
export { NativeDevice } from './device.js';
export { NativeAddressRange } from './address-range.js';
export { NativeUnavailableError } from './errors.js';
