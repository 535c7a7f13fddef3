#!/usr/bin/env node
/**
 * Counts the lines of per-backend checking code: what a backend does to refuse misuse, as opposed to what
 * it does to serve a valid call. Run from the repository root: `node packages/core/scripts/count-backend-checks.mjs`
 * (or give another checkout's root as the argument, to count an older version).
 *
 * A line counts when it belongs to
 *   (a) a statement that throws a misuse error: `throw new VkmapArgumentError(...)` or `VkmapStateError(...)`
 *       in TypeScript, `ThrowArgument(...)` or `ThrowState(...)` in C++, from its guarding `if` line (when the
 *       throw is that `if`'s body) to the end of the statement and the `if`'s closing brace; or
 *   (b) a call of an argument-conversion or check helper (listed in CHECK_CALLS), or the first line of such a
 *       helper's own definition.
 * Results (VkError, ThrowVkResult: what a driver answers) are behaviour and are not counted, nor is reading
 * arguments off the JavaScript boundary in C++ (ArgUint32 and the like: marshalling).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const GROUPS = {
  'emulated (TypeScript)': ['packages/emulated/src'],
  'native (TypeScript)': ['packages/native/src'],
  'native addon (C++)': ['packages/native/src/addon'],
};
// Not checking code: profiles and their validation, fault injection, the address-space model, view guards,
// loading the addon; in C++ reading JavaScript arguments (args.cc) and the throw helpers themselves (errors.*).
const SKIP = [
  /\/profiles\//,
  /validate-profile\.ts$/,
  /fault-injector\.ts$/,
  /host-address-space\.ts$/,
  /views\.ts$/,
  /binding\.ts$/,
  /availability\.ts$/,
  /addon\/args\.cc$/,
  /addon\/errors\.(cc|h)$/,
];

const THROWS = /throw new (VkmapArgumentError|VkmapStateError)\b|\b(ThrowArgument|ThrowState)\(/;
const CHECK_CALLS =
  /\b(toDeviceSize|toOptionalDeviceSize|toUint32|toByteLength|requireObject|assertStructure|assertChain|requireRecord|requireMapped|requireCommand|assertAlive|#assertLive|#assertCommand|#assertInstance|#memory|checkExtensions|checkFeatures|checkPlacement|resolveMap|#extensionList|#featureList|#requireExtension|CheckPlaced|deviceRange)\(/;

function files(dir, ext) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, ext);
    return ext.some((e) => name.endsWith(e)) ? [path] : [];
  });
}

function countFile(path) {
  const lines = readFileSync(path, 'utf8').split('\n');
  const counted = new Set();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue;
    if (CHECK_CALLS.test(line)) counted.add(i);
    if (!THROWS.test(line)) continue;
    // The statement: forward to the line that ends it (balanced parentheses, ending in ';').
    let depth = 0;
    let end = i;
    for (let j = i; j < lines.length; j++) {
      for (const ch of lines[j]) depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
      end = j;
      if (depth <= 0 && /;\s*(\/\/.*)?$/.test(lines[j])) break;
    }
    let start = i;
    const sameLineIf = /^\s*(\}\s*else\s+)?if\s*\(/.test(line);
    if (!sameLineIf) {
      // The guarding `if`: the nearest line above that opens a block, when it is an `if` (possibly spanning lines).
      for (let j = i - 1; j >= 0 && j >= i - 6; j--) {
        if (/^\s*(\}\s*else\s+)?if\s*\(/.test(lines[j])) {
          start = j;
          break;
        }
        if (/[;}]\s*$/.test(lines[j])) break;
      }
    }
    for (let k = start; k <= end; k++) counted.add(k);
    if (start !== i && /^\s*\}\s*$/.test(lines[end + 1] ?? '')) counted.add(end + 1);
  }
  return counted.size;
}

const root = process.argv[2] ?? process.cwd();
let total = 0;
for (const [group, dirs] of Object.entries(GROUPS)) {
  const ext = group.includes('C++') ? ['.cc', '.h'] : ['.ts'];
  let sum = 0;
  const rows = [];
  for (const dir of dirs) {
    for (const path of files(join(root, dir), ext)) {
      if (!group.includes('C++') && path.includes('/addon/')) continue;
      if (SKIP.some((re) => re.test(path))) continue;
      const n = countFile(path);
      if (n > 0) rows.push(`    ${relative(root, path)}: ${n}`);
      sum += n;
    }
  }
  total += sum;
  console.log(`${group}: ${sum}`);
  for (const row of rows) console.log(row);
}
console.log(`total: ${total}`);
