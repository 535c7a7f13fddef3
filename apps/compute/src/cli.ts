/**
 * The command line: arguments (node:util parseArgs), the run, what is printed, and the exit status. Every bad
 * argument is one line and the usage (exit 2); a run that cannot start is one line (exit 1); no stack trace
 * unless VKMAP_DEBUG=1.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError, UsageError } from './errors.js';
import { DEFAULT_PROFILE, listNativeDevices, listProfiles, openGpu, type BackendName } from './gpu.js';
import { runMandelbrot } from './mandelbrot.js';
import { runPrefixSum, type PathChoice } from './prefix-sum.js';
import { Progress, type ProgressSink } from './progress.js';
import { formatMandelbrot, formatPrefixSum, mandelbrotJson, prefixSumJson } from './report.js';

export interface Output extends ProgressSink {
  write(text: string): unknown;
}

export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
}

export type CommandName = 'prefix-sum' | 'mandelbrot';

/** Defaults per backend: a few seconds at most on the emulated GPU on a 2-core machine, real work on a real one. */
export const DEFAULTS = {
  emulated: { elements: 1 << 20, width: 640, height: 400 },
  native: { elements: 64 << 20, width: 3840, height: 2160 },
  iterations: 256,
  output: 'mandelbrot.png',
  seed: 1,
} as const;

/** Largest prefix sum the app accepts: 2^30 values (4 GiB per buffer). */
const MAX_ELEMENTS = 2 ** 30;
const MAX_IMAGE_SIDE = 32768;

export const USAGE = `usage: vkmap-compute [prefix-sum | mandelbrot] [options]

GPU compute through mapped memory, with the same code and the same SPIR-V on an emulated GPU (no driver
needed) or a real Vulkan device.

commands:
  prefix-sum            inclusive prefix sum of u32 values, written and read back through persistently
                        mapped buffers, verified against the CPU (the default command)
  mandelbrot            the Mandelbrot set in precise float32 arithmetic, written as a PNG

options:
  --backend <name>      emulated (default) or native (a Vulkan driver, such as Mesa's lavapipe)
  --profile <id>        emulated GPU (default ${DEFAULT_PROFILE}); --list-profiles lists them
  --device <index>      native device (default 0); --list-devices lists them
  --size <n>            prefix-sum: values, as 1048576, 4Ki, 1Mi, 64Mi (default 1Mi emulated, 64Mi native)
                        mandelbrot: WIDTHxHEIGHT (default ${DEFAULTS.emulated.width}x${DEFAULTS.emulated.height} emulated, ${DEFAULTS.native.width}x${DEFAULTS.native.height} native)
  --iterations <n>      mandelbrot: iterations per pixel at most (default ${DEFAULTS.iterations})
  --output <file.png>   mandelbrot: the PNG to write (default ${DEFAULTS.output})
  --path <path>         prefix-sum: direct, staging or auto (default auto: direct, and staging too where
                        the device has DEVICE_LOCAL memory that the host cannot map)
  --upload-type <i>     prefix-sum: memory type of the upload buffer (default: non-coherent where the device
                        has such a type, else the allocator's choice)
  --readback-type <i>   prefix-sum: memory type of the readback buffer (default: the allocator's HOST_CACHED choice)
  --skip-flush          prefix-sum: do not flush the uploaded input
  --skip-invalidate     prefix-sum: do not invalidate the results before reading them
  --no-barrier          prefix-sum: record no pipeline barriers
  --no-validate         run without vkmap's validation layer (on by default: --validate)
  --seed <n>            prefix-sum: seed of the input values (default ${DEFAULTS.seed})
  --stats <file.svg>    write the allocator's memory picture
  --json                print the results as JSON
  --list-profiles       list the emulated GPU profiles
  --list-devices        list the native Vulkan devices and their memory types
  -h, --help            print this help

exit status: 0 verified with nothing reported by the validation layer; 1 a wrong result, a validation
report, or an error; 2 bad arguments
`;

