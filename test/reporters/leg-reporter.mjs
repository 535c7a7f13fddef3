// A quiet vitest reporter for scripts/run-tests.mjs. While tests run it prints one dot per finished test
// file ("x" for a file with a failure); at the end it writes one JSON file (path in VKMAP_LEG_REPORT) with
// the counts, every failure (message, location, console output of the failing test) and every skipped
// test with its reason. run-tests.mjs prints the readable summary from that file; nothing else is printed
// here, so a failure is never buried in the middle of the output.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

const root = process.cwd();

/** The first `(skipped: ...)` in a test's full name (outermost describe first), parentheses balanced. */
export function explicitSkipReason(fullName) {
  const start = fullName.indexOf('(skipped: ');
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = start; i < fullName.length; i++) {
    if (fullName[i] === '(') depth++;
    else if (fullName[i] === ')' && --depth === 0) return fullName.slice(start + '(skipped: '.length, i).trim();
  }
  return fullName.slice(start + '(skipped: '.length).trim();
}

/** file:line:column of the first stack frame inside the repository (outside node_modules). */
function locate(error, fallbackFile, fallbackLocation) {
  const frames = [...(error?.stacks ?? [])].map((s) => ({ file: s.file, line: s.line, column: s.column }));
  for (const line of String(error?.stack ?? '').split('\n')) {
    const match = /(?:\(|\s)(?:file:\/\/)?(\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (match) frames.push({ file: match[1], line: Number(match[2]), column: Number(match[3]) });
  }
  const inRepo = frames.find((f) => f.file?.startsWith(root) && !f.file.includes('/node_modules/'));
  if (inRepo) return `${relative(root, inRepo.file)}:${inRepo.line}:${inRepo.column}`;
  const file = relative(root, fallbackFile);
  return fallbackLocation ? `${file}:${fallbackLocation.line}:${fallbackLocation.column}` : file;
}

function describeError(error) {
  const name = error?.name && error.name !== 'Error' ? `${error.name}: ` : '';
  const message = `${name}${error?.message ?? String(error)}`.trimEnd();
  const diff = typeof error?.diff === 'string' ? `\n${error.diff.trimEnd()}` : '';
  return `${message}${diff}`;
}

export default class LegReporter {
  files = 0;
  column = 0;
  logs = new Map();

  onInit(vitest) {
    this.vitest = vitest;
    this.started = Date.now();
  }

  onTestModuleEnd(testModule) {
    this.files++;
    const failed = !testModule.ok();
    process.stdout.write(failed ? 'x' : '.');
    if (++this.column === 80) {
      process.stdout.write('\n');
      this.column = 0;
    }
  }

  // With `--silent=passed-only` vitest forwards only the console output of failed tests.
  onUserConsoleLog(log) {
    const key = log.taskId ?? '';
    const text = (this.logs.get(key) ?? '') + log.content;
    this.logs.set(key, text);
  }

  onTestRunEnd(testModules, unhandledErrors, reason) {
    if (this.column > 0) process.stdout.write('\n');
    const passedTests = [];
    const failures = [];
    const skipped = [];
    const logsOf = (id) => this.logs.get(id)?.trimEnd() || undefined;
    for (const testModule of testModules) {
      const file = relative(root, testModule.moduleId);
      const project = testModule.project.name;
      for (const error of testModule.errors()) {
        failures.push({
          project,
          name: file,
          location: locate(error, testModule.moduleId),
          message: describeError(error),
          logs: logsOf(testModule.id),
        });
      }
      for (const suite of testModule.children.allSuites()) {
        for (const error of suite.errors()) {
          failures.push({
            project,
            name: `${file} > ${suite.fullName}`,
            location: locate(error, testModule.moduleId, suite.location),
            message: describeError(error),
            logs: logsOf(suite.id),
          });
        }
      }
      for (const test of testModule.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') passedTests.push(test.id);
        else if (result.state === 'failed') {
          const error = result.errors[0];
          failures.push({
            project,
            name: `${file} > ${test.fullName}`,
            location: locate(error, testModule.moduleId, test.location),
            message: result.errors.map(describeError).join('\n'),
            logs: logsOf(test.id),
          });
        } else {
          // Skipped, todo, or never finished (a run cut short): a test that did not pass is not counted as one.
          const explicit = result.state === 'skipped' ? (result.note ?? explicitSkipReason(test.fullName)) : undefined;
          const reason =
            explicit ??
            (test.options.mode === 'todo'
              ? 'todo'
              : result.state === 'pending'
                ? 'did not finish'
                : test.parent.type === 'suite'
                  ? test.parent.name
                  : file);
          skipped.push({ project, name: `${file} > ${test.fullName}`, reason, explicit: explicit !== undefined });
        }
      }
    }
    for (const error of unhandledErrors) {
      failures.push({
        project: '',
        name: 'unhandled error',
        location: locate(error, root),
        message: describeError(error),
      });
    }
    if (reason === 'interrupted')
      failures.push({ project: '', name: 'test run', location: '', message: 'the run was interrupted' });
    const report = {
      node: process.version,
      files: this.files,
      durationMs: Date.now() - this.started,
      passed: passedTests.length,
      failed: failures.length,
      skipped: skipped.length,
      failures,
      skips: skipped,
    };
    const path = process.env.VKMAP_LEG_REPORT;
    if (path) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
    }
  }
}
