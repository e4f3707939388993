/// <reference lib="dom" />
// playground/ui/availability-panel — closed form beside a quick Monte Carlo for the chosen layout.
// The Monte Carlo runs in a Web Worker made from this page's own inline bundle (a blob: URL; the
// page's CSP allows `worker-src blob:`); where no worker can start, it runs chunk by chunk on the
// main thread between animation frames, so the page stays responsive either way.
import { parseDurationUs } from '../../config/index.js';
import type { AccumulatorJSON } from '../../montecarlo/accumulator.js';
import { formatAvailability } from '../../stats/format.js';
import { availabilityCommand, chunkTotal, closedForm, DEFAULT_QUICK_STUDY, quickChunk, quickEstimate, type QuickStudy } from '../availability.js';
import { layoutName, layoutTopology, type PlaygroundLayout } from '../layout.js';
import { button, h, textInput } from './dom.js';

/** What the page posts to the worker, and what comes back (one chunk of the quick study). */
export interface ChunkJob {
  readonly token: number;
  readonly layout: PlaygroundLayout;
  readonly study: QuickStudy;
  readonly chunk: number;
}
export type ChunkReply = { readonly token: number; readonly chunk: number; readonly acc: AccumulatorJSON } | { readonly token: number; readonly error: string };

/** The worker side: answers each ChunkJob with its chunk's accumulator. */
export function serveChunks(scope: { onmessage: ((e: MessageEvent<ChunkJob>) => void) | null; postMessage(m: ChunkReply): void }): void {
  scope.onmessage = (e) => {
    const job = e.data;
    try {
      scope.postMessage({ token: job.token, chunk: job.chunk, acc: quickChunk(layoutTopology(job.layout), job.study, job.chunk) });
    } catch (err) {
      scope.postMessage({ token: job.token, error: (err as Error).message });
    }
  };
}

export class AvailabilityPanel {
  readonly root: HTMLElement;
  private readonly mttf = textInput('host MTTF', 'mttf', '30d');
  private readonly mttr = textInput('MTTR', 'mttr', '2h');
  private readonly closed = h('p', { id: 'closed-form' });
  private readonly result = h('p', { id: 'mc-result' }, 'Monte Carlo: not run yet');
  private readonly command = h('code', { id: 'mc-command' });
  private readonly mode = h('span', { id: 'mc-mode' });
  private layout: PlaygroundLayout;
  private worker: Worker | null = null;
  private workerFailed = false;
  private token = 0;
  private chunks: AccumulatorJSON[] = [];

  constructor(layout: PlaygroundLayout, private readonly bundleSource: string | null) {
    this.layout = layout;
    const run = button('Run Monte Carlo', 'mc-run', () => this.runMonteCarlo());
    this.root = h(
      'section',
      { id: 'availability', class: 'panel' },
      h('h2', {}, 'Availability'),
      h('p', { class: 'hint' }, 'Independent exponential host crash/repair on every server (the closed-form case).'),
      h('div', { class: 'row' }, this.mttf.wrap, this.mttr.wrap),
      this.closed,
      h('div', { class: 'row' }, run, this.mode),
      this.result,
      h('p', { class: 'hint' }, 'The same study from the command line: ', this.command),
    );
    for (const input of [this.mttf.input, this.mttr.input]) input.addEventListener('change', () => this.refresh());
    this.refresh();
  }

  /** A new layout: the closed form is recomputed and the Monte Carlo result dropped. */
  setLayout(layout: PlaygroundLayout): void {
    this.layout = layout;
    this.refresh();
  }

  private study(): QuickStudy | string {
    const mttfUs = parseDurationUs(this.mttf.input.value);
    const mttrUs = parseDurationUs(this.mttr.input.value);
    if (mttfUs === null || mttfUs <= 0) return `host MTTF: expected a duration with a unit (30d, 720h), found '${this.mttf.input.value}'`;
    if (mttrUs === null || mttrUs <= 0) return `MTTR: expected a duration with a unit (2h, 30m), found '${this.mttr.input.value}'`;
    return { ...DEFAULT_QUICK_STUDY, rates: { mttfUs, mttrUs } };
  }

