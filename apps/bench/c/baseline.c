/*
 * The C baseline of apps/bench: the same map+unmap, allocate+free and write loops as the vkmap side, on the same
 * Vulkan loader (dlopen of libvulkan.so.1) and driver, with nothing between the loop and the driver. Built by the
 * bench at run time (cc -O2); see src/peers/c.ts.
 *
 *   baseline [--device N]     then one request per line on stdin, one JSON line per request on stdout:
 *     info                                   the device, its API version and memory types
 *     map   <type> <size> <iterations>       vkMapMemory + vkUnmapMemory of a <size>-byte allocation
 *     map2  <type> <size> <iterations>       vkMapMemory2 + vkUnmapMemory2 (Vulkan 1.4)
 *     alloc <type> <size> <iterations>       vkAllocateMemory + vkFreeMemory
 *     write <type> <bytes> <iterations> <memcpy|memset|floats>
 *                                            writes of the whole mapped range: memcpy from a heap buffer,
 *                                            memset, or a float store loop (the scalar loop's counterpart)
 *     quit
 *   Each timed answer is {"nsPerOp": n}; a failure is {"error": "..."}.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vk_bench.h"

static PFN_vkGetInstanceProcAddr getInstanceProcAddr;
static PFN_vkDestroyInstance destroyInstance;
static PFN_vkDestroyDevice destroyDevice;
static PFN_vkAllocateMemory allocateMemory;
static PFN_vkFreeMemory freeMemory;
static PFN_vkMapMemory mapMemory;
static PFN_vkUnmapMemory unmapMemory;
static PFN_vkMapMemory2 mapMemory2;
static PFN_vkUnmapMemory2 unmapMemory2;

static VkInstance instance;
static VkDevice device;
static VkPhysicalDeviceProperties properties;
static VkPhysicalDeviceMemoryProperties memoryProperties;

static double nowNs(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void fail(const char *what, VkResult result) {
  printf("{\"error\": \"%s failed (VkResult %d)\"}\n", what, (int)result);
  fflush(stdout);
}

static int open_device(uint32_t index) {
  void *loader = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!loader) {
    fprintf(stderr, "baseline: dlopen(libvulkan.so.1): %s\n", dlerror());
    return 0;
  }
  getInstanceProcAddr = (PFN_vkGetInstanceProcAddr)dlsym(loader, "vkGetInstanceProcAddr");
  PFN_vkCreateInstance createInstance = (PFN_vkCreateInstance)getInstanceProcAddr(NULL, "vkCreateInstance");
  PFN_vkEnumerateInstanceVersion enumerateVersion =
      (PFN_vkEnumerateInstanceVersion)getInstanceProcAddr(NULL, "vkEnumerateInstanceVersion");
  uint32_t loaderVersion = VK_MAKE_API_VERSION(0, 1, 0, 0);
  if (enumerateVersion) enumerateVersion(&loaderVersion);
  /* As @vkmap/native: ask for 1.4 where the loader is 1.1 or later (a 1.0 loader refuses any other version). */
  VkApplicationInfo app = {VK_STRUCTURE_TYPE_APPLICATION_INFO, NULL, "vkmap-bench-c", 1, "vkmap-bench", 1,
                           loaderVersion >= VK_MAKE_API_VERSION(0, 1, 1, 0) ? VK_MAKE_API_VERSION(0, 1, 4, 0)
                                                                              : VK_MAKE_API_VERSION(0, 1, 0, 0)};
  VkInstanceCreateInfo instanceInfo = {VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO, NULL, 0, &app, 0, NULL, 0, NULL};
  VkResult result = createInstance(&instanceInfo, NULL, &instance);
  if (result != VK_SUCCESS) {
    fprintf(stderr, "baseline: vkCreateInstance failed (VkResult %d)\n", (int)result);
    return 0;
  }
