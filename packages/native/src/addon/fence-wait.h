// waitForFencesAsync: vkWaitForFences on Node's thread pool, returning a Promise, so the event loop never
// blocks. The wait runs in slices of at most kWaitSliceNs, each a Napi::AsyncWorker, the next queued from the
// main thread when the last one timed out. So that:
// - destroying the fence or the device never pulls a VkFence or VkDevice from under a thread: both first
//   cancel the waits on them and block until each one's current slice has returned (Cancel below); a
//   cancelled wait resolves true when its fences were signaled by then, else it rejects with a state error;
// - an environment's teardown (process exit, worker.terminate()) never hangs: Node waits for the thread pool
//   work an environment started before it runs any cleanup hook, and a slice always ends; once JavaScript
//   can no longer run, no further slice is queued.
// A wait keeps the event loop alive, like a timer, until it settles.
#ifndef VKMAP_FENCE_WAIT_H
#define VKMAP_FENCE_WAIT_H

#include <napi.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "vk_minimal.h"

namespace vkmap {

constexpr uint64_t kWaitSliceNs = 20 * 1000 * 1000;

struct WaitChain;

// The async waits of one device, shared with its workers so that it outlives the device's record.
class FenceWaits : public std::enable_shared_from_this<FenceWaits> {
 public:
  FenceWaits(VkDevice device, PFN_vkWaitForFences wait) : device_(device), wait_(wait) {}

  // waitForFencesAsync(fences, waitAll, timeout): the promise.
  Napi::Promise Start(Napi::Env env, std::vector<VkFence> fences, std::vector<uint64_t> values, bool waitAll,
                      uint64_t timeout);

  // Ends the waits that `matches` (every wait, or those on one fence) before their fence or device goes:
  // blocks until no slice of theirs runs, then settles what each will report. `reason` says why, for the
  // rejection. Main thread only.
  void Cancel(const std::function<bool(const WaitChain&)>& matches, const std::string& reason);
  void CancelFence(uint64_t fence, const std::string& reason);
  void CancelAll(const std::string& reason);

  // For the workers (fence-wait.cc): one slice on the thread pool, then what follows on the main thread.
  void RunSlice(WaitChain& chain);
  void Continue(Napi::Env env, const std::shared_ptr<WaitChain>& chain);

 private:
  void Queue(Napi::Env env, const std::shared_ptr<WaitChain>& chain);
  void Settle(Napi::Env env, const std::shared_ptr<WaitChain>& chain);

  VkDevice device_;
  PFN_vkWaitForFences wait_;
  std::set<std::shared_ptr<WaitChain>> chains_;  // unsettled waits; main thread only
};

// waitForFencesAsync(device, fences: BigUint64Array, waitAll: boolean, timeout: bigint) -> Promise<boolean>
Napi::Value WaitForFencesAsync(const Napi::CallbackInfo& info);

}  // namespace vkmap

#endif  // VKMAP_FENCE_WAIT_H
