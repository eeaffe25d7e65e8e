// A scenario file of two CPUs in which CPU1 throws according to how far CPU0 got when CPU1 looked:
// CPU0 posts vars 0 and 1, CPU1 posts var 4, looks, throws if `when` holds (`a`, `b`: what it saw
// of the two posts), then posts var 5. Which schedules reach the throw is the test's choice.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INDEX = new URL('../../dist/src/index.js', import.meta.url).pathname;

export interface PostsThrow {
  path: string;
  /** Where the throw is: `path:line:col`, as a stack names it. */
  at: string;
}

/** Writes the scenario: check() returns `outcome`, declared of `kind`. */
export function postsThrow(name: string, when: string, message: string, kind: 'acceptable' | 'forbidden'): PostsThrow {
  const path = join(mkdtempSync(join(tmpdir(), 'foliorace-posts-')), `${name}.js`);
  const lines = [
    `import { defineScenario } from ${JSON.stringify(INDEX)};`,
    'export default defineScenario({',
    `  name: ${JSON.stringify(name)}, summary: 'CPU1 throws by what it saw of CPU0', seeds: ['test helper'], cpus: 2,`,
    `  outcomes: { result: ${JSON.stringify(kind)} }, before: '6.17', after: '6.17', expect: {},`,
    '  setup() {},',
    '  actor(cpu, vars) {',
    '    if (cpu.id === 0) { vars.post(0); vars.post(1); return; }',
    '    vars.post(4);',
    '    const a = vars.get(0), b = vars.get(1);',
    `    if (${when}) throw new Error(${JSON.stringify(message)});`,
    '    vars.post(5);',
    '  },',
    "  check() { return 'result'; },",
    '});',
  ];
  writeFileSync(path, `${lines.join('\n')}\n`);
  const n = lines.findIndex((l) => l.includes('throw new Error'));
  return { path, at: `${path}:${n + 1}:${lines[n]!.indexOf('new Error') + 1}` };
}
