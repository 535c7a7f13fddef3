#!/usr/bin/env bash
# Development script: the app's measurements on a real GPU, printed as one JSON document on stdout.
#
#   here:   bash packages/native/scripts/prebuild.sh x64 && node apps/compute/scripts/bundle.mjs
#   there:  source .gpu/env.sh && bash apps/compute/scripts/gpu-run.sh     (carrying .gpu and apps/compute/gpu-run)
#
# It runs the bundled app (apps/compute/gpu-run/dist/compute.mjs, plain Node, no node_modules) on native device
# $GPU_RUN_DEVICE (default 0):
#   - the device's memory types (--list-devices);
#   - the prefix sum at $GPU_RUN_SIZE values (default 64Mi = 256 MiB) with the app's own choices (--path auto:
#     direct, and device-local + staging where the device has VRAM the host cannot map);
#   - then once per HOST_VISIBLE memory type as the upload buffer, and once per HOST_VISIBLE type as the readback
#     buffer, on the direct path and, where the device has such VRAM, on the staging path;
#   - the Mandelbrot set at the README's size (its iteration counts' sha256 must equal the emulated GPU's) and at
#     3840x2160 with 4096 iterations; the PNGs go to $OUT (or a temporary folder).
# Each run is { args, exitCode, result } with the app's --json output as result. Progress goes to stderr.
# GPU_RUN_SIZE=1Mi bash apps/compute/scripts/gpu-run.sh runs the same quickly on lavapipe.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
app="${GPU_RUN_APP:-$here/../gpu-run/dist/compute.mjs}"
if [ ! -f "$app" ]; then
  echo "gpu-run: $app is missing: run node apps/compute/scripts/bundle.mjs first" >&2
  exit 1
fi
out="${OUT:-$(mktemp -d)}"
mkdir -p "$out"

GPU_RUN_APP="$app" GPU_RUN_OUT="$out" node --input-type=module - <<'EOF'
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const app = process.env.GPU_RUN_APP;
const out = process.env.GPU_RUN_OUT;
const device = process.env.GPU_RUN_DEVICE ?? '0';
const size = process.env.GPU_RUN_SIZE ?? '64Mi';

function run(args) {
  process.stderr.write(`gpu-run: compute.mjs ${args.join(' ')}\n`);
  const child = spawnSync(process.execPath, [app, ...args, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  });
  let result;
  try {
    result = JSON.parse(child.stdout);
  } catch {
    result = { unparsed: child.stdout };
  }
  return { args, exitCode: child.status, result };
}

const native = ['--backend', 'native', '--device', device];
const listed = run(['--list-devices']);
const types = listed.result[Number(device)]?.memoryTypes ?? [];
const hostVisible = types.filter((t) => t.hostVisible).map((t) => t.index);
const paths = types.some((t) => t.deviceLocal && !t.hostVisible) ? ['direct', 'staging'] : ['direct'];

const runs = [run(['prefix-sum', ...native, '--size', size])];
for (const path of paths) {
  for (const type of hostVisible) {
    runs.push(run(['prefix-sum', ...native, '--size', size, '--path', path, '--upload-type', String(type)]));
    runs.push(run(['prefix-sum', ...native, '--size', size, '--path', path, '--readback-type', String(type)]));
  }
}
runs.push(run(['mandelbrot', ...native, '--size', '640x400', '--output', join(out, 'mandelbrot-640x400.png')]));
runs.push(
  run(['mandelbrot', ...native, '--size', '3840x2160', '--iterations', '4096', '--output', join(out, 'mandelbrot-4k.png')]),
);
const emulated = run(['mandelbrot', '--size', '640x400', '--output', join(out, 'mandelbrot-640x400-emulated.png')]);

console.log(
  JSON.stringify(
    {
      devices: listed.result,
      runs,
      emulated: emulated.result,
      mandelbrotMatchesEmulated:
        emulated.result.iterationsSha256 !== undefined &&
        runs.at(-2).result.iterationsSha256 === emulated.result.iterationsSha256,
    },
    null,
    2,
  ),
);
EOF