#define INSTANCE_PROC(type, name) ((type)getInstanceProcAddr(instance, name))
  destroyInstance = INSTANCE_PROC(PFN_vkDestroyInstance, "vkDestroyInstance");
  PFN_vkEnumeratePhysicalDevices enumerate = INSTANCE_PROC(PFN_vkEnumeratePhysicalDevices, "vkEnumeratePhysicalDevices");
  uint32_t count = 0;
  enumerate(instance, &count, NULL);
  if (index >= count || count > 64) {
    fprintf(stderr, "baseline: no physical device %u (the loader finds %u)\n", index, count);
    return 0;
  }
  VkPhysicalDevice physicalDevices[64];
  enumerate(instance, &count, physicalDevices);
  VkPhysicalDevice physical = physicalDevices[index];
  INSTANCE_PROC(PFN_vkGetPhysicalDeviceProperties, "vkGetPhysicalDeviceProperties")(physical, &properties);
  INSTANCE_PROC(PFN_vkGetPhysicalDeviceMemoryProperties, "vkGetPhysicalDeviceMemoryProperties")(physical,
                                                                                               &memoryProperties);
  PFN_vkGetPhysicalDeviceQueueFamilyProperties families =
      INSTANCE_PROC(PFN_vkGetPhysicalDeviceQueueFamilyProperties, "vkGetPhysicalDeviceQueueFamilyProperties");
  uint32_t familyCount = 0;
  families(physical, &familyCount, NULL);
  VkQueueFamilyProperties familyProperties[64];
  if (familyCount > 64) familyCount = 64;
  families(physical, &familyCount, familyProperties);
  /* One queue of the first COMPUTE family, as vkmap's createDevice does by default. */
  uint32_t family = 0;
  while (family < familyCount && !(familyProperties[family].queueFlags & VK_QUEUE_COMPUTE_BIT)) family++;
  if (family == familyCount) family = 0;
  float priority = 1.0f;
  VkDeviceQueueCreateInfo queueInfo = {VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO, NULL, 0, family, 1, &priority};
  VkDeviceCreateInfo deviceInfo = {VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO, NULL, 0, 1, &queueInfo, 0, NULL, 0, NULL,
                                   NULL};
  result = INSTANCE_PROC(PFN_vkCreateDevice, "vkCreateDevice")(physical, &deviceInfo, NULL, &device);
  if (result != VK_SUCCESS) {
    fprintf(stderr, "baseline: vkCreateDevice failed (VkResult %d)\n", (int)result);
    return 0;
  }
  /* Device-level entry points straight from the driver, as the addon resolves them. */
  PFN_vkGetDeviceProcAddr getDeviceProcAddr = INSTANCE_PROC(PFN_vkGetDeviceProcAddr, "vkGetDeviceProcAddr");
#define DEVICE_PROC(type, name) ((type)getDeviceProcAddr(device, name))
  destroyDevice = DEVICE_PROC(PFN_vkDestroyDevice, "vkDestroyDevice");
  allocateMemory = DEVICE_PROC(PFN_vkAllocateMemory, "vkAllocateMemory");
  freeMemory = DEVICE_PROC(PFN_vkFreeMemory, "vkFreeMemory");
  mapMemory = DEVICE_PROC(PFN_vkMapMemory, "vkMapMemory");
  unmapMemory = DEVICE_PROC(PFN_vkUnmapMemory, "vkUnmapMemory");
  /* Vulkan 1.4 core; only a 1.4 device has it (the 1.3.239 loader passes the name on to the driver). */
  if (properties.apiVersion >= VK_MAKE_API_VERSION(0, 1, 4, 0) && app.apiVersion >= VK_MAKE_API_VERSION(0, 1, 4, 0)) {
    mapMemory2 = DEVICE_PROC(PFN_vkMapMemory2, "vkMapMemory2");
    unmapMemory2 = DEVICE_PROC(PFN_vkUnmapMemory2, "vkUnmapMemory2");
  }
  return 1;
}

static void info(void) {
  printf("{\"device\": \"");
  for (const char *c = properties.deviceName; *c; c++)
    if (*c != '"' && *c != '\\') putchar(*c);
  printf("\", \"apiVersion\": \"%u.%u.%u\", \"map2\": %s, \"memoryTypes\": [", properties.apiVersion >> 22,
         (properties.apiVersion >> 12) & 0x3ff, properties.apiVersion & 0xfff, mapMemory2 ? "true" : "false");
  for (uint32_t i = 0; i < memoryProperties.memoryTypeCount; i++)
    printf("%s{\"index\": %u, \"propertyFlags\": %u}", i ? ", " : "", i, memoryProperties.memoryTypes[i].propertyFlags);
  printf("]}\n");
  fflush(stdout);
}

static int allocate(uint32_t type, VkDeviceSize size, VkDeviceMemory *memory) {
  VkMemoryAllocateInfo allocateInfo = {VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, NULL, size, type};
  VkResult result = allocateMemory(device, &allocateInfo, NULL, memory);
  if (result != VK_SUCCESS) fail("vkAllocateMemory", result);
  return result == VK_SUCCESS;
}

static void answer(double ns, long iterations) {
  printf("{\"nsPerOp\": %.3f}\n", ns / (double)iterations);
  fflush(stdout);
}

