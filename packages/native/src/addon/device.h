// vkCreateDevice / vkDestroyDevice and the device-level entry points (vkGetDeviceProcAddr).
#ifndef VKMAP_DEVICE_H
#define VKMAP_DEVICE_H

#include <napi.h>

namespace vkmap {

// createDevice(instanceId, physicalIndex, apiVersion, extensions: string[],
//              placed: { memoryMapPlaced, memoryMapRangePlaced, memoryUnmapReserve } | undefined)
//   -> { id, driverCommands: { [name]: boolean } }
Napi::Value CreateDevice(const Napi::CallbackInfo& info);
// destroyDevice(id): frees what is left (unmapping first, detaching views) and destroys the device.
Napi::Value DestroyDevice(const Napi::CallbackInfo& info);

}  // namespace vkmap

#endif  // VKMAP_DEVICE_H
