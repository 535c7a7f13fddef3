// Stands in for 'vitest' when test files are bundled to run on a machine with plain Node and nothing else
// (the lent GPU machine): suites and hooks map onto node:test, assertions onto Jest's standalone `expect`,
// which has the same matchers.
import { after, afterEach, before, beforeEach, describe as nodeDescribe, it as nodeIt } from 'node:test';
import { expect as jestExpect } from 'expect';

/** vitest's expect takes an optional message as its second argument; Jest's takes one argument. */
export const expect = Object.assign((value) => jestExpect(value), jestExpect);

function withSkip(fn) {
  const wrapped = (name, body, options) => fn(name, options ?? {}, body);
  wrapped.skip = (name, body) => fn(name, { skip: true }, body);
  wrapped.skipIf = (condition) => (name, body) => fn(name, { skip: Boolean(condition) }, body);
  wrapped.runIf = (condition) => (name, body) => fn(name, { skip: !condition }, body);
  wrapped.each = (cases) => (name, body) => {
    for (const args of cases) {
      const list = Array.isArray(args) ? args : [args];
      let index = 0;
      const title = name.replace(/%[sdiojf%]/g, (m) => (m === '%%' ? '%' : String(list[index++])));
      fn(title, {}, () => body(...list));
    }
  };
  return wrapped;
}

export const describe = withSkip((name, options, body) => nodeDescribe(name, options, body));
export const it = withSkip((name, options, body) => nodeIt(name, options, body));
export const test = it;
export const beforeAll = (fn) => before(fn);
export const afterAll = (fn) => after(fn);
export { beforeEach, afterEach };

/** vi.setConfig sets vitest's timeouts; node:test has none by default, so there is nothing to set. */
export const vi = { setConfig() {} };
