import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatCell, MatrixRecorder, renderMatrix, totals, writeMatrix } from '../src/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sample(suite: string): MatrixRecorder {
  const matrix = new MatrixRecorder(suite);
  matrix.register('gpu-a', 'mapping');
  matrix.register('gpu-a', 'mapping');
  matrix.register('gpu-a', 'mapping');
  matrix.recordOutcome('gpu-a', 'mapping', 'case one', true);
  matrix.recordOutcome('gpu-a', 'mapping', 'case two', false);
  matrix.recordSkip('gpu-a', 'placed', 'device has no memoryMapPlaced');
  matrix.recordSkip('gpu-a', 'placed', 'device has no memoryMapPlaced');
  return matrix;
}

describe('the conformance matrix', () => {
  it('counts passed, failed, not run and skipped-with-reason per cell', () => {
    const row = sample('emulated').fragment().rows[0]!;
    expect(row.row).toBe('emulated / gpu-a');
    expect(formatCell(row.cells.mapping)).toBe('**1 failed**, 1 passed, 1 not run');
    expect(formatCell(row.cells.placed)).toBe('2 skipped: device has no memoryMapPlaced');
    expect(formatCell(row.cells.detach)).toBe('-');
    expect(totals([sample('x').fragment()])).toEqual({ passed: 1, failed: 1, skipped: 2, notRun: 1 });
  });

  it('renders one table row per backend and device, and lists the failed tests', () => {
    const text = renderMatrix([sample('emulated').fragment(), sample('native').fragment()]);
    expect(text).toContain(
      '| backend / device | mapping cases | random ops | placed maps | error results | detachment | device transfers | compute | misuse |',
    );
    expect(text).toContain(
      '| native / gpu-a | **1 failed**, 1 passed, 1 not run | - | 2 skipped: device has no memoryMapPlaced | - | - | - | - | - |',
    );
    expect(text).toContain('- emulated / gpu-a > mapping cases > case two');
    expect(text).toContain('Totals: 2 passed, 2 failed, 4 skipped, 2 not run.');
  });

  it('combines the fragments of every suite into one Markdown and one JSON file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vkmap-matrix-'));
    dirs.push(dir);
    writeMatrix(sample('emulated').fragment(), dir);
    const written = writeMatrix(sample('emulated+validation').fragment(), dir);
    expect(written.fragments.map((f) => f.suite)).toEqual(['emulated', 'emulated+validation']);
    const markdown = readFileSync(written.markdownPath, 'utf8');
    expect(markdown).toContain('| emulated / gpu-a |');
    expect(markdown).toContain('| emulated+validation / gpu-a |');
    const json = JSON.parse(readFileSync(written.jsonPath, 'utf8'));
    expect(json.totals).toEqual({ passed: 2, failed: 2, skipped: 4, notRun: 2 });
    // A suite run again replaces its own fragment.
    expect(writeMatrix(sample('emulated').fragment(), dir).fragments).toHaveLength(2);
  });
});
