// Writing an output file (trace, plot) so that it is never seen half written: the text goes to a
// private name beside it, then is renamed over it. A target that exists and is not a regular file
// (/dev/null, a FIFO) is written in place: renaming over it would replace the device, not write to it.
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileWhole(path: string, text: string): void {
  let special = false;
  try {
    special = !statSync(path).isFile();
  } catch {
    // does not exist yet
  }
  if (special) { writeFileSync(path, text); return; }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}
