/**
 * The prebuilt addons the npm package ships (scripts/prebuild.sh): built once into a temporary directory,
 * then checked: the ELF machine of each, the newest glibc / libstdc++ symbol versions they need (objdump -T),
 * that node-gyp-build picks them for their platform, and that each loads in a Node of its architecture
 * (the other architecture's Node from npm, under qemu-user) and answers a call that needs no Vulkan.
 *
 * A test that cannot run here (no cross compiler, no qemu) is skipped with the reason in its name; with
 * VKMAP_REQUIRE_PREBUILDS=1 (CI, after scripts/setup-cross.sh) it runs and fails instead.
 *
 * Also: the install script never fails an install for want of a compiler (scripts/install.mjs).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREBUILT_GLIBC_FLOOR } from '../src/binding.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const repo = join(pkg, '..', '..');
const required = process.env.VKMAP_REQUIRE_PREBUILDS === '1';
const FILE = '@vkmap+native.glibc.node';
// libstdc++ stays dynamic, as in Node's own binaries (official Node 20-24 need GLIBCXX_3.4.21 and
// CXXABI_1.3.11 or newer); the addon must not need more than GCC 5's libstdc++.
const GLIBCXX_CEILING = '3.4.21';
const CXXABI_CEILING = '1.3.9';

interface Target {
  arch: 'x64' | 'arm64';
  machine: number; // ELF e_machine
  machineName: string;
  triple: string;
  qemu: string;
}
const targets: Target[] = [
  { arch: 'x64', machine: 62, machineName: 'x86-64', triple: 'x86_64-linux-gnu', qemu: 'qemu-x86_64' },
  { arch: 'arm64', machine: 183, machineName: 'AArch64', triple: 'aarch64-linux-gnu', qemu: 'qemu-aarch64' },
];

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {}
  }
  return undefined;
}

const native = (t: Target) => t.arch === process.arch;
const compilerOf = (t: Target) => (native(t) ? process.env.CXX?.split(' ')[0] || 'g++' : `${t.triple}-g++`);
const objdumpOf = (t: Target) => (!native(t) && which(`${t.triple}-objdump`)) || 'objdump';

/** Why linux-<arch> cannot be built here ('' when it can). */
function buildBlocker(t: Target): string {
  if (process.platform !== 'linux') return `prebuilds are built on Linux, this is ${process.platform}`;
  if (process.arch !== 'x64' && process.arch !== 'arm64') return `no build recipe on a ${process.arch} machine`;
  if (!which(compilerOf(t))) return `${compilerOf(t)} not found; run scripts/setup-cross.sh`;
  if (!which('objdump')) return 'objdump (binutils) not found';
  return '';
}

/** A Node binary of the target's architecture and how to run it, or why there is none. */
function runnerOf(t: Target): { command: string[]; env: Record<string, string> } | string {
  if (native(t)) return { command: [process.execPath], env: {} };
  if (!which(t.qemu)) return `${t.qemu} not found; run scripts/setup-cross.sh`;
  if (!existsSync(`/usr/${t.triple}/lib`))
    return `/usr/${t.triple} (the ${t.arch} C library) not found; run scripts/setup-cross.sh`;
  const node = spawnSync('bash', [join(repo, 'scripts', 'node-runtime.sh'), '24', t.arch], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (node.status !== 0)
    return `no ${t.arch} Node from npm (scripts/node-runtime.sh 24 ${t.arch}: ${node.stderr.trim().split('\n').pop()})`;
  return { command: [t.qemu, node.stdout.trim()], env: { QEMU_LD_PREFIX: `/usr/${t.triple}` } };
}

/** Whether dotted version a <= b. */
function versionLe(a: string, b: string): boolean {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  }
  return true;
}

/** Every version of `prefix` (GLIBC, GLIBCXX, CXXABI) the file's dynamic symbols need, newest last. */
function versionsNeeded(objdump: string, file: string, prefix: string): string[] {
  const table = execFileSync(objdump, ['-T', file], { encoding: 'utf8' });
  const found = new Set([...table.matchAll(new RegExp(`\\(${prefix}_([0-9.]+)\\)`, 'g'))].map((m) => m[1]!));
  return [...found].sort((a, b) => (versionLe(a, b) ? (a === b ? 0 : -1) : 1));
}