const OPTIONS = {
  backend: { type: 'string' },
  profile: { type: 'string' },
  device: { type: 'string' },
  size: { type: 'string' },
  iterations: { type: 'string' },
  output: { type: 'string' },
  path: { type: 'string' },
  'upload-type': { type: 'string' },
  'readback-type': { type: 'string' },
  'skip-flush': { type: 'boolean' },
  'skip-invalidate': { type: 'boolean' },
  'no-barrier': { type: 'boolean' },
  validate: { type: 'boolean' },
  'no-validate': { type: 'boolean' },
  seed: { type: 'string' },
  stats: { type: 'string' },
  json: { type: 'boolean' },
  'list-profiles': { type: 'boolean' },
  'list-devices': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const PREFIX_SUM_ONLY = ['path', 'upload-type', 'readback-type', 'skip-flush', 'skip-invalidate', 'no-barrier', 'seed'];
const MANDELBROT_ONLY = ['iterations', 'output'];

export interface CommandLine {
  readonly command: CommandName;
  readonly backend: BackendName;
  readonly profile: string;
  readonly deviceIndex: number;
  readonly validate: boolean;
  readonly json: boolean;
  readonly stats: string | undefined;
  readonly help: boolean;
  readonly listProfiles: boolean;
  readonly listDevices: boolean;
  readonly elements: number;
  readonly width: number;
  readonly height: number;
  readonly iterations: number;
  readonly output: string;
  readonly path: PathChoice;
  readonly uploadType: number | undefined;
  readonly readbackType: number | undefined;
  readonly skipFlush: boolean;
  readonly skipInvalidate: boolean;
  readonly noBarrier: boolean;
  readonly seed: number;
}

function wholeNumber(option: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--${option} ${text}: not a whole number`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`--${option} ${text}: must be from ${min} to ${max}`);
  return value;
}

const UNITS: Record<string, number> = { '': 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };

/** `1048576`, `4Ki`, `1Mi`, `64Mi`. */
export function parseElementCount(text: string): number {
  const match = /^(\d+)(Ki|Mi|Gi)?$/.exec(text);
  if (!match) throw new UsageError(`--size ${text}: expected a number of values, such as 1048576, 1Mi or 64Mi`);
  const value = Number(match[1]) * UNITS[match[2] ?? '']!;
  if (value < 1 || value > MAX_ELEMENTS) throw new UsageError(`--size ${text}: must be from 1 to 1Gi values`);
  return value;
}

/** `640x400`. */
export function parseImageSize(text: string): { width: number; height: number } {
  const match = /^(\d+)x(\d+)$/.exec(text);
  if (!match) throw new UsageError(`--size ${text}: expected WIDTHxHEIGHT, such as 640x400`);
  const [width, height] = [Number(match[1]), Number(match[2])];
  if (width < 1 || height < 1 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new UsageError(`--size ${text}: each side must be from 1 to ${MAX_IMAGE_SIDE}`);
  }
  return { width, height };
}

/** The command line, checked; throws UsageError naming the first problem. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const quoted = /'([^']*)'/.exec((error as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option '${quoted ?? '?'}'`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const option = /--[a-z-]+/.exec((error as Error).message)?.[0] ?? 'an option';
      throw new UsageError(
        `${option} ${OPTIONS[option.slice(2) as keyof typeof OPTIONS]?.type === 'string' ? 'needs a value' : 'takes no value'}`,
      );
    }
    throw new UsageError((error as Error).message.split('\n')[0]!);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`one command at a time (got ${positionals.join(', ')})`);
  const commandText = positionals[0] ?? 'prefix-sum';
  if (commandText !== 'prefix-sum' && commandText !== 'mandelbrot') {
    throw new UsageError(`unknown command '${commandText}' (prefix-sum or mandelbrot)`);
  }
  const command: CommandName = commandText;

  const backendText = values.backend ?? 'emulated';
  if (backendText !== 'emulated' && backendText !== 'native') {
    throw new UsageError(`--backend ${backendText}: emulated or native`);
  }
  const backend: BackendName = backendText;
  if (values.profile !== undefined && backend !== 'emulated') {
    throw new UsageError('--profile chooses an emulated GPU; with --backend native, --device chooses the device');
  }
  if (values.device !== undefined && backend !== 'native') {
    throw new UsageError('--device chooses a native device (--backend native); --profile chooses an emulated GPU');
  }
  if (values.validate && values['no-validate'])
    throw new UsageError('--validate and --no-validate contradict each other');
  const other = command === 'prefix-sum' ? MANDELBROT_ONLY : PREFIX_SUM_ONLY;
  const misplaced = other.find((name) => values[name as keyof typeof values] !== undefined);
  if (misplaced) {
    throw new UsageError(
      `--${misplaced} applies to ${command === 'prefix-sum' ? 'mandelbrot' : 'prefix-sum'}, not ${command}`,
    );
  }

  const pathText = values.path ?? 'auto';
  if (pathText !== 'auto' && pathText !== 'direct' && pathText !== 'staging') {
    throw new UsageError(`--path ${pathText}: direct, staging or auto`);
  }
  const defaults = DEFAULTS[backend];
  const image =
    command === 'mandelbrot' && values.size !== undefined
      ? parseImageSize(values.size)
      : { width: defaults.width, height: defaults.height };
  const typeIndex = (option: 'upload-type' | 'readback-type') =>
    values[option] === undefined ? undefined : wholeNumber(option, values[option], 0, 31);
  return {
    command,
    backend,
    profile: values.profile ?? DEFAULT_PROFILE,
    deviceIndex: values.device === undefined ? 0 : wholeNumber('device', values.device, 0, 1023),
    validate: !values['no-validate'],
    json: values.json ?? false,
    stats: values.stats,
    help: values.help ?? false,
    listProfiles: values['list-profiles'] ?? false,
    listDevices: values['list-devices'] ?? false,
    elements:
      command === 'prefix-sum' && values.size !== undefined ? parseElementCount(values.size) : defaults.elements,
    width: image.width,
    height: image.height,
    iterations:
      values.iterations === undefined ? DEFAULTS.iterations : wholeNumber('iterations', values.iterations, 1, 1 << 20),
    output: values.output ?? DEFAULTS.output,
    path: pathText,
    uploadType: typeIndex('upload-type'),
    readbackType: typeIndex('readback-type'),
    skipFlush: values['skip-flush'] ?? false,
    skipInvalidate: values['skip-invalidate'] ?? false,
    noBarrier: values['no-barrier'] ?? false,
    seed: values.seed === undefined ? DEFAULTS.seed : wholeNumber('seed', values.seed, 0, 2 ** 32 - 1),
  };
}

