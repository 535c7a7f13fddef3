#include "reservation.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "errors.h"

namespace vkmap {

uint64_t Reservations::PageSize() {
  static const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  return page;
}

Reservations::Range& Reservations::Insert(uintptr_t base, uint64_t size) {
  uint32_t id = nextId_++;
  Range& range = ranges_[id];
  range.id = id;
  range.base = base;
  range.size = size;
  return range;
}

const Reservations::Range& Reservations::Reserve(Napi::Env env, uint64_t size, uint64_t alignment) {
  const uint64_t page = PageSize();
  if (size == 0 || size % page != 0) ThrowArgument(env, "size", "must be a non-zero multiple of the page size");
  if (alignment < page || (alignment & (alignment - 1)) != 0) {
    ThrowArgument(env, "alignment", "must be a power of two of at least the page size");
  }
  const uint64_t extra = alignment - page;
  if (size > UINT64_MAX - extra || size + extra > static_cast<uint64_t>(SIZE_MAX)) {
    ThrowVkResult(env, "reserveAddressRange", VK_ERROR_OUT_OF_HOST_MEMORY, "the size does not fit the address space");
  }
  const size_t total = static_cast<size_t>(size + extra);
  void* start = mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (start == MAP_FAILED) {
    ThrowVkResult(env, "reserveAddressRange", VK_ERROR_OUT_OF_HOST_MEMORY,
                  std::string("mmap of ") + std::to_string(total) + " bytes failed: " + std::strerror(errno));
  }
  const uintptr_t raw = reinterpret_cast<uintptr_t>(start);
  const uintptr_t base = (raw + (alignment - 1)) & ~static_cast<uintptr_t>(alignment - 1);
  // Trim what the alignment did not need, before and after.
  if (base > raw) munmap(start, base - raw);
  const uintptr_t end = base + size;
  const uintptr_t rawEnd = raw + total;
  if (rawEnd > end) munmap(reinterpret_cast<void*>(end), rawEnd - end);
  return Insert(base, size);
}

const Reservations::Range& Reservations::Adopt(uintptr_t base, uint64_t size) { return Insert(base, size); }

void Reservations::UnmapReservedParts(const Range& range) {
  uintptr_t cursor = range.base;
  const uintptr_t end = range.base + range.size;
  for (const auto& [start, span] : range.spans) {
    if (start > cursor) munmap(reinterpret_cast<void*>(cursor), start - cursor);
    cursor = span.end;
  }
  if (end > cursor) munmap(reinterpret_cast<void*>(cursor), end - cursor);
}

void Reservations::Release(Napi::Env env, uint32_t id) {
  auto found = ranges_.find(id);
  if (found == ranges_.end()) ThrowState(env, "this address range has already been released");
  for (const auto& [start, span] : found->second.spans) {
    if (span.mapped) {
      ThrowState(env, "the address range still holds a placed mapping at " + Hex(start) +
                          "; unmap it (or free its memory) before release()");
    }
  }
  UnmapReservedParts(found->second);
  ranges_.erase(found);
}

void Reservations::ReleaseAll() {
  for (const auto& [id, range] : ranges_) UnmapReservedParts(range);
  ranges_.clear();
}

const Reservations::Range* Reservations::FindReserved(uintptr_t address, uint64_t length) const {
  if (length == 0) return nullptr;
  for (const auto& [id, range] : ranges_) {
    const uintptr_t end = range.base + range.size;
    if (address < range.base || address >= end || length > end - address) continue;
    const uintptr_t last = address + length;
    for (const auto& [start, span] : range.spans) {
      if (start < last && span.end > address) return nullptr;  // overlaps a mapping or a hole
    }
    return &range;
  }
  return nullptr;
}

const Reservations::Range* Reservations::Find(uint32_t id) const {
  auto found = ranges_.find(id);
  return found == ranges_.end() ? nullptr : &found->second;
}

void Reservations::MarkMapped(uint32_t id, uintptr_t address, uint64_t length) {
  auto found = ranges_.find(id);
  if (found != ranges_.end()) found->second.spans[address] = Span{address + length, true};
}

void Reservations::MarkHole(uint32_t id, uintptr_t address) {
  auto found = ranges_.find(id);
  if (found == ranges_.end()) return;
  auto span = found->second.spans.find(address);
  if (span != found->second.spans.end()) span->second.mapped = false;
}

void Reservations::MarkReserved(uint32_t id, uintptr_t address) {
  auto found = ranges_.find(id);
  if (found != ranges_.end()) found->second.spans.erase(address);
}

}  // namespace vkmap
