/**
 * Keeps the coverage table honest: every rule and hazard of the catalogue is either named by a test title in
 * this folder or below it (the `negative` helpers put the asserted identifiers first in the title; the compute
 * chapters' suite in compute/ runs on every backend) or marked not applicable with a reason.
 * `pnpm --filter @vkmap/core vuid-coverage` prints the table from the passing tests.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isKnownVuid, VUID_CATALOGUE, vuidEntry, vuidUrl, type KnownVuid } from '@vkmap/core';

const here = fileURLToPath(new URL('.', import.meta.url));
/** A rule's name, an unassigned identifier of the Khronos layer, or a host-access hazard's identifier. */
const VUID_TOKEN = /(?:VUID|UNASSIGNED|VKMAP)-[\w-]*\w/g;

/**
 * The identifiers named in test titles of this folder and below: `negative([...], ...)` lists and
 * `it('VUID-...')` titles, in test files and in the suites they run.
 */
function rulesNamedByTests(): Map<string, string[]> {
  const named = new Map<string, string[]>();
  const note = (vuid: string, file: string) => named.set(vuid, [...(named.get(vuid) ?? []), file]);
  const files = readdirSync(here, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && f !== 'coverage.test.ts' && f !== 'helpers.ts',
  );
  for (const file of files) {
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

  it('holds the 78 rules of the family, the compute rules and the host-access hazards, each once', () => {
    const ids = VUID_CATALOGUE.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const count = (group: string) =>
      VUID_CATALOGUE.filter((e) => e.group === group && !('supplementary' in e) && !('unassigned' in e)).length;
    expect(count('mapping')).toBe(78);
    expect(count('compute')).toBe(57);
    expect(count('host-access')).toBe(6);
    expect(VUID_CATALOGUE.filter((e) => 'unassigned' in e).map((e) => [e.group, e.id])).toEqual([
      ['mapping', 'UNASSIGNED-VkMemoryMapInfo-memory-parent'],
      ['mapping', 'UNASSIGNED-VkMemoryUnmapInfo-memory-parent'],
      ['mapping', 'UNASSIGNED-VkMappedMemoryRange-memory-device'],
      ['compute', 'UNASSIGNED-DrawState-CommandBufferSingleSubmitViolation'],
    ]);
    for (const e of VUID_CATALOGUE) {
      expect(e.id.startsWith('UNASSIGNED-'), e.id).toBe('unassigned' in e);
      expect(e.id.startsWith('VKMAP-HOST-'), e.id).toBe(e.group === 'host-access' && 'hazard' in e);
    }
  });

  it('records the 1.3.239 numbers of renumbered compute rules, each known and linked to its current rule', () => {
    const renamed = VUID_CATALOGUE.flatMap((e) => e.renamedFrom.map((old) => [old, e.id] as const));
    expect(renamed).toEqual(
      expect.arrayContaining([
        ['VUID-vkBindBufferMemory-memoryOffset-01036', 'VUID-vkBindBufferMemory-None-10739'],
        ['VUID-vkBindBufferMemory-size-01037', 'VUID-vkBindBufferMemory-None-10741'],
        ['VUID-VkComputePipelineCreateInfo-layout-00703', 'VUID-VkComputePipelineCreateInfo-layout-07988'],
      ]),
    );
    // 00703 said all five of the pipeline-against-layout rules at once: it links to the first of them.
    for (const [old] of renamed) {
      expect(isKnownVuid(old), old).toBe(true);
      expect(vuidEntry(old as KnownVuid).renamedFrom).toContain(old);
    }
    expect(vuidUrl('VUID-vkBindBufferMemory-size-01037' as KnownVuid)).toBe(
      vuidUrl('VUID-vkBindBufferMemory-None-10741'),
    );
    expect(vuidUrl('VUID-VkComputePipelineCreateInfo-layout-00703' as KnownVuid)).toBe(
      vuidUrl('VUID-VkComputePipelineCreateInfo-layout-07987'),
    );
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
