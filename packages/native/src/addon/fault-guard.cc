#include "fault-guard.h"

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>

namespace vkmap::fault_guard {
namespace {

// Every mapped memory object of a device with placed windows holds one, as does each window whose views
// are still alive; beyond this many the windows are simply not guarded.
constexpr int kSlots = 8192;

struct Slot {
  std::atomic<uintptr_t> base{0};
  std::atomic<size_t> length{0};
  std::atomic<uint32_t> state{static_cast<uint32_t>(WindowState::kFree)};
  // Handlers working in the window now; a change waits for them to leave (the two sides' seq_cst
  // store-then-load makes sure one of them sees the other).
  std::atomic<uint32_t> handlers{0};
};

Slot slots[kSlots];
std::mutex registration;  // Register and Unregister only; the handler never takes it
struct sigaction previous;
std::once_flag installed;
uintptr_t pageSize = 4096;  // read once at install: sysconf is not on the list of async-signal-safe calls

constexpr uint32_t Raw(WindowState state) { return static_cast<uint32_t>(state); }

void Forward(int signal, siginfo_t* info, void* context) {
  if ((previous.sa_flags & SA_SIGINFO) != 0 && previous.sa_sigaction != nullptr) {
    previous.sa_sigaction(signal, info, context);
  } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN && previous.sa_handler != nullptr) {
    previous.sa_handler(signal);
  } else {
    // The default action: returning re-runs the faulting access, which now ends the process as it would
    // have without this handler.
    struct sigaction fallback {};
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(signal, &fallback, nullptr);
    if (info->si_code <= 0) raise(signal);  // sent, not a fault: it would not come again by itself
  }
}

// Whether the fault at `address` lay in a guarded window and the access may now be retried.
bool Settle(uintptr_t address) {
  for (Slot& slot : slots) {
    if (slot.state.load() == Raw(WindowState::kFree)) continue;
    const uintptr_t base = slot.base.load();
    if (address < base || address - base >= slot.length.load()) continue;
    for (;;) {
      slot.handlers.fetch_add(1);
      const uint32_t state = slot.state.load();
      if (state == Raw(WindowState::kScratch)) {
        void* at = reinterpret_cast<void*>(address - address % pageSize);
        const bool mapped = mmap(at, pageSize, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                                 -1, 0) != MAP_FAILED;
        slot.handlers.fetch_sub(1);
        return mapped;
      }
      slot.handlers.fetch_sub(1);
      if (state == Raw(WindowState::kPlaced)) return true;  // the change that faulted us is over
      if (state != Raw(WindowState::kChanging)) return false;  // unregistered meanwhile: not ours any more
      sched_yield();
    }
  }
  return false;
}

void OnFault(int signal, siginfo_t* info, void* context) {
  const int savedErrno = errno;
  const bool settled = Settle(reinterpret_cast<uintptr_t>(info->si_addr));
  errno = savedErrno;
  if (!settled) Forward(signal, info, context);
}

void Install() {
  pageSize = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  struct sigaction action {};
  action.sa_sigaction = OnFault;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  sigaction(SIGSEGV, &action, &previous);
}

}  // namespace

int Register(uintptr_t base, size_t length) {
  std::call_once(installed, Install);
  std::lock_guard<std::mutex> lock(registration);
  for (int i = 0; i < kSlots; ++i) {
    Slot& slot = slots[i];
    if (slot.state.load() != Raw(WindowState::kFree)) continue;
    slot.base.store(base);
    slot.length.store(length);
    slot.state.store(Raw(WindowState::kScratch));
    return i;
  }
  return -1;
}

void BeginChange(int slot) {
  if (slot < 0) return;
  Slot& s = slots[slot];
  s.state.store(Raw(WindowState::kChanging));
  while (s.handlers.load() != 0) sched_yield();
}

void EndChange(int slot, bool placed) {
  if (slot < 0) return;
  slots[slot].state.store(Raw(placed ? WindowState::kPlaced : WindowState::kScratch));
}

void Unregister(int slot) {
  if (slot < 0) return;
  std::lock_guard<std::mutex> lock(registration);
  BeginChange(slot);
  Slot& s = slots[slot];
  s.length.store(0);
  s.base.store(0);
  s.state.store(Raw(WindowState::kFree));
}

}  // namespace vkmap::fault_guard
