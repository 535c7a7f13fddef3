/**
 * Keeps the coverage table honest: every rule of the catalogue is either named by a test title in this
 * folder (the `negative` helper puts the asserted rules first in the title) or marked not applicable
 * with a reason. `pnpm --filter @vkmap/core vuid-coverage` prints the table from the passing tests.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VUID_CATALOGUE } from '@vkmap/core';

const here = fileURLToPath(new URL('.', import.meta.url));
/** A rule's name, or an unassigned identifier of the Khronos layer. */
const VUID_TOKEN = /(?:VUID|UNASSIGNED)-\w+-\w+-\w+/g;

/** The rules named in test titles of this folder: `negative([...], ...)` lists and `it('VUID-...')` titles. */
function rulesNamedByTests(): Map<string, string[]> {
  const named = new Map<string, string[]>();
  const note = (vuid: string, file: string) => named.set(vuid, [...(named.get(vuid) ?? []), file]);
  for (const file of readdirSync(here).filter((f) => f.endsWith('.test.ts') && f !== 'coverage.test.ts')) {
    const source = readFileSync(`${here}/${file}`, 'utf8');
    for (const [, list] of source.matchAll(/negative\(\s*\[([^\]]*)\]/g))
      for (const [v] of list!.matchAll(VUID_TOKEN)) note(v, file);
    for (const [, title] of source.matchAll(/\bit\(\s*'([^']*)'/g))
      for (const [v] of title!.matchAll(VUID_TOKEN)) note(v, file);
  }
  return named;
}

describe('VUID coverage', () => {
  const named = rulesNamedByTests();

  it('holds the 78 rules of the family plus the supplementary and unassigned ones, each once', () => {
    const ids = VUID_CATALOGUE.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(VUID_CATALOGUE.filter((e) => !('supplementary' in e) && !('unassigned' in e)).length).toBe(78);
    for (const e of VUID_CATALOGUE) expect(e.id.startsWith('UNASSIGNED-'), e.id).toBe('unassigned' in e);
  });

  it('names every reachable rule in a test title, and marks every other rule not applicable with a reason', () => {
    const uncovered = VUID_CATALOGUE.filter((e) => !('notApplicable' in e) && !named.has(e.id)).map((e) => e.id);
    expect(uncovered).toEqual([]);
    for (const e of VUID_CATALOGUE) {
      if ('notApplicable' in e) expect(e.notApplicable?.length ?? 0, e.id).toBeGreaterThan(40);
    }
  });

  it('has no test claiming a rule marked not applicable, or a rule the catalogue does not know', () => {
    const known = new Set<string>(VUID_CATALOGUE.map((e) => e.id));
    const aliases = new Set<string>(VUID_CATALOGUE.flatMap((e) => e.khrAliases));
    const notApplicable = new Set<string>(VUID_CATALOGUE.filter((e) => 'notApplicable' in e).map((e) => e.id));
    const claimed = [...named.keys()].filter((v) => notApplicable.has(v) || (!known.has(v) && !aliases.has(v)));
    // The retired 09576 is named once, by the test that checks the layer does not know it.
    expect(claimed).toEqual(['VUID-VkMemoryMapPlacedInfoEXT-flags-09576']);
  });

  it('spells each KHR alias as the 1.4 name with KHR after the command or structure', () => {
    for (const e of VUID_CATALOGUE) {
      // The Khronos layer reports an unassigned identifier under one spelling through either entry point.
      const expected =
        /^(vkMapMemory2|vkUnmapMemory2|VkMemoryMapInfo|VkMemoryUnmapInfo)$/.test(e.scope) && !('unassigned' in e)
          ? [e.id.replace(`-${e.scope}-`, `-${e.scope}KHR-`)]
          : [];
      expect(e.khrAliases, e.id).toEqual(expected);
    }
  });

  it('writes the catalogue for the coverage command when asked', () => {
    const out = process.env.VKMAP_VUID_CATALOGUE_OUT;
    if (out) writeFileSync(out, JSON.stringify(VUID_CATALOGUE, null, 1));
    expect(VUID_CATALOGUE.length).toBeGreaterThan(0);
  });
});
