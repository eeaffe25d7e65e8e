// `foliorace init [DIR]`: scaffolds a scenario project with a fix of it as a patch file (templates in
// src/init/templates.ts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';
import { FOLIORACE_VERSION } from '../version.js';
import { FIX_TEST_TS, FIX_TS, GITIGNORE, packageJson, RACE_TEST_TS, RACE_TS, readme, TSCONFIG } from '../init/templates.js';
import { allowOnly, atMostPositional, one, type Parsed } from './args.js';
import { stdout } from './io.js';

/** This package's root (dist/src/cli/init.js → ../../../). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * What the new project depends on: --from SPEC (a version, a path or a tarball) as given; else, for
 * a foliorace run from a git clone, that clone by path; else this version from the registry.
 */
function dependencySpec(from: string | undefined): string {
  if (from !== undefined) return /^[\^~<>=\d*]/.test(from) || from.includes(':') ? from : `file:${resolve(from)}`;
  return existsSync(join(ROOT, '.git')) ? `file:${ROOT.replace(/\/$/, '')}` : `^${FOLIORACE_VERSION}`;
}

/** The version range of a dev dependency of foliorace itself (the ones it is tested with). */
function ownDevVersion(name: string, fallback: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    const v = pkg.devDependencies?.[name];
    return v ? `^${v.replace(/^[\^~]/, '')}` : fallback;
  } catch {
    return fallback;
  }
}

export function init(p: Parsed): number {
  allowOnly(p, ['from', 'debug', 'help']);
  atMostPositional(p, 1, 'foliorace init [DIR] [--from VERSION|PATH|TARBALL]');
  const dir = resolve(p.positional[0] ?? '.');
  const name = basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'my-race';
  const spec = dependencySpec(one(p, 'from'));
  const files: Record<string, string> = {
    'package.json': packageJson(name, spec, ownDevVersion('typescript', '^5.9.3'), ownDevVersion('vitest', '^4.1.12')),
    'tsconfig.json': TSCONFIG,
    'race.ts': RACE_TS,
    'race.test.ts': RACE_TEST_TS,
    'fix.ts': FIX_TS,
    'fix.test.ts': FIX_TEST_TS,
    'README.md': readme(name),
    '.gitignore': GITIGNORE,
  };
  const clash = Object.keys(files).filter((f) => existsSync(join(dir, f)));
  if (clash.length > 0) throw new UsageError(`init: ${dir} already has ${clash.join(', ')}; give an empty or new directory`);
  try {
    mkdirSync(dir, { recursive: true });
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text, { flag: 'wx' });
  } catch (e) {
    throw new UsageError(`init: cannot write into ${dir}: ${(e as Error).message}`);
  }
  const cd = p.positional[0] ? `cd ${p.positional[0]} && ` : '';
  stdout().write(`created ${Object.keys(files).join(', ')} in ${dir}\n` +
    `foliorace dependency: ${spec}${spec.startsWith('file:') ? ' (a local copy; --from VERSION for the registry)' : ''}\n\n` +
    `next: ${cd}npm install && npm test\n` +
    '      npx foliorace run race.ts --kernel 6.10 --mode pct --seed 1\n' +
    '      npx foliorace run race.ts --kernel 6.10 --patch ./fix.ts --mode pct --seed 1\n');
  return 0;
}
