// The files `foliorace init` writes: a scenario project whose `npm install && npm test` passes.
// The example is the GUP long-term pin race of 6.10 (found) fixed in 6.11 (never), and that fix as a
// patch file on 6.10, tested before and after.

export const RACE_TS = `/**
 * my-race: a FOLL_LONGTERM pin must migrate a CMA folio while another CPU activates it.
 * (yangge 2024, "mm/gup: don't check page lru flag before draining it"; fixed by 33dfe9204f29.)
 *
 * Before: folio f is in CMA, on the inactive anon LRU with PG_lru and PG_referenced, mapped at
 * address 0 of mm 0.
 *
 *   CPU1                                      CPU0
 *   1. follow_page_pte(FOLL_TOUCH)
 *   2.   folio_mark_accessed(f)
 *   3.     folio_activate(f): folio_get(f),
 *          f queued in CPU1's activate batch
 *                                             4. pin_user_pages(FOLL_LONGTERM)
 *                                             5.   collect: PG_lru still set (6.10), so
 *                                                  no lru_add_drain_all()
 *                                             6.   folio_isolate_lru(f): isolated
 *                                             7.   migrate_pages(f): one reference too many
 *                                                  (CPU1's batch), ten times: -ENOMEM
 *
 * 6.11 clears PG_lru when queueing (step 3), so step 5 drains every CPU first: never found.
 * Edit this file into your own race; \`npm test\` checks the expectations in race.test.ts, and
 * \`npx foliorace run race.ts --kernel 6.10 --mode pct --seed 1\` draws a failing interleaving.
 * The kernel functions a scenario may call: docs/api.md of foliorace.
 */
import { defineScenario, kernel } from 'foliorace';

const MM = 0;
const ADDR = 0;
/** Scenario variables (vars.get/set): words the actors and the check share. */
const FOLIO = 0;
const PIN_RESULT = 1;

export default defineScenario({
  name: 'my-race',
  summary: 'FOLL_LONGTERM pin of a CMA folio while another CPU activates it',
  seeds: ['yangge 2024 "mm/gup: don\\'t check page lru flag before draining it" → 33dfe9204f29'],
  cpus: 2,
  machine: { folios: 8, cmaFolios: 2, mms: 1, ptesPerMm: 4 },
  outcomes: {
    pinned: 'acceptable',
    'pin-failed': 'forbidden',
  },
  before: '6.10',
  after: '6.11',
  expect: { '6.10': 'found', '6.11': 'never' },

  setup(cpu, vars) {
    const folio = kernel.do_anonymous_page(cpu, MM, ADDR, kernel.Zone.CMA, 0x5eed);
    kernel.lru_add_drain(cpu);
    kernel.folio_set(cpu, folio, kernel.Pg.referenced); // accessed once: the next access activates it
    vars.set(FOLIO, folio);
  },

  actor(cpu, vars) {
    if (cpu.id === 0) vars.set(PIN_RESULT, kernel.pin_user_pages(cpu, MM, ADDR));
    else kernel.follow_page_pte(cpu, MM, ADDR, kernel.FOLL_TOUCH);
  },

  check(_cpu, vars) {
    return vars.get(PIN_RESULT) >= 0 ? 'pinned' : 'pin-failed';
  },
});
`;

export const RACE_TEST_TS = `import { test } from 'vitest';
import { expectScenario } from 'foliorace';

// Runs race.ts under each profile in pct mode (5,000 seeded iterations) and free mode (1 s), and
// fails if a 'found' profile never shows the forbidden outcome or a 'never' profile does.
test('my-race: found before the fix (6.10), never after it (6.11)', async () => {
  await expectScenario(new URL('./race.ts', import.meta.url), { '6.10': 'found', '6.11': 'never' });
}, 300_000);
`;

