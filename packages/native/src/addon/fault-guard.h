// The fault guard of placed windows. A window the driver places maps into passes through a moment with no
// access: the driver's unmap with VK_MEMORY_UNMAP_RESERVE_BIT_EXT leaves the range inaccessible until the
// addon puts scratch pages there, and a placement may unmap before it maps. Work of Node's thread pool that
// is still writing through a view (crypto.randomFill, fs.read) would fault in that moment. The guard's
// SIGSEGV handler takes a fault inside a registered window, waits until the window settles, and then lets
// the access go on: into the driver's map again, or into a zero page it puts under the address once the
// window is retired. Every other fault goes to the handler that was installed before.
#ifndef VKMAP_FAULT_GUARD_H
#define VKMAP_FAULT_GUARD_H

#include <cstddef>
#include <cstdint>

namespace vkmap::fault_guard {

// What a registered window holds.
enum class WindowState : uint32_t {
  kFree = 0,     // no window in this slot
  kChanging,     // the addon or the driver is replacing its pages: a fault waits
  kPlaced,       // the driver's map: an access goes through once the change is over
  kScratch,      // retired: a fault gets a zero page
};

// Registers [base, base + length) in state kScratch and installs the handler on first use. Returns the
// slot, or -1 when every slot is taken (the window is then not guarded).
int Register(uintptr_t base, size_t length);
// Starts a change of the window's pages: from here until EndChange, a fault in it waits. Returns once no
// handler is working in the window.
void BeginChange(int slot);
// Ends a change: the window now holds the driver's map (placed) or scratch pages.
void EndChange(int slot, bool placed);
// The window's address range is about to go back to the system or to the application: no fault is taken
// in it from now on.
void Unregister(int slot);

}  // namespace vkmap::fault_guard

#endif  // VKMAP_FAULT_GUARD_H
