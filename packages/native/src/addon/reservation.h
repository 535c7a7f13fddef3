// Host address ranges reserved with no access (mmap PROT_NONE) for placed maps, and what happened to each
// page since: still reserved (ours), holding a placed mapping (the driver's), or a hole (the driver
// unmapped it; the pages belong to nobody we know and are never touched again).
#ifndef VKMAP_RESERVATION_H
#define VKMAP_RESERVATION_H

#include <napi.h>

#include <cstdint>
#include <map>

namespace vkmap {

class Reservations {
 public:
  struct Span {
    uintptr_t end;
    bool mapped;  // true: a placed mapping lives here; false: a hole
  };
  struct Range {
    uint32_t id;
    uintptr_t base;
    uint64_t size;
    std::map<uintptr_t, Span> spans;  // keyed by start; never overlapping
  };

  static uint64_t PageSize();

  // mmap(PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE) of `size` bytes (a multiple of the page)
  // aligned to `alignment` (a power of two, at least the page). Throws a 'vk' error on failure.
  const Range& Reserve(Napi::Env env, uint64_t size, uint64_t alignment);
  // Takes over an address range a driver left reserved (unmap with VK_MEMORY_UNMAP_RESERVE_BIT_EXT of a
  // mapping that was not placed in one of ours).
  const Range& Adopt(uintptr_t base, uint64_t size);
  // munmaps the still-reserved parts. Throws a 'state' error while a placed mapping lives inside.
  void Release(Napi::Env env, uint32_t id);
  // Gives back every still-reserved page (environment teardown).
  void ReleaseAll();

  // The range whose still-reserved pages cover all of [address, address + length), or nullptr.
  const Range* FindReserved(uintptr_t address, uint64_t length) const;
  const Range* Find(uint32_t id) const;

  void MarkMapped(uint32_t id, uintptr_t address, uint64_t length);
  // The placed mapping at `address` ended and the driver munmapped its pages.
  void MarkHole(uint32_t id, uintptr_t address);
  // The placed mapping at `address` ended and the driver left its pages reserved.
  void MarkReserved(uint32_t id, uintptr_t address);

 private:
  Range& Insert(uintptr_t base, uint64_t size);
  static void UnmapReservedParts(const Range& range);

  std::map<uint32_t, Range> ranges_;
  uint32_t nextId_ = 1;
};

}  // namespace vkmap

#endif  // VKMAP_RESERVATION_H
