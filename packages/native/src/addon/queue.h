// Queues and fences (Vulkan "Devices and Queues", "Synchronization"): the queues created with the device,
// vkQueueSubmit, vkQueueWaitIdle, vkDeviceWaitIdle, and fences with a synchronous wait (the asynchronous one
// is in fence-wait.h).
#ifndef VKMAP_QUEUE_H
#define VKMAP_QUEUE_H

#include <napi.h>

namespace vkmap {

// getDeviceQueue(device, queueFamilyIndex, queueIndex) -> bigint: a queue created with the device
Napi::Value GetDeviceQueue(const Napi::CallbackInfo& info);
// queueSubmit(device, queue, submits: BigUint64Array[] (the command buffers of each), fence: bigint | undefined)
Napi::Value QueueSubmit(const Napi::CallbackInfo& info);
// queueWaitIdle(device, queue)
Napi::Value QueueWaitIdle(const Napi::CallbackInfo& info);
// deviceWaitIdle(device)
Napi::Value DeviceWaitIdle(const Napi::CallbackInfo& info);
// createFence(device, signaled: boolean) -> bigint
Napi::Value CreateFence(const Napi::CallbackInfo& info);
// destroyFence(device, fence): ends the async waits on it first (fence-wait.h)
Napi::Value DestroyFence(const Napi::CallbackInfo& info);
// resetFences(device, fences: BigUint64Array)
Napi::Value ResetFences(const Napi::CallbackInfo& info);
// getFenceStatus(device, fence) -> boolean (signaled)
Napi::Value GetFenceStatus(const Napi::CallbackInfo& info);
// waitForFences(device, fences: BigUint64Array, waitAll, timeout: bigint) -> boolean (false on timeout)
Napi::Value WaitForFences(const Napi::CallbackInfo& info);

}  // namespace vkmap

#endif  // VKMAP_QUEUE_H
