// The code blocks of the docs, as the tests that run or check them read them: the docs are the
// source, so an example that stops working fails a test instead of drifting.
import { readFileSync } from 'node:fs';

/** The text of the first fenced code block after the heading line `heading` of docs/`doc`. */
export function docBlock(doc: string, heading: string): string {
  const text = readFileSync(new URL(`../../docs/${doc}`, import.meta.url), 'utf8');
  const at = text.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`docs/${doc} has no heading "${heading}"`);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block) throw new Error(`docs/${doc} has no code block after "${heading}"`);
  return block[1]!;
}
