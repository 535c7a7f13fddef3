/**
 * The conformance matrix: one row per backend and device (profile), one column per scenario group, each
 * cell counting passed, failed, skipped (with the reasons) and not-run tests. Each suite writes its own
 * fragment; the combined table is rebuilt from every fragment under one results directory.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const SCENARIO_GROUPS = [
  'mapping',
  'random-ops',
  'placed',
  'errors',
  'detach',
  'transfers',
  'compute',
  'misuse',
] as const;
export type ScenarioGroup = (typeof SCENARIO_GROUPS)[number];

export const GROUP_TITLES: Readonly<Record<ScenarioGroup, string>> = {
  mapping: 'mapping cases',
  'random-ops': 'random ops',
  placed: 'placed maps',
  errors: 'error results',
  detach: 'detachment',
  transfers: 'device transfers',
  compute: 'compute',
  misuse: 'misuse',
};

export interface MatrixCell {
  registered: number;
  passed: number;
  failed: number;
  /** Titles of failed tests. */
  failures: string[];
  /** Reason -> how many tests were skipped for it. */
  skipped: Record<string, number>;
}

export interface MatrixRow {
  /** "emulated+validation / nvidia-h100". */
  readonly row: string;
  readonly suite: string;
  readonly device: string;
  readonly cells: Record<ScenarioGroup, MatrixCell>;
}

export interface MatrixFragment {
  readonly suite: string;
  readonly finishedAt: string;
  readonly rows: MatrixRow[];
}

const emptyCell = (): MatrixCell => ({ registered: 0, passed: 0, failed: 0, failures: [], skipped: {} });

/** Collects one suite's outcomes while it runs. */
export class MatrixRecorder {
  readonly suite: string;
  private readonly rows = new Map<string, MatrixRow>();

  constructor(suite: string) {
    this.suite = suite;
  }

  /** A test that will run (or be filtered out: then it shows as not run). */
  register(device: string, group: ScenarioGroup): void {
    this.cell(device, group).registered += 1;
  }

  recordSkip(device: string, group: ScenarioGroup, reason: string): void {
    const cell = this.cell(device, group);
    cell.skipped[reason] = (cell.skipped[reason] ?? 0) + 1;
  }

  recordOutcome(device: string, group: ScenarioGroup, title: string, passed: boolean): void {
    const cell = this.cell(device, group);
    if (passed) cell.passed += 1;
    else {
      cell.failed += 1;
      cell.failures.push(title);
    }
  }

  /** A skip for a whole row (no devices, no instance): every group carries the reason. */
  recordRowSkip(device: string, reason: string): void {
    for (const group of SCENARIO_GROUPS) this.recordSkip(device, group, reason);
  }

  fragment(): MatrixFragment {
    return { suite: this.suite, finishedAt: new Date().toISOString(), rows: [...this.rows.values()] };
  }

  private cell(device: string, group: ScenarioGroup): MatrixCell {
    let row = this.rows.get(device);
    if (!row) {
      row = {
        row: `${this.suite} / ${device}`,
        suite: this.suite,
        device,
        cells: Object.fromEntries(SCENARIO_GROUPS.map((g) => [g, emptyCell()])) as Record<ScenarioGroup, MatrixCell>,
      };
      this.rows.set(device, row);
    }
    return row.cells[group];
  }
}

export function formatCell(cell: MatrixCell): string {
  const parts: string[] = [];
  if (cell.failed > 0) parts.push(`**${cell.failed} failed**`);
  if (cell.passed > 0) parts.push(`${cell.passed} passed`);
  const notRun = cell.registered - cell.passed - cell.failed;
  if (notRun > 0) parts.push(`${notRun} not run`);
  for (const [reason, count] of Object.entries(cell.skipped)) parts.push(`${count} skipped: ${reason}`);
  return parts.length > 0 ? parts.join(', ') : '-';
}

export interface MatrixTotals {
  passed: number;
  failed: number;
  skipped: number;
  notRun: number;
}