  private refresh(): void {
    this.token++;
    this.chunks = [];
    this.result.textContent = 'Monte Carlo: not run yet';
    const q = this.study();
    if (typeof q === 'string') {
      this.closed.textContent = q;
      this.closed.classList.add('error');
      return;
    }
    this.closed.classList.remove('error');
    const cf = closedForm(layoutTopology(this.layout), q);
    this.closed.textContent = cf === null ? 'Closed form: none for this model' : `Closed form (quorum of voters up): ${formatAvailability(cf.quorumAvailability, cf.quorumUnavailability)}`;
    this.command.textContent = availabilityCommand(`${layoutName(this.layout)}.yaml`, q);
  }

  private runMonteCarlo(): void {
    const q = this.study();
    if (typeof q === 'string') return;
    const token = ++this.token;
    this.chunks = [];
    const worker = this.ensureWorker();
    this.mode.textContent = worker ? 'in a Web Worker' : 'on the main thread, chunk by chunk';
    this.result.textContent = `Monte Carlo: 0 / ${q.runs} trials…`;
    if (worker) worker.postMessage({ token, layout: this.layout, study: q, chunk: 0 } satisfies ChunkJob);
    else requestAnimationFrame(() => this.mainThreadChunk(token, q, 0));
  }

  private ensureWorker(): Worker | null {
    if (this.worker || this.workerFailed || this.bundleSource === null) return this.worker;
    try {
      const url = URL.createObjectURL(new Blob([this.bundleSource], { type: 'text/javascript' }));
      this.worker = new Worker(url);
      this.worker.onmessage = (e: MessageEvent<ChunkReply>) => this.onReply(e.data);
      this.worker.onerror = (e) => {
        // refused (CSP) or broken: carry on without it, on the main thread
        e.preventDefault();
        this.workerFailed = true;
        this.worker = null;
        this.runMonteCarlo();
      };
    } catch {
      this.workerFailed = true;
    }
    return this.worker;
  }

  private onReply(r: ChunkReply): void {
    if (r.token !== this.token) return;
    if ('error' in r) {
      this.result.textContent = `Monte Carlo failed: ${r.error}`;
      return;
    }
    const q = this.study();
    if (typeof q === 'string') return;
    this.addChunk(q, r.acc);
    if (this.chunks.length < chunkTotal(q)) this.worker?.postMessage({ token: r.token, layout: this.layout, study: q, chunk: this.chunks.length } satisfies ChunkJob);
  }

  private mainThreadChunk(token: number, q: QuickStudy, chunk: number): void {
    if (token !== this.token) return;
    this.addChunk(q, quickChunk(layoutTopology(this.layout), q, chunk));
    if (chunk + 1 < chunkTotal(q)) requestAnimationFrame(() => this.mainThreadChunk(token, q, chunk + 1));
  }

  private addChunk(q: QuickStudy, acc: AccumulatorJSON): void {
    this.chunks.push(acc);
    const row = quickEstimate(layoutTopology(this.layout), q, this.chunks);
    const [lo, hi] = row.writeAvailabilityCi95;
    const done = this.chunks.length >= chunkTotal(q) ? 'done' : 'running';
    this.result.setAttribute('data-state', done);
    this.result.textContent =
      `Monte Carlo (${row.runs} / ${q.runs} trials of ${Math.round(q.horizonUs / 86_400_000_000)} days, ${done}): write availability ${formatAvailability(1 - row.writeUnavailability, row.writeUnavailability)}` +
      ` (95% CI ${formatAvailability(lo)} – ${formatAvailability(hi)}); quorum availability ${formatAvailability(row.quorumAvailability)}`;
  }
}