/**
 * A file named on the command line, from the directory the user typed the command in: `pnpm compute` runs the
 * app in apps/compute, and says where it was started in INIT_CWD.
 */
function userPath(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

function print(out: Output, lines: readonly string[]): void {
  out.write(`${lines.join('\n')}\n`);
}

function listCommand(args: CommandLine, io: Io): void {
  const profiles = args.listProfiles ? listProfiles() : undefined;
  const devices = args.listDevices ? listNativeDevices() : undefined;
  if (args.json) {
    const listed = profiles && devices ? { profiles, devices } : (profiles ?? devices);
    print(io.stdout, [JSON.stringify(listed, null, 2)]);
    return;
  }
  if (profiles) {
    const width = Math.max(...profiles.map((p) => p.id.length));
    print(io.stdout, [
      'emulated GPU profiles (--profile <id>):',
      ...profiles.map((p) => {
        const notes = [p.nonCoherent ? 'non-coherent host-visible memory' : 'coherent memory only'];
        if (p.deviceOnlyMemory) notes.push('device-only VRAM (staging path)');
        return `  ${p.id.padEnd(width)}  ${p.name} [${notes.join('; ')}]${p.id === DEFAULT_PROFILE ? ' (default)' : ''}`;
      }),
    ]);
  }
  if (devices) {
    print(io.stdout, [
      'native Vulkan devices (--backend native --device <index>):',
      ...devices.flatMap((d) => [
        `  ${d.index}: ${d.name}, Vulkan ${d.apiVersion}`,
        ...d.memoryTypes.map((t) => `     memory type ${t.index}: heap ${t.heapIndex} ${t.properties}`),
      ]),
    ]);
  }
}

/** Runs the app; returns the exit status. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let json = argv.includes('--json');
  try {
    const args = parseCommandLine(argv);
    json = args.json;
    if (args.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    if (args.listProfiles || args.listDevices) {
      listCommand(args, io);
      return 0;
    }
    const gpu = openGpu(args);
    const progress = new Progress(io.stderr);
    try {
      const where = gpu.description.backend === 'emulated' ? 'the emulated GPU' : gpu.description.name;
      let ok: boolean;
      let statsSvg: string;
      if (args.command === 'prefix-sum') {
        const result = await runPrefixSum(gpu, args, progress);
        const wrong = result.runs.filter((run) => !run.verified).length;
        const reports = result.runs.reduce((n, run) => n + run.hazards.length, 0);
        ok = wrong === 0 && reports === 0;
        statsSvg = result.statsSvg;
        if (json) {
          print(io.stdout, [JSON.stringify(prefixSumJson(result, args, gpu.description, gpu.validation, ok), null, 2)]);
        } else {
          const summary = ok
            ? `ok: the prefix sum is verified on ${where}${gpu.description.backend === 'emulated' ? '; the same code and SPIR-V run on a Vulkan driver with --backend native' : ''}`
            : `FAILED: ${[wrong > 0 ? `a wrong result on ${wrong} path${wrong === 1 ? '' : 's'}` : '', reports > 0 ? `${reports} validation report${reports === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ')}`;
          print(io.stdout, [...formatPrefixSum(result, args, gpu.description, gpu.validation), '', summary]);
        }
      } else {
        const result = await runMandelbrot(
          gpu,
          { width: args.width, height: args.height, maxIterations: args.iterations, output: userPath(args.output) },
          progress,
        );
        ok = result.verified && result.hazards.length === 0;
        statsSvg = result.statsSvg;
        if (json) {
          print(io.stdout, [JSON.stringify(mandelbrotJson(result, gpu.description, gpu.validation, ok), null, 2)]);
        } else {
          print(io.stdout, [
            ...formatMandelbrot({ ...result, output: args.output }, gpu.description, gpu.validation),
            '',
            ok ? `ok: ${args.output} written on ${where}` : 'FAILED',
          ]);
        }
      }
      if (args.stats !== undefined) writeFileSync(userPath(args.stats), statsSvg);
      return ok ? 0 : 1;
    } finally {
      progress.end();
      gpu.close();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`vkmap-compute: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(
      `vkmap-compute: ${error instanceof AppError ? '' : `${(error as Error)?.name ?? 'error'}: `}${message}\n`,
    );
    if (process.env.VKMAP_DEBUG === '1' && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    if (json) print(io.stdout, [JSON.stringify({ ok: false, error: message })]);
    return 1;
  }
}
