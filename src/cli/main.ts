#!/usr/bin/env node
// The foliorace process: the command (command.ts) with the process's signals and exit code.
import { runCommand } from './command.js';
import { stderr } from './io.js';
import { trapStopSignals } from './signals.js';

/** SIGINT/SIGTERM for every command: the command passes `stop.signal` to what it runs. */
const stop = trapStopSignals(() => { if (stderr().isTTY) stderr().write('\r\x1b[K'); });
// What ps and top show; set once the handlers are in place (from then on a signal gets the report).
process.title = 'foliorace';

// A reader that goes away (foliorace run ... | head) ends the output, not with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const code = await runCommand(process.argv.slice(2), stop.signal);
// After a stop signal, exit as soon as what was printed is written: a natural exit first tears Node
// down, and in that teardown its signal handlers are gone, so a second Ctrl-C there ended the
// process by SIGINT, not with 130. Until the exit, a second signal still exits 130 (signals.ts).
if (stop.received) {
  const exit = stop.exitCode(code);
  process.stdout.write('', () => process.stderr.write('', () => process.exit(exit)));
} else process.exitCode = code;
