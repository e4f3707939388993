// report/html/self-contained — one offline page whose inline scripts and styles run only by hash.
import { createHash } from 'node:crypto';
import { escapeHtml } from './index.js';

/**
 * A page that opens by double-click, offline, and fetches nothing: every script and style is
 * inline, and the Content-Security-Policy (a <meta http-equiv>, the only place a file:// page can
 * carry one) lets each run only because its SHA-256 is listed:
 *
 *   default-src 'none'; script-src 'sha256-…'; style-src 'sha256-…'; img-src data:
 *
 * So injected markup cannot run script (no 'unsafe-inline', no nonce to steal), and the page
 * cannot load anything from the network or disk (default-src 'none'). Data travels in inert
 * `<script type="application/json">` blocks (not executed, so not subject to script-src), read
 * with `readJsonBlock`. Inline `style="…"` attributes are refused by this policy: browser code sets
 * styles through CSSOM (`el.style.x = …`), which CSP allows. report.html keeps its no-script
 * page (report/html/index.ts); this builder serves the player and the playground.
 */
export interface SelfContainedPage {
  /** the <title>, escaped here */
  readonly title: string;
  /** body markup, trusted (built by our code, user text escaped with escapeHtml) */
  readonly body: string;
  /** inline stylesheets, in order */
  readonly styles: readonly string[];
  /** inline classic scripts (e.g. dist/bundles/player.js), in order, at the end of <body> */
  readonly scripts: readonly string[];
  /** JSON data blocks: `<script type="application/json" id="…">`, before the scripts */
  readonly data?: readonly { readonly id: string; readonly value: unknown }[];
}

/** 'sha256-<base64>' of a script or style text, as CSP hashes it (the exact UTF-8 bytes between the tags). */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The policy for these scripts and styles (a source list of 'none' when there are none). */
export function contentSecurityPolicy(scripts: readonly string[], styles: readonly string[]): string {
  const list = (texts: readonly string[]): string => (texts.length === 0 ? "'none'" : texts.map(cspHash).join(' '));
  return `default-src 'none'; script-src ${list(scripts)}; style-src ${list(styles)}; img-src data:`;
}

/**
 * JSON that is safe inside a <script> element: `<`, `>`, `&` and the JS line separators escaped
 * as \uXXXX (still the same JSON), so no `</script>` or `<!--` in the data can end the block.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Refuses a script or style that would end its own element early (the hash would not cover the rest). */
function assertEnclosed(kind: 'script' | 'style', text: string): void {
  if (new RegExp(`</${kind}`, 'i').test(text)) throw new Error(`an inline ${kind} contains '</${kind}': it would end its element early`);
}

/**
 * The whole page as HTML text.
 * @throws Error when a script or style contains its own closing tag, or a data id is not [A-Za-z][\w-]*
 */
export function selfContainedHtml(page: SelfContainedPage): string {
  for (const s of page.scripts) assertEnclosed('script', s);
  for (const s of page.styles) assertEnclosed('style', s);
  const data = (page.data ?? []).map((d) => {
    if (!/^[A-Za-z][\w-]*$/.test(d.id)) throw new Error(`data block id '${d.id}' is not [A-Za-z][\\w-]*`);
    return `<script type="application/json" id="${d.id}">${jsonForScript(d.value)}</script>`;
  });
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // the policy's quotes stay readable: a double-quoted attribute needs only & < > " escaped
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(page.scripts, page.styles)).replaceAll('&#39;', "'")}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)}</title>`,
    ...page.styles.map((s) => `<style>${s}</style>`),
    '</head>',
    '<body>',
    page.body,
    ...data,
    ...page.scripts.map((s) => `<script>${s}</script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