static void bench_map(uint32_t type, VkDeviceSize size, long iterations, int second) {
  if (second && !mapMemory2) {
    printf("{\"error\": \"vkMapMemory2 is not available (needs a Vulkan 1.4 device and instance)\"}\n");
    fflush(stdout);
    return;
  }
  VkDeviceMemory memory;
  if (!allocate(type, size, &memory)) return;
  VkMemoryMapInfo mapInfo = {VK_STRUCTURE_TYPE_MEMORY_MAP_INFO, NULL, 0, memory, 0, VK_WHOLE_SIZE};
  VkMemoryUnmapInfo unmapInfo = {VK_STRUCTURE_TYPE_MEMORY_UNMAP_INFO, NULL, 0, memory};
  void *data = NULL;
  double start = nowNs();
  for (long i = 0; i < iterations; i++) {
    VkResult result = second ? mapMemory2(device, &mapInfo, &data) : mapMemory(device, memory, 0, VK_WHOLE_SIZE, 0, &data);
    if (result != VK_SUCCESS) {
      fail(second ? "vkMapMemory2" : "vkMapMemory", result);
      freeMemory(device, memory, NULL);
      return;
    }
    if (second)
      unmapMemory2(device, &unmapInfo);
    else
      unmapMemory(device, memory);
  }
  double elapsed = nowNs() - start;
  freeMemory(device, memory, NULL);
  answer(elapsed, iterations);
}

static void bench_alloc(uint32_t type, VkDeviceSize size, long iterations) {
  double start = nowNs();
  for (long i = 0; i < iterations; i++) {
    VkDeviceMemory memory;
    if (!allocate(type, size, &memory)) return;
    freeMemory(device, memory, NULL);
  }
  answer(nowNs() - start, iterations);
}

/* Not inlined into the timing loop, so the compiler cannot merge passes over the same bytes. */
__attribute__((noinline)) static void store_floats(float *out, size_t count, float base) {
  for (size_t i = 0; i < count; i++) out[i] = base + (float)i;
}

static void bench_write(uint32_t type, VkDeviceSize bytes, long iterations, const char *mode) {
  VkDeviceMemory memory;
  if (!allocate(type, bytes, &memory)) return;
  void *data = NULL;
  VkResult result = mapMemory(device, memory, 0, VK_WHOLE_SIZE, 0, &data);
  if (result != VK_SUCCESS) {
    fail("vkMapMemory", result);
    freeMemory(device, memory, NULL);
    return;
  }
  unsigned char *source = malloc(bytes);
  for (VkDeviceSize i = 0; i < bytes; i++) source[i] = (unsigned char)(i * 7);
  int which = strcmp(mode, "memcpy") == 0 ? 0 : strcmp(mode, "memset") == 0 ? 1 : 2;
  memset(data, 0, bytes); /* untimed: the first touch of each page faults it in */
  double start = nowNs();
  for (long i = 0; i < iterations; i++) {
    if (which == 0)
      memcpy(data, source, bytes);
    else if (which == 1)
      memset(data, (int)(i & 0xff), bytes);
    else
      store_floats(data, bytes / sizeof(float), (float)i);
  }
  double elapsed = nowNs() - start;
  free(source);
  unmapMemory(device, memory);
  freeMemory(device, memory, NULL);
  answer(elapsed, iterations);
}

int main(int argc, char **argv) {
  uint32_t deviceIndex = 0;
  for (int i = 1; i + 1 < argc; i++)
    if (strcmp(argv[i], "--device") == 0) deviceIndex = (uint32_t)strtoul(argv[i + 1], NULL, 10);
  if (!open_device(deviceIndex)) return 2;
  char line[256];
  while (fgets(line, sizeof line, stdin)) {
    char command[16] = "", mode[16] = "";
    unsigned type = 0;
    unsigned long long size = 0;
    long iterations = 0;
    int fields = sscanf(line, "%15s %u %llu %ld %15s", command, &type, &size, &iterations, mode);
    if (fields >= 1 && strcmp(command, "quit") == 0) break;
    if (fields >= 1 && strcmp(command, "info") == 0) {
      info();
      continue;
    }
    if (fields < 4 || iterations <= 0 || type >= memoryProperties.memoryTypeCount) {
      printf("{\"error\": \"bad request\"}\n");
      fflush(stdout);
      continue;
    }
    if (strcmp(command, "map") == 0)
      bench_map(type, size, iterations, 0);
    else if (strcmp(command, "map2") == 0)
      bench_map(type, size, iterations, 1);
    else if (strcmp(command, "alloc") == 0)
      bench_alloc(type, size, iterations);
    else if (strcmp(command, "write") == 0 && fields == 5)
      bench_write(type, size, iterations, mode);
    else {
      printf("{\"error\": \"unknown request\"}\n");
      fflush(stdout);
    }
  }
  destroyDevice(device, NULL);
  destroyInstance(instance, NULL);
  return 0;
}
