/// <reference lib="dom" />
// playground/ui/main — the browser entry (scripts/bundle.mjs → dist/bundles/playground.js). The same
// bundle runs twice: inline in playground.html, where it builds the page, and as the Monte Carlo
// Web Worker, started from its own text as a blob: URL (ui/availability-panel.ts).
import { serveChunks } from './availability-panel.js';
import { PlaygroundApp } from './app.js';

declare const self: { document?: unknown; onmessage: ((e: MessageEvent) => void) | null; postMessage(m: unknown): void };

if (typeof self.document === 'undefined') {
  serveChunks(self);
} else {
  // read now: currentScript is only set while this inline script first runs
  const source = document.currentScript?.textContent ?? null;
  const root = document.getElementById('app');
  if (root === null) throw new Error('playground.html has no #app element');
  new PlaygroundApp(root, source);
}
