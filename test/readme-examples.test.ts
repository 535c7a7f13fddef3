// Every ```ts / ```typescript block of every README.md in the repository compiles, as a user would compile
// it: each block becomes its own ES module under test/.readme-examples/ (git-ignored), where @vkmap/* resolve
// to the workspace packages exactly as after `npm install` (their package.json `exports` and built types in
// dist/, so run after `pnpm build`), and one `tsc --noEmit` run checks them all with the repository's strict
// settings (tsconfig.base.json). Top-level await works (.mts, module NodeNext). A snippet that cannot be
// complete is fenced as ```ts-fragment instead, and is not compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const work = join(root, 'test', '.readme-examples');

interface Block {
  readonly readme: string; // relative to the root
  readonly line: number; // line of the opening fence
  readonly file: string; // absolute path of the generated module
  readonly code: string;
}

const skippedDirs = new Set([
  '.git',
  '.cache',
  '.turbo',
  '.readme-examples',
  'node_modules',
  'dist',
  'build',
  'prebuilds',
  'test-results',
]);

function findReadmes(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skippedDirs.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) findReadmes(path, found);
    else if (entry.name === 'README.md') found.push(path);
  }
  return found;
}

function extractBlocks(readmePath: string): Block[] {
  const readme = relative(root, readmePath);
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fence = '', language = ''] = open;
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[end]!)) end++;
    if (language === 'ts' || language === 'typescript') {
      const code = lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join('\n');
      const slug = readme.replace(/[^a-zA-Z0-9]+/g, '_');
      blocks.push({ readme, line: i + 1, file: join(work, `${slug}_L${i + 1}.mts`), code });
    }
    i = end;
  }
  return blocks;
}

const blocks = findReadmes(root).sort().flatMap(extractBlocks);

interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly text: string;
}
const diagnostics: Diagnostic[] = [];
let tscOutput = '';
let tscStatus: number | null = null;

/** One `tsc --noEmit` over the given modules with tsconfig.base.json; its diagnostics. */
function runTsc(files: readonly string[]): Diagnostic[] {
  writeFileSync(
    join(work, 'tsconfig.json'),
    `${JSON.stringify(
      {
        extends: '../../tsconfig.base.json',
        compilerOptions: { noEmit: true },
        files: files.map((f) => relative(work, f)),
      },
      null,
      2,
    )}\n`,
  );
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(work, 'tsconfig.json'), '--pretty', 'false'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  tscStatus = tsc.status;
  tscOutput = `${tsc.stdout}${tsc.stderr}`;
  // "path(line,col): error TS1234: message", continuation lines indented.
  const found: Diagnostic[] = [];
  for (const raw of tscOutput.split('\n')) {
    const match = /^(.+?)\((\d+),(\d+)\): (error .*)$/.exec(raw);
    if (match)
      found.push({ file: resolve(root, match[1]!), line: Number(match[2]), column: Number(match[3]), text: match[4]! });
    else if (raw.startsWith(' ') && found.length > 0) {
      const last = found.pop()!;
      found.push({ ...last, text: `${last.text}\n${raw}` });
    }
  }
  if (tsc.status !== 0 && found.length === 0) {
    found.push({
      file: join(work, 'tsconfig.json'),
      line: 1,
      column: 1,
      text: `tsc exited with ${tsc.status ?? tsc.signal}: ${tscOutput.trim()}`,
    });
  }
  return found;
}

/** The workspace packages by name, so that `@vkmap/x` resolves from the examples as from an installed app. */
function linkWorkspacePackages(): void {
  for (const group of ['packages', 'apps']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const dir of readdirSync(groupDir)) {
      const manifest = join(groupDir, dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (!name) continue;
      const link = join(work, 'node_modules', ...name.split('/'));
      mkdirSync(resolve(link, '..'), { recursive: true });
      symlinkSync(join(groupDir, dir), link, 'dir');
    }
  }
}

beforeAll(() => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, '.gitignore'), '*\n');
  linkWorkspacePackages();
  for (const block of blocks) writeFileSync(block.file, `${block.code}\n`);
  // tsc reports type errors only when no file has a syntax error: a second run leaves those files out.
  let files = blocks.map((b) => b.file);
  for (let pass = 0; pass < 2 && files.length > 0; pass++) {
    const found = runTsc(files);
    diagnostics.push(...found);
    const unparsable = new Set(found.filter((d) => /^error TS1\d{3}:/.test(d.text)).map((d) => d.file));
    if (unparsable.size === 0) break;
    files = files.filter((f) => !unparsable.has(f));
  }
}, 120_000);

describe('README examples compile (tsc, tsconfig.base.json)', () => {
  it('finds the examples', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  for (const block of blocks) {
    it(`${block.readme}:${block.line}`, () => {
      const own = diagnostics.filter((d) => d.file === block.file);
      if (own.length > 0) {
        // Lines of the generated module are lines of the block: README line = fence line + module line.
        const messages = own.map((d) => `${block.readme}:${block.line + d.line}:${d.column} ${d.text}`).join('\n');
        throw new Error(`the example does not compile:\n${messages}`);
      }
    });
  }

  it('tsc reports nothing outside the examples', () => {
    const blockFiles = new Set(blocks.map((b) => b.file));
    const others = diagnostics.filter((d) => !blockFiles.has(d.file));
    expect(others.map((d) => `${relative(root, d.file)}:${d.line}:${d.column} ${d.text}`)).toEqual([]);
    if (diagnostics.length === 0) expect(tscOutput.trim(), `tsc exited with ${tscStatus}`).toBe('');
  });
});
