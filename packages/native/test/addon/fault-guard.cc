// Drives src/addon/fault-guard.cc the way placed windows do, with mmap standing in for the driver: a thread
// keeps writing into a window while the main thread takes its pages away and puts others back, leaving
// moments with no access as a driver's unmap does. Usage: fault-guard <guarded|unguarded|foreign>.
//   guarded    the window is registered: prints "survived" and exits 0
//   unguarded  the same without registering: the writer faults (SIGSEGV), which shows the race is real
//   foreign    a fault outside any window goes to the previous handler: the default action, SIGSEGV
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <thread>

#include "fault-guard.h"

namespace {

constexpr size_t kLength = 1 << 20;

void Map(char* window, int protection) {
  mmap(window, kLength, protection, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
}

}  // namespace

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "guarded";
  char* window = static_cast<char*>(mmap(nullptr, kLength, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
  const bool guarded = std::strcmp(mode, "unguarded") != 0;
  const int slot = guarded ? vkmap::fault_guard::Register(reinterpret_cast<uintptr_t>(window), kLength) : -1;
  if (guarded && slot < 0) return 2;
  if (std::strcmp(mode, "foreign") == 0) {
    volatile char* outside = static_cast<volatile char*>(mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    *outside = 1;  // no window holds it
    return 3;
  }
  vkmap::fault_guard::BeginChange(slot);
  Map(window, PROT_READ | PROT_WRITE);  // "placed"
  vkmap::fault_guard::EndChange(slot, true);

  std::atomic<bool> stop{false};
  std::atomic<long> sweeps{0};
  std::thread writer([&] {
    while (!stop.load()) {
      for (size_t at = 0; at < kLength; at += 4096) window[at] = 1;
      sweeps.fetch_add(1);
    }
  });
  for (int round = 0; round < 1000; ++round) {
    // The driver's reserving unmap leaves the range inaccessible; then the addon's scratch pages.
    vkmap::fault_guard::BeginChange(slot);
    Map(window, PROT_NONE);
    usleep(50);
    Map(window, PROT_READ | PROT_WRITE);
    vkmap::fault_guard::EndChange(slot, false);
    // A placement that unmaps before it maps.
    vkmap::fault_guard::BeginChange(slot);
    Map(window, PROT_NONE);
    usleep(20);
    Map(window, PROT_READ | PROT_WRITE);
    vkmap::fault_guard::EndChange(slot, true);
  }
  // Retired with nothing mapped: a fault gets a zero page from the guard itself.
  vkmap::fault_guard::BeginChange(slot);
  Map(window, PROT_NONE);
  vkmap::fault_guard::EndChange(slot, false);
  usleep(20000);
  stop.store(true);
  writer.join();
  vkmap::fault_guard::Unregister(slot);
  std::printf("survived %ld sweeps\n", sweeps.load());
  return 0;
}
