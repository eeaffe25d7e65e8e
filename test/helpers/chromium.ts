// Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: commands
// on fd 3, replies on fd 4, each message JSON ended by a NUL byte), so no driver library and no
// port. Loads one page and reports what a person would see: console errors, every request, a
// screenshot.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** Debian's chromium, or null when it is not installed. */
export function findChromium(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export interface PageLoad {
  /** Console errors, uncaught exceptions, and log entries of level error (failed loads among them). */
  errors: string[];
  /** Every URL the page requested, the page itself included. */
  requests: string[];
  png: Buffer;
}

interface Message { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message: string }; sessionId?: string }

export async function loadPage(browser: string, url: string, width = 1280, height = 1600): Promise<PageLoad> {
  const profile = mkdtempSync(join(tmpdir(), 'foliorace-chromium-'));
  const proc = spawn(browser, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--remote-debugging-pipe',
    `--user-data-dir=${profile}`, `--window-size=${width},${height}`, 'about:blank'],
  // a process group of its own: its helper processes can be ended with it (below)
  { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], detached: true });
  const toBrowser = proc.stdio[3] as Writable;
  const fromBrowser = proc.stdio[4] as Readable;
  const pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const listeners: ((m: Message) => void)[] = [];
  let buffered = '';
  fromBrowser.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let end = buffered.indexOf('\0'); end >= 0; end = buffered.indexOf('\0')) {
      const m = JSON.parse(buffered.slice(0, end)) as Message;
      buffered = buffered.slice(end + 1);
      const p = m.id === undefined ? undefined : pending.get(m.id);
      if (p) {
        pending.delete(m.id!);
        if (m.error) p.reject(new Error(m.error.message));
        else p.resolve(m);
      } else listeners.forEach((l) => l(m));
    }
  });
  proc.once('exit', (code) => { for (const p of pending.values()) p.reject(new Error(`chromium exited (${code}) before it answered`)); });
  let next = 1;
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Message> =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  const errors: string[] = [];
  const requests: string[] = [];
  listeners.push((m) => {
    const p = m.params ?? {};
    if (m.method === 'Runtime.consoleAPICalled' && p['type'] === 'error') errors.push(`console.error ${JSON.stringify(p['args'])}`);
    if (m.method === 'Runtime.exceptionThrown') errors.push(`exception ${JSON.stringify(p['exceptionDetails'])}`);
    if (m.method === 'Log.entryAdded') {
      const e = p['entry'] as { level: string; text: string; url?: string };
      if (e.level === 'error') errors.push(`${e.text} ${e.url ?? ''}`);
    }
    if (m.method === 'Network.requestWillBeSent') requests.push((p['request'] as { url: string }).url);
    if (m.method === 'Network.loadingFailed') errors.push(`failed to load: ${JSON.stringify(p)}`);
  });
  try {
    const { result } = await send('Target.createTarget', { url: 'about:blank' });
    const { result: attached } = await send('Target.attachToTarget', { targetId: result!['targetId'], flatten: true });
    const session = attached!['sessionId'] as string;
    for (const domain of ['Runtime', 'Log', 'Network', 'Page']) await send(`${domain}.enable`, {}, session);
    const loaded = new Promise<void>((resolve) => listeners.push((m) => { if (m.method === 'Page.loadEventFired' && m.sessionId === session) resolve(); }));
    await send('Page.navigate', { url }, session);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([loaded, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${url} did not finish loading in 60 s`)), 60_000); })]);
    clearTimeout(timer);
    const shot = await send('Page.captureScreenshot', { format: 'png' }, session);
    return { errors, requests, png: Buffer.from(shot.result!['data'] as string, 'base64') };
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill();
      await exited;
    }
    // Its helper processes (zygote, renderer, crashpad) may outlive it and still write into the
    // profile, which once failed the removal: end its whole group, then remove, retrying meanwhile.
    try { process.kill(-proc.pid!, 'SIGKILL'); } catch { /* no process of the group is left */ }
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
