import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDocument, writeReport } from '../../src/cli/render/index.js';
import { writeFilesAtomic } from '../../src/cli/render/write.js';
import { escapeHtml } from '../../src/report/html/index.js';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { EVIL, attributedDoc, availabilityDoc, runDoc } from './charts.fixtures.js';
import { tempDir } from '../helpers/tmp.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

function tmp(): string {
  return tempDir('zksim-charts-');
}

describe('export (issue 6 part 2)', () => {
  it('writes .vl.json, .svg, .png and one self-contained report.html for an availability document', async () => {
    const dir = tmp();
    const { files } = await writeReport({ kind: 'availability', doc: availabilityDoc() }, { dir, formats: ['svg', 'png', 'html'] });
    const names = readdirSync(dir).sort();
    expect(names).toEqual(files.map((f) => f.slice(dir.length + 1)).sort());
    for (const chart of ['availability-nines', 'downtime-by-cause', 'availability-vs-voters', 'election-time-cdf']) {
      expect(JSON.parse(readFileSync(join(dir, `${chart}.vl.json`), 'utf8'))).toHaveProperty('$schema');
      expect(readFileSync(join(dir, `${chart}.svg`), 'utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect([...readFileSync(join(dir, `${chart}.png`)).subarray(0, 4)]).toEqual(PNG_MAGIC);
    }
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<svg/g)).toHaveLength(4);
    expect(html).not.toMatch(/<script|src="http|href="http|<link/i); // nothing to fetch: opens offline
    expect(html).toContain('Write downtime by cause (minutes per year)');
    expect(html).toContain('<h2>Assumptions</h2>');
    expect(names.some((n) => n.endsWith('.tmp'))).toBe(false);
  });

  it('a document with attribution: by-process chart and table, quorum-loss CDF, and an Assumptions section stating the model', async () => {
    const dir = tmp();
    await writeReport({ kind: 'availability', doc: attributedDoc() }, { dir, formats: ['html'] });
    const names = readdirSync(dir);
    for (const chart of ['downtime-by-cause', 'downtime-by-process', 'quorum-loss-cdf']) expect(names).toContain(`${chart}.vl.json`);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const assumptions = html.slice(html.indexOf('<section id="assumptions">'));
    expect(assumptions).toContain('<h3>Failure model: production</h3>');
    expect(assumptions).toContain('hostFailures, per host: mttf exponential, mean 30y; mttr lognormal, median 8h, sigma 1.2');
    expect(assumptions).toContain('n3-1az — server: region / zone / rack / host — 1: region1 / az1 / az1-r1 / server-1');
    expect(assumptions).toContain('seed 42 · zksim 0.1.0');
    expect(assumptions).toContain('200 trials per topology (at most) × 1 y per trial');
    expect(assumptions).toContain('covers hostFailures; leaves out bursts, zonePartitions');
    expect(assumptions).toContain('a year is 365 days');
    expect(html).toContain('Write downtime by failure process (minutes per year; quorum-loss episodes in brackets)');
    expect(html).toMatch(/<th>P\(quorum lost in a year\)<\/th><th>P\(write outage &gt; 30 s in a year\)<\/th>/);
    expect(html).toContain('99.999920% *'); // n5-3az quorum availability rests on too few episodes (fixture)
  });

  it('only the .vl.json specs when no rendered format is asked for', async () => {
    const dir = tmp();
    await writeReport({ kind: 'run', doc: runDoc() }, { dir, formats: [] });
    expect(readdirSync(dir).sort()).toEqual(['election-time-cdf.vl.json', 'timeline.vl.json']);
  });

  it('escapes names from topology files in SVG and HTML: no raw <script> from data', async () => {
    for (const [result, named] of [
      [{ kind: 'availability' as const, doc: availabilityDoc(EVIL) }, ['availability-nines.svg', 'downtime-by-cause.svg', 'report.html']],
      [{ kind: 'run' as const, doc: runDoc(EVIL) }, ['timeline.svg', 'election-time-cdf.svg', 'report.html']],
    ] as const) {
      const dir = tmp();
      await writeReport(result, { dir, formats: ['svg', 'png', 'html'] });
      for (const name of readdirSync(dir).filter((n) => /\.(svg|html)$/.test(n))) {
        expect(readFileSync(join(dir, name), 'utf8'), name).not.toMatch(/<script/i);
      }
      for (const name of named) expect(readFileSync(join(dir, name), 'utf8'), name).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    expect(escapeHtml(`${EVIL}"'&`)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
  });

  it('writes all files or none: a failure leaves no half-written file behind', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'b.svg')); // a directory where a file must go: the rename fails
    expect(() =>
      writeFilesAtomic(dir, [
        { name: 'a.vl.json', data: '{}' },
        { name: 'b.svg', data: '<svg/>' },
      ]),
    ).toThrow(/cannot write|b\.svg: is a directory; expected a file name/);
    expect(readdirSync(dir).filter((n) => n !== 'b.svg')).toEqual([]);
  });

  it('tells a run document from an availability document by its keys', async () => {
    expect(detectDocument(runDoc())?.kind).toBe('run');
    expect(detectDocument(availabilityDoc())?.kind).toBe('availability');
    expect(detectDocument({ seed: '1', results: [{ nope: 1 }] })).toBeNull();
    expect(detectDocument([1, 2])).toBeNull();
  });
});

describe('zksim chart and run --out (issue 6 parts 2–4)', () => {
  it('re-renders a saved availability.json', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'availability.json'), JSON.stringify(availabilityDoc()));
    const r = await zksim(['chart', join(dir, 'availability.json'), '--format', 'svg,png,html', '--out', join(dir, 'out')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(join(dir, 'out'))).toContain('report.html');
    expect(readdirSync(join(dir, 'out'))).toContain('availability-nines.png');
  });

  it('run --out writes run.json, the timeline chart files and report.html; chart re-renders from run.json', async () => {
    const dir = tmp();
    const r = await zksim(['run', 'topologies/n3-1az.yaml', '--duration', '30s', '--fault', 'kill:leader@10s+5s', '--out', dir]);
    expect(r.status).toBe(0);
    const names = readdirSync(dir);
    for (const f of ['run.json', 'timeline.vl.json', 'timeline.svg', 'timeline.png', 'report.html']) expect(names).toContain(f);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { topology: string };
    expect(run.topology).toBe('n3-1az');
    const again = await zksim(['chart', join(dir, 'run.json'), '--format', 'svg', '--out', join(dir, 'again')]);
    expect(again.status).toBe(0);
    expect(readFileSync(join(dir, 'again', 'timeline.svg'), 'utf8')).toBe(readFileSync(join(dir, 'timeline.svg'), 'utf8'));
  });

  it('exits 2 with one clear line for a missing file, bad JSON, a foreign JSON and an unknown format', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(runDoc()));
    const cases: [string[], RegExp][] = [
      [['chart', join(dir, 'missing.json')], /missing\.json: no such result file/],
      [['chart', join(dir, 'bad.json')], /bad\.json: not valid JSON/],
      [['chart', join(dir, 'other.json')], /other\.json: not a zksim result/],
      [['chart', join(dir, 'ok.json'), '--format', 'svg,pdf'], /--format: unknown format 'pdf'/],
    ];
    for (const [args, message] of cases) {
      const r = await zksim(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
    expect(readdirSync(dir).sort()).toEqual(['bad.json', 'ok.json', 'other.json']);
  });
});
