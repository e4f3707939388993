// playground/page — playground.html's markup and stylesheet (the script is the browser bundle,
// inlined by cli/commands/playground.ts through report/html/self-contained.ts).
import { CLUSTER_VIEW_CSS } from '../report/player/view.js';

export const PLAYGROUND_TITLE = 'zksim playground';

/** The body before the script runs; the script replaces #app's content. */
export const PLAYGROUND_BODY = '<main id="app"><h1>zksim playground</h1><noscript><p>The playground runs the simulator in this page: it needs JavaScript.</p></noscript></main>';

const STYLE = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 1rem auto; max-width: 1500px; padding: 0 1rem; color: #222; font-size: 14px; }
h1 { font-size: 1.4rem; margin: 0.2rem 0; }
h2 { font-size: 1.05rem; margin: 0.2rem 0 0.4rem; }
#columns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(320px, 2fr); gap: 1rem; align-items: start; }
.panel { border: 1px solid #ddd; border-radius: 6px; padding: 0.5rem 0.75rem; margin: 0.5rem 0; background: #fff; }
.row { display: flex; flex-wrap: wrap; gap: 0.5rem 0.75rem; align-items: center; margin: 0.25rem 0; }
.hint { color: #555; font-size: 0.9em; }
.error { color: #b91c1c; font-weight: bold; min-height: 1em; margin: 0.2rem 0; }
.clock { font-variant-numeric: tabular-nums; font-weight: bold; min-width: 9em; }
button { font: inherit; padding: 0.2rem 0.6rem; }
#cluster { overflow-x: auto; }
#cluster.drag-cut svg { touch-action: none; }
/* messages and cut marks are drawn over the servers: clicks go through them to the server below */
svg.cluster g.messages, svg.cluster g.cuts { pointer-events: none; }
#log { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; max-height: 18rem; overflow-y: auto; margin: 0; padding: 0; list-style: none; }
#share code, #availability code { word-break: break-all; font-size: 12px; }
#topology-yaml { font-size: 12px; background: #f8fafc; padding: 0.5rem; overflow-x: auto; }
#leader { font-size: 1.1rem; font-weight: bold; }
@media (max-width: 900px) { #columns { grid-template-columns: 1fr; } }
`;

export const PLAYGROUND_STYLES: readonly string[] = [STYLE, CLUSTER_VIEW_CSS];
