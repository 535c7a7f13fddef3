// vkCreateDevice (with the queues asked for) / vkDestroyDevice and the device-level entry points
// (vkGetDeviceProcAddr).
#ifndef VKMAP_DEVICE_H
#define VKMAP_DEVICE_H

#include <napi.h>

namespace vkmap {

// createDevice(instanceId, physicalIndex, apiVersion, extensions: string[],
//              placed: { memoryMapPlaced, memoryMapRangePlaced, memoryUnmapReserve } | undefined,
//              queues: { queueFamilyIndex, priorities: number[] }[] | undefined)
//   -> { id, driverCommands: { [name]: boolean } }
Napi::Value CreateDevice(const Napi::CallbackInfo& info);
// destroyDevice(id): waits for the device to go idle, ends its async fence waits, destroys what is left
// (unmapping memory first, detaching views) and destroys the device.
Napi::Value DestroyDevice(const Napi::CallbackInfo& info);

}  // namespace vkmap

#endif  // VKMAP_DEVICE_H