export const FIX_TS = `/**
 * fix.ts: a fix of race.ts as a patch file. fix.test.ts runs race.ts under 6.10 as it is and with
 * this patch (6.10+./fix.ts); \`npx foliorace compare race.ts --kernels 6.10,6.10+./fix.ts\` shows both.
 * Edit it into your own fix: the model functions a patch may replace or wrap, with their kernel files
 * and signatures, are in docs/patches.md of foliorace.
 *
 * The example is the heart of 33dfe9204f29 (v6.11) for the activate batch: queueing a folio takes the
 * batch's reference and wins PG_lru first, so the pinner of race.ts finds PG_lru clear and drains
 * every CPU's batches before it migrates; the batch's drain then owns the folio.
 */
import { definePatch, kernel } from 'foliorace';

const { Batch, Pg } = kernel;

export default definePatch({
  name: 'activate-clears-lru',
  title: 'mm/gup: clear the LRU flag of a page before adding to LRU batch (activate batch only)',
  source: 'after 33dfe9204f29 (v6.11)',
  replace: {
    folio_activate(cpu, folio) {
      if (kernel.folio_test(cpu, folio, Pg.active) || kernel.folio_test(cpu, folio, Pg.unevictable)) return false;
      kernel.folio_get(cpu, folio); // the batch's reference
      if (!kernel.folio_test_clear(cpu, folio, Pg.lru)) {
        kernel.folio_put(cpu, folio);
        return false;
      }
      kernel.local_lock(cpu);
      if (kernel.folio_batch_add(cpu, Batch.lru_activate, folio) === 0) kernel.folio_batch_move_lru(cpu, cpu.id, Batch.lru_activate);
      kernel.local_unlock(cpu);
      return true;
    },
  },
  wrap: {
    // the activate batch won PG_lru when it queued the folio: its drain owns the folio already
    folio_batch_move_lru_claim: (original) => (cpu, folio, batch) => batch === Batch.lru_activate || original(cpu, folio, batch),
  },
});
`;

export const FIX_TEST_TS = `import { test } from 'vitest';
import { expectScenario } from 'foliorace';

// Runs race.ts under 6.10 before and after fix.ts (pct mode, 5,000 seeded iterations, and free mode,
// 1 s, each): the race must be found before the fix and never after it.
test('my-race: found under 6.10, never with fix.ts', async () => {
  const runs = await expectScenario(new URL('./race.ts', import.meta.url), { '6.10': 'found', '6.10+./fix.ts': 'never' });
  for (const r of runs) console.log(\`\${r.kernel.padEnd(14)} \${r.mode.padEnd(4)} \${r.iterations} iterations, \${r.found} with the race\`);
}, 300_000);
`;

export const TSCONFIG = `{
  "compilerOptions": {
    "strict": true,
    "module": "esnext",
    "moduleResolution": "bundler",
    "target": "es2022",
    "lib": ["es2022"],
    "types": [],
    "noEmit": true,
    "skipLibCheck": true
  },
  "include": ["*.ts"]
}
`;

export const GITIGNORE = 'node_modules/\nfoliorace-failures/\n';

export function packageJson(name: string, foliorace: string, typescript: string, vitest: string): string {
  return `${JSON.stringify({
    name, version: '0.0.0', private: true, type: 'module',
    scripts: {
      test: 'vitest run', race: 'foliorace run race.ts --kernel 6.10 --mode pct --seed 1',
      fix: 'foliorace compare race.ts --kernels 6.10,6.10+./fix.ts --mode pct --seed 1 --iterations 5000',
    },
    devDependencies: { foliorace, typescript, vitest },
  }, null, 2)}\n`;
}

export function readme(name: string): string {
  return `# ${name}

A race for [foliorace](https://www.npmjs.com/package/foliorace), the per-CPU Linux mm race emulator.

\`\`\`sh
npm install
npm test                                              # race.ts's expectations (race.test.ts), before and after fix.ts (fix.test.ts)
npx foliorace run race.ts --kernel 6.10 --mode pct --seed 1   # a failing interleaving, drawn
npx foliorace run race.ts --kernel 6.11 --mode free --duration 5s
\`\`\`

fix.ts is a fix of the race as a patch file: it replaces or wraps model functions by their kernel
names (docs/patches.md of foliorace). \`npm run fix\` compares race.ts under 6.10 without and with it;
\`npx foliorace run race.ts --kernel 6.10 --patch ./fix.ts\` runs it alone.

race.ts and fix.ts are type-checked before they run; \`--no-typecheck\` skips that. An exception in its
setup, actor or check is reported at its line, with the CPU, iteration and seed, and a failure file
that \`npx foliorace replay\` runs again up to the throw.
`;
}
