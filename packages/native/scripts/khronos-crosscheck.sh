#!/usr/bin/env bash
# Development check (not run by CI): runs the conformance suite on lavapipe through @vkmap/native, bare and
# under our validation layer, and the native compute tests (test/compute.test.ts below the front: copies,
# fills, dispatches, barriers, fences, the refusals before a submission; test/compute-device.test.ts through
# the public Device, bare and validated; and the process-isolated cases of both, whose output the tests pass
# through), with the Khronos validation layer (Debian's vulkan-validationlayers) inserted by the loader, and
# fails if the Khronos layer reports any error or warning, i.e. if @vkmap/native itself ever makes an
# invalid Vulkan call.
# Debian's layer is 1.3.239: it does not intercept vkMapMemory2 / vkUnmapMemory2 (so it loses track of
# mappings made through them and reports false errors on later flushes), and it crashes on vkMapMemory2KHR
# unless thread safety and unique handles are disabled. The run therefore caps the instance at Vulkan 1.3
# (VKMAP_NATIVE_API_VERSION=1.3), where the suite uses the 1.0 entry points only. Usage, from the repository root: bash packages/native/scripts/khronos-crosscheck.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."

if [ ! -f /usr/share/vulkan/explicit_layer.d/VkLayer_khronos_validation.json ]; then
  echo "khronos-crosscheck: installing vulkan-validationlayers"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq vulkan-validationlayers >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/vk_layer_settings.txt" <<SETTINGS
khronos_validation.disables = VK_VALIDATION_FEATURE_DISABLE_THREAD_SAFETY_EXT,VK_VALIDATION_FEATURE_DISABLE_UNIQUE_HANDLES_EXT
khronos_validation.debug_action = VK_DBG_LAYER_ACTION_LOG_MSG
khronos_validation.report_flags = error,warn,info
SETTINGS

# Without a log file the layer prints to each process's stdout, which vitest passes through; a log file
# would be truncated by every new instance.
for suite in conformance compute compute-device; do
  VK_LAYER_SETTINGS_PATH="$work" VK_INSTANCE_LAYERS=VK_LAYER_KHRONOS_validation VKMAP_REQUIRE_NATIVE=1 \
    VKMAP_NATIVE_API_VERSION=1.3 npx vitest run --project @vkmap/native "packages/native/test/$suite.test.ts" \
    > "$work/$suite.log" 2>&1 || { tail -40 "$work/$suite.log"; exit 1; }
  echo "khronos-crosscheck: $suite: $(sed 's/\x1b\[[0-9;]*m//g' "$work/$suite.log" | grep -E 'Tests +[0-9]' | sed 's/^ *//')"
  cat "$work/$suite.log" >> "$work/layer.log"
done

active=$(grep -c 'Khronos Validation Layer Active' "$work/layer.log" || true)
problems=$(grep -cE 'Validation (Error|Warning)' "$work/layer.log" || true)
echo "khronos-crosscheck: the layer was active for ${active} instance(s) and reported ${problems} error(s) or warning(s)"
if [ "$active" -eq 0 ]; then echo "khronos-crosscheck: the layer never became active"; exit 1; fi
if [ "$problems" -ne 0 ]; then grep -E -A3 'Validation (Error|Warning)' "$work/layer.log" | head -60; exit 1; fi
