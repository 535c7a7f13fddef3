/** The command line of the bench. */
import { SIZES, type Mode } from './modes.js';

export const USAGE = `usage: vkmap-bench [--device <index>] [--type <memoryTypeIndex>] [--json [path]] [--svg <path>]
                   [--quick | --smoke] [--rounds <n>] [--vma-header <path>]

  --device <index>     the physical device (as the Vulkan loader enumerates them; default 0)
  --type <index>       the memory type for map, allocate and the write benchmarks (default: map and allocate
                       use the first HOST_VISIBLE type, the writes cover every HOST_VISIBLE type)
  --json [path]        the results as JSON, to the file or to stdout (the table then goes to stderr)
  --svg <path>         the chart of the ratios (default: next to the --json file, as .svg)
  --quick              fewer rounds and iterations
  --smoke              every benchmark very briefly, so none rots (CI); its numbers mean nothing
  --rounds <n>         interleaved rounds (default: 9, quick 5, smoke 2)
  --vma-header <path>  passed to the allocator replay (src/allocator/run.mjs), which needs VMA's header
BENCH_PIN=0: do not pin the measured processes to CPU 1.`;

export interface Options {
  readonly mode: Mode;
  readonly deviceIndex: number;
  readonly type: number | undefined;
  /** undefined: no JSON; '-': stdout; else a file. */
  readonly json: string | undefined;
  readonly svg: string | undefined;
  readonly rounds: number;
  readonly vmaHeader: string | undefined;
  readonly help: boolean;
}

export class UsageError extends Error {}

function integer(name: string, value: string | undefined, min = 0): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < min)
    throw new UsageError(`${name} needs an integer >= ${min}`);
  return n;
}

export function parseOptions(args: readonly string[]): Options {
  let mode: Mode = 'full';
  let deviceIndex = 0;
  let type: number | undefined;
  let json: string | undefined;
  let svg: string | undefined;
  let rounds: number | undefined;
  let vmaHeader: string | undefined;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      i++;
      return next;
    };
    switch (arg) {
      case '--device':
        deviceIndex = integer(arg, value());
        break;
      case '--type':
        type = integer(arg, value());
        break;
      case '--json': {
        const next = args[i + 1];
        json = next === undefined || next.startsWith('--') ? '-' : args[++i]!;
        break;
      }
      case '--svg':
        svg = value();
        break;
      case '--quick':
      case '--smoke': {
        const wanted = arg.slice(2) as Mode;
        if (mode !== 'full' && mode !== wanted) throw new UsageError('--quick and --smoke exclude each other');
        mode = wanted;
        break;
      }
      case '--rounds':
        rounds = integer(arg, value(), 1);
        break;
      case '--vma-header':
        vmaHeader = value();
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      case '--':
        break;
      default:
        throw new UsageError(`unknown argument ${arg}`);
    }
  }
  if (svg === undefined && json !== undefined && json !== '-') svg = json.replace(/(\.json)?$/, '.svg');
  return { mode, deviceIndex, type, json, svg, rounds: rounds ?? SIZES[mode].rounds, vmaHeader, help };
}
