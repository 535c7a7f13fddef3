#!/usr/bin/env node
// Builds the CommonJS twin of a package's ES module build. Run in a package directory after
// `tsc -p tsconfig.build.json` has written dist/**/*.js and dist/**/*.d.ts; it writes, next to them:
//   dist/**/*.cjs    one file per source file (relative imports point at the .cjs twins), with source maps
//   dist/**/*.d.cts  the declarations, with relative imports pointing at the .d.cts twins
// Same directory as the ES module build, so a path computed from the module's own location
// (`new URL('..', import.meta.url)`) means the same thing in both builds.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = process.cwd();
const src = join(packageDir, 'src');
const dist = join(packageDir, 'dist');

/**
 * Dependencies that refuse require() (vitest throws "cannot be imported in a CommonJS module"). The
 * CommonJS build loads them on first use, so the rest of a package still works from require().
 */
const REQUIRE_ON_FIRST_USE = ['vitest'];

function filesUnder(dir, keep) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

// `import.meta.url` of a CommonJS module: its own file, so createRequire and relative URLs still work.
const importMetaShim = fileURLToPath(new URL('./cjs-import-meta.js', import.meta.url));

/** Every relative import stays a separate module: `./x.js` becomes `./x.cjs`. */
const relativeImportsToCjs = {
  name: 'relative-imports-to-cjs',
  setup(builder) {
    // Side-effect free, so the shim lands only in the modules that use it.
    builder.onResolve({ filter: /cjs-import-meta\.js$/ }, (args) => ({ path: args.path, sideEffects: false }));
    builder.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      return { path: args.path.replace(/\.js$/, '.cjs'), external: true };
    });
  },
};

/**
 * Replaces `import { a } from 'vitest'` with stand-ins that require vitest when first called or read, so
 * the rest of the package loads from require() and only the parts that need vitest say they need import.
 */
const requireOnFirstUse = {
  name: 'require-on-first-use',
  setup(builder) {
    const filter = new RegExp(`^(${REQUIRE_ON_FIRST_USE.join('|')})$`);
    builder.onResolve({ filter }, (args) =>
      args.namespace === 'require-on-first-use' ? undefined : { path: args.path, namespace: 'require-on-first-use' },
    );
    builder.onLoad({ filter: /.*/, namespace: 'require-on-first-use' }, async (args) => {
      const names = Object.keys(await import(args.path)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
      const message = `${args.path} can only be loaded as an ES module: import this package (test files are ES modules) rather than require() it`;
      const contents = `let loaded;
function load() {
  if (loaded === undefined) {
    try {
      loaded = require(${JSON.stringify(args.path)});
    } catch (error) {
      throw new Error(${JSON.stringify(message)}, { cause: error });
    }
  }
  return loaded;
}
function onFirstUse(name) {
  return new Proxy(() => {}, {
    apply: (_target, self, args) => Reflect.apply(load()[name], self, args),
    get: (_target, key) => load()[name][key],
  });
}
${names.map((name) => `export const ${name} = /* @__PURE__ */ onFirstUse(${JSON.stringify(name)});`).join('\n')}
`;
      return { contents, loader: 'js', resolveDir: packageDir };
    });
  },
};

await build({
  absWorkingDir: packageDir,
  entryPoints: filesUnder(src, (name) => name.endsWith('.ts') && !name.endsWith('.d.ts')),
  outdir: dist,
  outbase: src,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  packages: 'external',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  tsconfig: join(packageDir, 'tsconfig.build.json'),
  treeShaking: true,
  sourcemap: true,
  sourcesContent: true,
  define: { 'import.meta.url': 'import_meta_url' },
  inject: [importMetaShim],
  plugins: [relativeImportsToCjs, requireOnFirstUse],
  logLevel: 'warning',
});

/** `./x.js` -> `./x.cjs` in import and export specifiers and import() types of a declaration file. */
function toCjsSpecifiers(text) {
  return text.replace(/(\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)(['"])(\.\.?\/[^'"]*?)\.js\2/gm, '$1$2$3.cjs$2');
}

for (const declaration of filesUnder(dist, (name) => name.endsWith('.d.ts'))) {
  const twin = declaration.replace(/\.d\.ts$/, '.d.cts');
  const name = relative(dirname(declaration), declaration);
  const text = readFileSync(declaration, 'utf8').replace(
    `//# sourceMappingURL=${name}.map`,
    `//# sourceMappingURL=${name.replace(/\.d\.ts$/, '.d.cts')}.map`,
  );
  writeFileSync(twin, toCjsSpecifiers(text));
  let map;
  try {
    map = JSON.parse(readFileSync(`${declaration}.map`, 'utf8'));
  } catch {
    continue;
  }
  map.file = relative(dirname(twin), twin);
  writeFileSync(`${twin}.map`, JSON.stringify(map));
}
