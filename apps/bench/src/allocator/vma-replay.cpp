// Replays one allocate/free stream of the virtual-block benchmark (packages/allocator/bench/stream.mjs,
// written by its encodeStream) on VMA's VmaVirtualBlock, timing the same phases as the JavaScript replay,
// and prints one line of JSON.
//
// Built at bench time against a VMA header the caller supplies (never part of this repository):
//   g++ -O2 -std=c++17 -I<dir of vk_mem_alloc.h> vma-replay.cpp -o vma-replay
//   ./vma-replay stream.bin
#define VMA_IMPLEMENTATION
#define VMA_STATIC_VULKAN_FUNCTIONS 0
#define VMA_DYNAMIC_VULKAN_FUNCTIONS 0
#include "vk_mem_alloc.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

struct Stream {
  uint32_t live, warmLive, warmRounds, batch, rounds, alignment;
  double blockSize, warmBlockSize;
  std::vector<uint32_t> words;
};

[[noreturn]] void die(const char* message) {
  std::fprintf(stderr, "vma-replay: %s\n", message);
  std::exit(2);
}

Stream readStream(const char* path) {
  FILE* file = std::fopen(path, "rb");
  if (!file) die("cannot open the stream file");
  uint32_t header[8];
  double sizes[2];
  if (std::fread(header, 4, 8, file) != 8 || std::fread(sizes, 8, 2, file) != 2) die("short header");
  if (header[0] != 0x534d4b56u || header[1] != 1) die("not a version 1 stream");
  Stream s{header[2], header[3], header[4], header[5], header[6], header[7], sizes[0], sizes[1], {}};
  const size_t count = size_t(s.warmRounds) * 2 * s.warmLive + 3 * size_t(s.live) + size_t(s.rounds) * 2 * s.batch;
  s.words.resize(count);
  if (std::fread(s.words.data(), 4, count, file) != count) die("short body");
  std::fclose(file);
  return s;
}

using Clock = std::chrono::steady_clock;

double nanosSince(Clock::time_point start) {
  return double(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
}

VmaVirtualBlock makeBlock(double size) {
  VmaVirtualBlockCreateInfo info = {};
  info.size = VkDeviceSize(size);
  VmaVirtualBlock block = VK_NULL_HANDLE;
  if (vmaCreateVirtualBlock(&info, &block) != VK_SUCCESS) die("vmaCreateVirtualBlock failed");
  return block;
}

// The timed loops: the same work per operation as the JavaScript kernels (allocate into a slot and read
// the offset; free the allocation of a slot).
uint64_t checksum = 0;

double allocateInto(VmaVirtualBlock block, VmaVirtualAllocation* slots, const uint32_t* indices,
                    const uint32_t* sizes, uint32_t count, uint32_t alignment) {
  VmaVirtualAllocationCreateInfo info = {};
  info.alignment = alignment;
  uint64_t sum = 0;
  const auto start = Clock::now();
  for (uint32_t i = 0; i < count; i++) {
    info.size = sizes[i];
    VkDeviceSize offset = 0;
    if (vmaVirtualAllocate(block, &info, &slots[indices[i]], &offset) != VK_SUCCESS) die("out of space");
    sum += offset;
  }
  const double ns = nanosSince(start);
  checksum += sum;
  return ns;
}

double freeFrom(VmaVirtualBlock block, VmaVirtualAllocation* slots, const uint32_t* indices, uint32_t count) {
  const auto start = Clock::now();
  for (uint32_t i = 0; i < count; i++) vmaVirtualFree(block, slots[indices[i]]);
  return nanosSince(start);
}

double medianOf(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) die("usage: vma-replay <stream file>");
  const Stream s = readStream(argv[1]);
  const uint32_t* at = s.words.data();
  std::vector<uint32_t> identity(s.live);
  for (uint32_t i = 0; i < s.live; i++) identity[i] = i;

  {
    VmaVirtualBlock block = makeBlock(s.warmBlockSize);
    std::vector<VmaVirtualAllocation> slots(s.warmLive);
    for (uint32_t round = 0; round < s.warmRounds; round++) {
      allocateInto(block, slots.data(), identity.data(), at, s.warmLive, s.alignment);
      at += s.warmLive;
      freeFrom(block, slots.data(), at, s.warmLive);
      at += s.warmLive;
    }
    vmaDestroyVirtualBlock(block);
  }

  VmaVirtualBlock block = makeBlock(s.blockSize);
  std::vector<VmaVirtualAllocation> slots(s.live);
  const double fillNs = allocateInto(block, slots.data(), identity.data(), at, s.live, s.alignment) / s.live;
  at += s.live;
  const double drainNs = freeFrom(block, slots.data(), at, s.live) / s.live;
  at += s.live;
  allocateInto(block, slots.data(), identity.data(), at, s.live, s.alignment);
  at += s.live;

  std::vector<double> allocNs(s.rounds), freeNs(s.rounds);
  for (uint32_t round = 0; round < s.rounds; round++) {
    const uint32_t* victims = at;
    const uint32_t* sizes = at + s.batch;
    at += 2 * s.batch;
    freeNs[round] = freeFrom(block, slots.data(), victims, s.batch) / s.batch;
    allocNs[round] = allocateInto(block, slots.data(), victims, sizes, s.batch, s.alignment) / s.batch;
  }

  VmaDetailedStatistics stats = {};
  vmaCalculateVirtualBlockStatistics(block, &stats);
  const double freeBytes = double(stats.statistics.blockBytes - stats.statistics.allocationBytes);
  const double fragmentation = freeBytes == 0 ? 0 : 1 - double(stats.unusedRangeSizeMax) / freeBytes;
  std::printf(
      "{\"steadyAllocateNs\":%.3f,\"steadyFreeNs\":%.3f,\"fillAllocateNs\":%.3f,\"drainFreeNs\":%.3f,"
      "\"fragmentation\":%.6f,\"freeRanges\":%u,\"fill\":%.6f,\"checksum\":%llu}\n",
      medianOf(allocNs), medianOf(freeNs), fillNs, drainNs, fragmentation, stats.unusedRangeCount,
      double(stats.statistics.allocationBytes) / s.blockSize, (unsigned long long)checksum);
  vmaClearVirtualBlock(block);
  vmaDestroyVirtualBlock(block);
  return 0;
}