const blockers = new Map(targets.map((t) => [t.arch, buildBlocker(t)]));
/** Appended to a test's name when it is skipped. */
const note = (why: string) => (why && !required ? ` (skipped: ${why})` : '');
const skip = (why: string) => !!why && !required;

const work = mkdtempSync(join(tmpdir(), 'vkmap-prebuilds-'));
const out = join(work, 'prebuilds');
const buildErrors = new Map<string, Error>();
afterAll(() => rmSync(work, { recursive: true, force: true }));

// One run per architecture, so that a missing cross compiler fails only its own tests.
beforeAll(() => {
  for (const t of targets) {
    if (blockers.get(t.arch) && !required) continue;
    try {
      execFileSync('bash', [join(pkg, 'scripts', 'prebuild.sh'), '--out', out, t.arch], {
        cwd: pkg,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      const why = (e.stderr ?? '').trim().split('\n').slice(-8).join('\n') || e.message;
      buildErrors.set(t.arch, new Error(`scripts/prebuild.sh ${t.arch} failed: ${why}`));
    }
  }
}, 240_000);

describe.each(targets.map((t) => [t.arch, t] as const))('prebuilds/linux-%s', (_arch, t) => {
  const file = join(out, `linux-${t.arch}`, FILE);
  const blocker = blockers.get(t.arch)!;
  const built = () => {
    const error = buildErrors.get(t.arch);
    if (error) throw error;
    return file;
  };

  it.skipIf(skip(blocker))(`is a 64-bit ${t.machineName} ELF shared object named ${FILE}${note(blocker)}`, () => {
    const elf = readFileSync(built());
    expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(elf[4], 'ELFCLASS64').toBe(2);
    expect(elf.readUInt16LE(16), 'ET_DYN').toBe(3);
    expect(elf.readUInt16LE(18), `e_machine ${t.machineName}`).toBe(t.machine);
  });

  it.skipIf(skip(blocker))(
    `needs glibc <= ${PREBUILT_GLIBC_FLOOR}, GLIBCXX <= ${GLIBCXX_CEILING} and CXXABI <= ${CXXABI_CEILING} (objdump -T)${note(blocker)}`,
    () => {
      const objdump = objdumpOf(t);
      const glibc = versionsNeeded(objdump, built(), 'GLIBC');
      expect(glibc.length).toBeGreaterThan(0);
      expect(glibc.at(-1), `GLIBC versions needed: ${glibc.join(', ')}`).toSatisfy((v: string) =>
        versionLe(v, PREBUILT_GLIBC_FLOOR),
      );
      const glibcxx = versionsNeeded(objdump, file, 'GLIBCXX');
      expect(glibcxx.at(-1) ?? '0', `GLIBCXX: ${glibcxx.join(', ')}`).toSatisfy((v: string) =>
        versionLe(v, GLIBCXX_CEILING),
      );
      const cxxabi = versionsNeeded(objdump, file, 'CXXABI');
      expect(cxxabi.at(-1) ?? '0', `CXXABI: ${cxxabi.join(', ')}`).toSatisfy((v: string) =>
        versionLe(v, CXXABI_CEILING),
      );
      expect(execFileSync(objdump, ['-T', file], { encoding: 'utf8' })).not.toContain('GLIBC_PRIVATE');
    },
  );

  it.skipIf(skip(blocker))(
    `is what node-gyp-build picks on linux-${t.arch} with glibc, and not with musl${note(blocker)}`,
    () => {
      built();
      const ngb = createRequire(import.meta.url).resolve('node-gyp-build');
      const pick = (libc: string) =>
        execFileSync(
          process.execPath,
          [
            '-e',
            `try { console.log(require(${JSON.stringify(ngb)}).resolve(${JSON.stringify(work)})) } catch { console.log('none') }`,
          ],
          {
            env: {
              ...process.env,
              npm_config_arch: t.arch,
              npm_config_platform: 'linux',
              LIBC: libc,
              PREBUILDS_ONLY: '1',
            },
            encoding: 'utf8',
          },
        ).trim();
      expect(pick('glibc')).toBe(file);
      expect(pick('musl')).toBe('none');
    },
  );

  // Asked while the tests are collected, so that a skip can say why; installs the arm64 Node on first use.
  const runner = blocker || runnerOf(t);
  const loadWhy = typeof runner === 'string' ? runner : '';

  it.skipIf(skip(loadWhy))(
    `loads in ${native(t) ? 'this' : `an ${t.arch}`} Node${native(t) ? '' : ` under ${t.qemu}`} and answers pageSize() and loaderInfo()${note(loadWhy)}`,
    () => {
      built();
      const run = runner;
      if (typeof run === 'string') throw new Error(run);
      const [command, ...args] = run.command;
      const script = `const b = require(${JSON.stringify(file)}); const l = b.loaderInfo();
        console.log(JSON.stringify({ arch: process.arch, page: b.pageSize(), loaded: l.loaded, hint: l.installHint }))`;
      const result = JSON.parse(
        execFileSync(command!, [...args, '-e', script], {
          env: { ...process.env, ...run.env },
          encoding: 'utf8',
          timeout: 120_000,
        }).trim(),
      ) as { arch: string; page: number; loaded: boolean; hint: string };
      expect(result.arch).toBe(t.arch);
      expect(result.page).toBeGreaterThanOrEqual(4096);
      expect(result.page & (result.page - 1)).toBe(0);
      expect(typeof result.loaded).toBe('boolean');
      expect(result.hint).toContain('libvulkan1');
    },
    180_000,
  );
});

describe('install without a compiler', () => {
  /** A copy of the package without prebuilds or build/, inside a fake monorepo or not. */
  function copyPackage(inMonorepo: boolean): string {
    const base = mkdtempSync(join(work, 'install-'));
    const dir = inMonorepo ? join(base, 'packages', 'native') : join(base, 'node_modules', '@vkmap', 'native');
    mkdirSync(join(dir, 'scripts'), { recursive: true });
    if (inMonorepo) writeFileSync(join(base, 'pnpm-workspace.yaml'), 'packages: [packages/*]\n');
    for (const f of ['package.json', 'binding.gyp', 'scripts/install.mjs']) cpSync(join(pkg, f), join(dir, f));
    cpSync(join(pkg, 'src', 'addon'), join(dir, 'src', 'addon'), { recursive: true });
    symlinkSync(join(pkg, 'node_modules'), join(dir, 'node_modules'));
    return dir;
  }

  function install(dir: string, env: Record<string, string>) {
    const result = spawnSync(process.execPath, ['scripts/install.mjs'], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const lines = `${result.stdout}${result.stderr}`.split('\n').filter(Boolean);
    return { status: result.status, lines };
  }

  it.skipIf(process.platform !== 'linux')(
    `exits 0 with one warning line for an npm user with no toolchain${process.platform === 'linux' ? '' : ' (skipped: not Linux)'}`,
    () => {
      const bin = join(work, 'node-only-bin');
      mkdirSync(bin, { recursive: true });
      if (!existsSync(join(bin, 'node'))) symlinkSync(process.execPath, join(bin, 'node'));
      const { status, lines } = install(copyPackage(false), { HOME: work, PATH: bin });
      expect(status).toBe(0);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^@vkmap\/native: warning: the native Vulkan backend is unavailable on linux-/);
      expect(lines[0]).toContain('missing a C++ compiler (c++, g++ or clang++), make, python3');
      expect(lines[0]).toContain('npm rebuild @vkmap/native');
      expect(lines[0]).toContain('@vkmap/emulated');
    },
  );

  it.skipIf(process.platform !== 'linux')(
    `exits 0 with one warning line in the monorepo when the compiler fails${process.platform === 'linux' ? '' : ' (skipped: not Linux)'}`,
    () => {
      const dir = copyPackage(true);
      const { status, lines } = install(dir, { ...process.env, CXX: '/bin/false' } as Record<string, string>);
      expect(status).toBe(0);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('building it from source failed (compiling src/addon/');
      expect(lines[0]).toContain('with /bin/false failed');
      expect(lines[0]).toContain(`log: ${join(dir, 'build', 'node-gyp.log')}`);
      expect(existsSync(join(dir, 'build', 'node-gyp.log'))).toBe(true);
    },
    120_000,
  );
});
