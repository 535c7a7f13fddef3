#include "fence-wait.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "args.h"
#include "errors.h"
#include "state.h"

namespace vkmap {

// What a wait has come to. kPending while a slice runs; kAgain when a slice timed out before the deadline.
enum class WaitOutcome { kPending, kAgain, kSignaled, kTimeout, kCancelled, kFailed };

struct WaitChain {
  std::vector<VkFence> fences;
  std::vector<uint64_t> values;
  VkBool32 waitAll = 0;
  bool forever = false;  // timeout UINT64_MAX
  std::chrono::steady_clock::time_point deadline;
  Napi::Promise::Deferred deferred;
  std::atomic<bool> cancelled{false};
  // Set by the main thread before a slice is queued, cleared (release) by the slice when it returns. The
  // fields below belong to the slice while it is set, to the main thread otherwise: no lock, no data race.
  std::atomic<bool> running{false};
  WaitOutcome outcome = WaitOutcome::kPending;
  VkResult failure = VK_SUCCESS;
  std::string cancelReason;

  explicit WaitChain(Napi::Env env) : deferred(Napi::Promise::Deferred::New(env)) {}
};

namespace {

using Clock = std::chrono::steady_clock;

class FenceWaitSlice : public Napi::AsyncWorker {
 public:
  FenceWaitSlice(Napi::Env env, std::shared_ptr<FenceWaits> waits, std::shared_ptr<WaitChain> chain)
      : Napi::AsyncWorker(env, "vkmap.waitForFencesAsync"), waits_(std::move(waits)), chain_(std::move(chain)) {}

  void Execute() override { waits_->RunSlice(*chain_); }
  void OnOK() override { waits_->Continue(Env(), chain_); }
  void OnError(const Napi::Error&) override { waits_->Continue(Env(), chain_); }  // Execute never fails

