// What each published tarball holds and declares: publint --strict and arethetypeswrong report nothing,
// no stale module ships, and the metadata a registry page and a bug report need is there.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { root } from './install.js';
import { PUBLISHED } from './tarballs.setup.js';

const tarballs = inject('tarballs');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

function run(command: string, args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return {
    status: result.status,
    output: `$ ${[command, ...args].map((a) => relative(root, a) || a).join(' ')}\n${result.stdout}${result.stderr}`,
  };
}

function listing(tarball: string): string[] {
  const tar = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
  return tar.stdout
    .split('\n')
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ''));
}

function sourceModules(pkg: string): string[] {
  const src = join(root, 'packages', pkg, 'src');
  return readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))
    .map((path) => path.replace(/\.ts$/, ''))
    .sort();
}

describe.each(PUBLISHED)('@vkmap/%s as published', (pkg) => {
  const tarball = tarballs[pkg];
  const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  > & {
    scripts: Record<string, string>;
  };

  it('publint --strict reports nothing', () => {
    const { status, output } = run(bin('publint'), ['--strict', tarball]);
    expect(status, output).toBe(0);
    expect(output, output).toMatch(/All good!/);
  });

  it('arethetypeswrong reports nothing for import and require, node10, node16 and bundlers', () => {
    const { status, output } = run(bin('attw'), [tarball, '--format', 'table-flipped']);
    expect(status, output).toBe(0);
    expect(output, output).toMatch(/No problems found/);
  });

  it('ships an ES module, a CommonJS module and both declarations for every source module, and nothing stale', () => {
    const files = listing(tarball);
    const built = (ext: string) =>
      files
        .filter((path) => path.startsWith('dist/') && path.endsWith(ext))
        .map((path) => path.slice('dist/'.length, -ext.length))
        .sort();
    const modules = sourceModules(pkg);
    for (const ext of ['.js', '.cjs', '.d.ts', '.d.cts', '.js.map', '.cjs.map'])
      expect(built(ext), `dist/**/*${ext}`).toEqual(modules);
    expect(files).toContain('LICENSE');
    expect(files).toContain('README.md');
  });

  it('source maps carry their sources', () => {
    for (const file of ['dist/index.js.map', 'dist/index.cjs.map']) {
      const text = spawnSync('tar', ['-xzOf', tarball, `package/${file}`], { encoding: 'utf8' }).stdout;
      const map = JSON.parse(text) as { sources: string[]; sourcesContent?: string[] };
      expect(map.sources).toEqual(['../src/index.ts']);
      expect(map.sourcesContent?.[0]).toMatch(/export/);
    }
  });

  it('declares its repository, homepage, bugs, license, engines and a clean prepack build', () => {
    expect(manifest.license).toBe('MIT');
    expect(manifest.repository).toEqual({
      type: 'git',
      url: 'git+https://github.com/vkmap/vkmap.git',
      directory: `packages/${pkg}`,
    });
    expect(manifest.homepage).toBe(`https://github.com/vkmap/vkmap/tree/main/packages/${pkg}#readme`);
    expect(manifest.bugs).toEqual({ url: 'https://github.com/vkmap/vkmap/issues' });
    expect(manifest.engines).toEqual({ node: '^20.19.0 || ^22.12.0 || >=24.0.0' });
    expect(manifest.scripts.prepack).toMatch(/^rm -rf dist\b.*&& pnpm run build\b/);
    // Every package built on the contract takes core as a peer; @vkmap/spirv does not use core at all.
    if (pkg !== 'core' && pkg !== 'spirv') {
      expect(manifest.peerDependencies).toMatchObject({ '@vkmap/core': 'workspace:^' });
      expect(manifest.dependencies ?? {}).not.toHaveProperty('@vkmap/core');
    }
  });
});

it('the repository root has the MIT license and the same engines', () => {
  expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(
    /^MIT License\n\nCopyright \(c\) 2026 the vkmap authors\n/,
  );
  for (const pkg of PUBLISHED)
    expect(readFileSync(join(root, 'packages', pkg, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(root, 'LICENSE'), 'utf8'),
    );
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
  expect(manifest.engines.node).toBe('^20.19.0 || ^22.12.0 || >=24.0.0');
});