export function totals(fragments: readonly MatrixFragment[]): MatrixTotals {
  const sum: MatrixTotals = { passed: 0, failed: 0, skipped: 0, notRun: 0 };
  for (const fragment of fragments) {
    for (const row of fragment.rows) {
      for (const cell of Object.values(row.cells)) {
        sum.passed += cell.passed;
        sum.failed += cell.failed;
        sum.notRun += cell.registered - cell.passed - cell.failed;
        sum.skipped += Object.values(cell.skipped).reduce((a, b) => a + b, 0);
      }
    }
  }
  return sum;
}

/** The matrix as a Markdown table (one line per row), with totals and the failed tests listed below it. */
export function renderMatrix(fragments: readonly MatrixFragment[]): string {
  const header = ['backend / device', ...SCENARIO_GROUPS.map((g) => GROUP_TITLES[g])];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  const failures: string[] = [];
  for (const fragment of fragments) {
    for (const row of fragment.rows) {
      // A fragment written before a group existed has no cell for it.
      const cellOf = (g: ScenarioGroup) => row.cells[g] ?? emptyCell();
      lines.push(`| ${row.row} | ${SCENARIO_GROUPS.map((g) => formatCell(cellOf(g))).join(' | ')} |`);
      for (const g of SCENARIO_GROUPS)
        for (const title of cellOf(g).failures) failures.push(`- ${row.row} > ${GROUP_TITLES[g]} > ${title}`);
    }
  }
  const sum = totals(fragments);
  lines.push('', `Totals: ${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped, ${sum.notRun} not run.`);
  if (failures.length > 0) lines.push('', 'Failed:', ...failures);
  return lines.join('\n');
}

/** The workspace root (the nearest directory above `from` with pnpm-workspace.yaml), else `from`. */
export function findWorkspaceRoot(from: string = process.cwd()): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
}

export interface WrittenMatrix {
  readonly markdownPath: string;
  readonly jsonPath: string;
  readonly fragments: readonly MatrixFragment[];
}

/**
 * Writes this suite's fragment under `<resultsDir>/conformance/` and rebuilds the combined
 * `conformance-matrix.md` and `.json` from every fragment there. Suites of one run finish in parallel
 * workers, so the rebuild holds a lock directory.
 */
export function writeMatrix(fragment: MatrixFragment, resultsDir: string): WrittenMatrix {
  const fragmentsDir = join(resultsDir, 'conformance');
  mkdirSync(fragmentsDir, { recursive: true });
  writeAtomically(join(fragmentsDir, `${slug(fragment.suite)}.json`), `${JSON.stringify(fragment, null, 2)}\n`);
  const markdownPath = join(resultsDir, 'conformance-matrix.md');
  const jsonPath = join(resultsDir, 'conformance-matrix.json');
  return withLock(join(resultsDir, '.conformance-matrix.lock'), () => {
    const fragments = readdirSync(fragmentsDir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .flatMap((name) => {
        try {
          return [JSON.parse(readFileSync(join(fragmentsDir, name), 'utf8')) as MatrixFragment];
        } catch {
          return [];
        }
      });
    const runs = fragments.map((f) => `${f.suite} (${f.finishedAt})`).join(', ');
    writeAtomically(
      markdownPath,
      `# vkmap conformance matrix\n\nSuites: ${runs}.\nRead it with packages/conformance/README.md ("Reading the matrix").\n\n${renderMatrix(fragments)}\n`,
    );
    writeAtomically(jsonPath, `${JSON.stringify({ fragments, totals: totals(fragments) }, null, 2)}\n`);
    return { markdownPath, jsonPath, fragments };
  });
}

function slug(text: string): string {
  return text.replace(/[^a-zA-Z0-9._-]+/g, '_');
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

function lockAge(lockDir: string): number {
  try {
    return Date.now() - statSync(lockDir).mtimeMs;
  } catch {
    return 0;
  }
}

function withLock<T>(lockDir: string, body: () => T): T {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock older than a minute belongs to a run that died holding it.
      if (Date.now() > deadline || lockAge(lockDir) > 60_000) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    return body();
  } finally {
    rmdirSync(lockDir);
  }
}