 private:
  std::shared_ptr<FenceWaits> waits_;
  std::shared_ptr<WaitChain> chain_;
};

// Whether JavaScript can still run in this environment: false once its teardown began (worker.terminate(),
// process exit), when calling a function fails before the function is reached.
bool CanRunJavaScript(napi_env env) {
  napi_value function = nullptr;
  napi_value global = nullptr;
  napi_value result = nullptr;
  auto noop = [](napi_env, napi_callback_info) -> napi_value { return nullptr; };
  if (napi_create_function(env, "vkmapProbe", NAPI_AUTO_LENGTH, noop, nullptr, &function) != napi_ok) return false;
  if (napi_get_global(env, &global) != napi_ok) return false;
  return napi_call_function(env, global, function, 0, nullptr, &result) == napi_ok;
}

}  // namespace

Napi::Promise FenceWaits::Start(Napi::Env env, std::vector<VkFence> fences, std::vector<uint64_t> values,
                                bool waitAll, uint64_t timeout) {
  auto chain = std::make_shared<WaitChain>(env);
  chain->fences = std::move(fences);
  chain->values = std::move(values);
  chain->waitAll = waitAll ? 1 : 0;
  const Clock::time_point now = Clock::now();
  // Anything beyond a century is forever; steady_clock would overflow on UINT64_MAX nanoseconds.
  constexpr uint64_t kCentury = 100ULL * 365 * 24 * 3600 * 1000000000ULL;
  chain->forever = timeout >= kCentury;
  if (!chain->forever) chain->deadline = now + std::chrono::nanoseconds(timeout);
  Napi::Promise promise = chain->deferred.Promise();
  chains_.insert(chain);
  try {
    Queue(env, chain);
  } catch (...) {
    chains_.erase(chain);
    throw;
  }
  return promise;
}

void FenceWaits::Queue(Napi::Env env, const std::shared_ptr<WaitChain>& chain) {
  chain->outcome = WaitOutcome::kPending;
  chain->running.store(true);
  try {
    (new FenceWaitSlice(env, shared_from_this(), chain))->Queue();
  } catch (...) {
    chain->running.store(false);
    chain->outcome = WaitOutcome::kFailed;
    chain->failure = VK_ERROR_OUT_OF_HOST_MEMORY;
    throw;
  }
}

void FenceWaits::RunSlice(WaitChain& chain) {
  WaitOutcome outcome = WaitOutcome::kAgain;
  VkResult result = VK_SUCCESS;
  if (!chain.cancelled.load()) {
    uint64_t slice = kWaitSliceNs;
    if (!chain.forever) {
      const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(chain.deadline - Clock::now()).count();
      slice = left <= 0 ? 0 : std::min<uint64_t>(slice, static_cast<uint64_t>(left));
    }
    result = wait_(device_, static_cast<uint32_t>(chain.fences.size()), chain.fences.data(), chain.waitAll, slice);
    if (result == VK_SUCCESS) {
      outcome = WaitOutcome::kSignaled;
    } else if (result == VK_TIMEOUT) {
      outcome = !chain.forever && Clock::now() >= chain.deadline ? WaitOutcome::kTimeout : WaitOutcome::kAgain;
    } else {
      outcome = WaitOutcome::kFailed;
    }
  }
  chain.outcome = outcome;
  chain.failure = result;
  chain.running.store(false, std::memory_order_release);
}

void FenceWaits::Continue(Napi::Env env, const std::shared_ptr<WaitChain>& chain) {
  // Every napi call here reports failure instead of throwing: an exception must not leave a completion
  // callback, and during teardown JavaScript can no longer run.
  if (!CanRunJavaScript(env)) return;  // the environment is going away: no further slice, nothing to settle
  if (chain->outcome == WaitOutcome::kAgain) {
    try {
      Queue(env, chain);
      return;
    } catch (...) {
      // settled below as failed
    }
  }
  Settle(env, chain);
}

void FenceWaits::Settle(Napi::Env env, const std::shared_ptr<WaitChain>& chain) {
  chains_.erase(chain);
  try {
    switch (chain->outcome) {
      case WaitOutcome::kSignaled:
        chain->deferred.Resolve(Napi::Boolean::New(env, true));
        break;
      case WaitOutcome::kTimeout:
        chain->deferred.Resolve(Napi::Boolean::New(env, false));
        break;
      case WaitOutcome::kCancelled:
        chain->deferred.Reject(StateError(env, chain->cancelReason).Value());
        break;
      default:
        chain->deferred.Reject(VkResultError(env, "vkWaitForFences", chain->failure).Value());
        break;
    }
  } catch (...) {
    // The environment stopped between the check and here; nobody can observe the promise any more.
  }
}

void FenceWaits::Cancel(const std::function<bool(const WaitChain&)>& matches, const std::string& reason) {
  std::vector<std::shared_ptr<WaitChain>> hit;
  for (const auto& chain : chains_) {
    if (!matches(*chain)) continue;
    chain->cancelled.store(true);
    hit.push_back(chain);
  }
  if (hit.empty()) return;
  // A slice returns within kWaitSliceNs (at once when it saw the cancellation before starting). Polling
  // keeps std::condition_variable, and the libstdc++ version its symbols need, out of the addon.
  auto running = [](const auto& chain) { return chain->running.load(std::memory_order_acquire); };
  while (std::any_of(hit.begin(), hit.end(), running)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  for (const auto& chain : hit) {
    // A wait between slices (or whose slice saw the cancellation) reports what its fences say now, while
    // they and the device still exist; one that already ended keeps its result.
    if (chain->outcome != WaitOutcome::kAgain && chain->outcome != WaitOutcome::kPending) continue;
    const VkResult now = wait_(device_, static_cast<uint32_t>(chain->fences.size()), chain->fences.data(),
                               chain->waitAll, 0);
    chain->outcome = now == VK_SUCCESS ? WaitOutcome::kSignaled : WaitOutcome::kCancelled;
    chain->cancelReason = reason;
  }
}

void FenceWaits::CancelFence(uint64_t fence, const std::string& reason) {
  Cancel([fence](const WaitChain& chain) { return std::count(chain.values.begin(), chain.values.end(), fence) > 0; },
         reason);
}

void FenceWaits::CancelAll(const std::string& reason) {
  Cancel([](const WaitChain&) { return true; }, reason);
}

Napi::Value WaitForFencesAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeviceState& device = FindDevice(env, ArgUint32(info, 0, "device"));
  std::vector<uint64_t> values = ArgWords(info, 1, "fences");
  const bool waitAll = ArgBool(info, 2, "waitAll");
  const uint64_t timeout = ArgUint64(info, 3, "timeout");
  if (values.empty()) ThrowArgument(env, "fences", "must not be empty");
  std::vector<VkFence> fences;
  for (uint64_t value : values) fences.push_back(FindRecord(env, device.fences, value, "VkFence").handle);
  return device.waits->Start(env, std::move(fences), std::move(values), waitAll, timeout);
}

}  // namespace vkmap
