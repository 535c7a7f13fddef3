// Injected by scripts/build-cjs.mjs into the CommonJS modules that read `import.meta.url` (and only those).
function fileUrlOf(path) {
  return require('node:url').pathToFileURL(path).href;
}
export const import_meta_url = /* @__PURE__ */ fileUrlOf(__filename);
