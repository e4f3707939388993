// Issue 9 (review): places where `zksim availability` printed confident wrong numbers. Each test
// holds the right value, with fixed seeds; tolerances come from the printed intervals.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatAvailability, formatAvailabilityInterval, writeTrust } from '../../src/montecarlo/estimate.js';
import { zksim } from '../helpers/cli.js';

const MIN_PER_YEAR = 525_600;
/** Garwood: 0 events in exposure T ⇒ rate ≤ −ln(0.025)/T = 3.689/T at 95%. */
const GARWOOD_ZERO = -Math.log(0.025);
// These rules are the naive estimator's (issue 9): ask for it, since auto would pick failure biasing here.
const AZ = ['availability', 'topologies/n5-3az.yaml', '--experiment', 'experiments/az-outage.yaml', '--workers', '1', '--method', 'naive'];

async function json(args: readonly string[]): Promise<any> {
  const r = await zksim([...args, '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/**
 * One invocation with --out: the printed table and the document it wrote (availability.json, the
 * bytes --json prints), so a test comparing the two needs one study, not two.
 */
async function tableAndDocument(args: readonly string[], out: string): Promise<{ table: string; doc: any }> {
  const r = await zksim([...args, '--out', out]);
  expect(r.status, r.stderr).toBe(0);
  return { table: r.stdout, doc: JSON.parse(readFileSync(join(out, 'availability.json'), 'utf8')) };
}

let az40: Promise<{ table: string; doc: any }> | undefined;
/** n5-3az under az-outage, 40 naive trials: shared by the two tests (§1, §2) that read it. */
function azRuns40(): Promise<{ table: string; doc: any }> {
  az40 ??= (async () => {
    const out = mkdtempSync(join(tmpdir(), 'zksim-trust-'));
    try {
      return await tableAndDocument([...AZ, '--runs', '40'], out);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  })();
  return az40;
}

describe('write availability is never more trusted than the quorum losses behind it (issue 9 review §1)', () => {
  test('n5-3az under az-outage, 40 trials: no quorum loss seen, so write availability is marked *, and the impossible interval is named', async () => {
    const { doc, table } = await azRuns40();
    const r = doc.results[0];
    // The repro: plenty of failovers, no quorum loss, a narrow write interval above the closed form.
    expect(r.quorumLossEpisodes).toBe(0);
    expect(r.failureOutageEpisodes).toBeGreaterThanOrEqual(10);
    expect(r.tooFewWriteEpisodes).toBe(false);
    expect(r.analyticLeavesOut).toEqual([]);
    // The right value: the closed form covers every process here; quorum downtime 8.0 min/yr is a floor under write downtime.
    expect(r.analyticQuorumUnavailability * MIN_PER_YEAR).toBeCloseTo(8.04, 1);
    expect(r.writeAvailabilityCi95[0]).toBeGreaterThan(r.analyticQuorumAvailability);
    expect(r.writeAvailabilityUntrusted).toBe(true);
    expect(r.warnings.some((w: string) => w.startsWith('impossible: the write availability interval'))).toBe(true);
    expect(table).toMatch(/^write availability\s+99\.\d+% \*$/m);
    expect(table).toMatch(/^warning: n5-3az: impossible: the write availability interval .* lies entirely above the closed-form quorum availability 99\.99847%/m);
  }, 120_000);

  test('n5-3az under az-outage, 300 trials: 33 quorum losses, write downtime ~8 min/yr, consistent with the closed form and trusted', async () => {
    const doc = await json([...AZ, '--runs', '300']);
    const r = doc.results[0];
    expect(r.quorumLossEpisodes).toBeGreaterThanOrEqual(10);
    expect(r.writeAvailabilityUntrusted).toBe(false);
    // The closed form lies inside the simulated quorum interval, and write availability can sit at or below it.
    expect(r.analyticQuorumAvailability).toBeGreaterThanOrEqual(r.quorumAvailabilityCi95[0]);
    expect(r.analyticQuorumAvailability).toBeLessThanOrEqual(r.quorumAvailabilityCi95[1]);
    expect(r.writeAvailabilityCi95[0]).toBeLessThanOrEqual(r.analyticQuorumAvailability);
    const [lo, hi] = r.downtimeMinutesPerYearCi95;
    expect(lo).toBeLessThanOrEqual(r.analyticQuorumUnavailability * MIN_PER_YEAR);
    expect(hi).toBeGreaterThan(r.analyticQuorumUnavailability * MIN_PER_YEAR);
    expect(r.warnings.join('\n')).not.toContain('impossible');
  }, 120_000);

  test('the rule: few quorum losses can be ignored only when a complete closed form says they are under a tenth of the write downtime', () => {
    const base = { failureOutageEpisodes: 50, quorumLossEpisodes: 0, writeUnavailability: 1e-5, analyticQuorumUnavailability: 1e-7, analyticLeavesOut: [] as string[] };
    expect(writeTrust(base)).toBe(false);
    expect(writeTrust({ ...base, analyticQuorumUnavailability: 2e-6 })).toBe(true);
    expect(writeTrust({ ...base, analyticLeavesOut: ['bursts'] })).toBe(true);
    expect(writeTrust({ ...base, analyticQuorumUnavailability: null, analyticLeavesOut: null })).toBe(true);
    expect(writeTrust({ ...base, quorumLossEpisodes: 10, analyticQuorumUnavailability: 1e-3 })).toBe(false);
    expect(writeTrust({ ...base, failureOutageEpisodes: 9 })).toBe(true);
  });
});

describe('mean time to quorum loss with none seen (issue 9 review §2)', () => {
  test('prints the 95% Garwood lower bound T/3.689, labelled, never the trial-years as a bound', async () => {
    const { doc, table } = await azRuns40();
    const r = doc.results[0];
    expect(r.trialsWithQuorumLoss).toBe(0);
    expect(r.quorumLossExposureYears).toBeCloseTo(40, 6);
    const [lo, hi] = r.simulatedMeanYearsToQuorumLossCi95;
    expect(lo).toBeCloseTo(r.quorumLossExposureYears / GARWOOD_ZERO, 6);
    expect(hi).toBeNull();
    expect(r.tooFewMttqlEvents).toBe(true);
    expect(table).toMatch(/^mean time to quorum loss\s+≥ 10\.8 y \(95% lower bound, none seen\)$/m); // 40 y / 3.689, 3 significant digits (stats/format.ts formatDuration)
    expect(table).toMatch(/^ {2}simulated, 95% CI\s+10\.8 y – ∞ \*$/m);
    expect(table).not.toMatch(/> 40 ?y/);
  }, 120_000);
});

describe('warnings travel with the numbers (issue 9 review §3)', () => {
  test('the JSON rows carry exactly the table\'s warnings, and report.html shows them near the table', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zksim-trust-'));
    try {
      const args = ['availability', 'topologies/n5-3az.yaml', 'topologies/n3-3az.yaml', '--experiment', 'experiments/az-outage.yaml', '--runs', '20', '--workers', '1', '--method', 'naive'];
      const { doc, table } = await tableAndDocument(args, out);
      const fromTable = table.split('\n').filter((l) => l.startsWith('warning: ')).map((l) => l.slice('warning: '.length));
      const fromJson = doc.results.flatMap((r: any) => r.warnings.map((w: string) => `${r.topology}: ${w}`));
      expect(fromJson.length).toBeGreaterThan(0);
      expect(fromJson).toEqual(fromTable);
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      const block = html.slice(html.indexOf('<section class="warnings" id="warnings">'), html.indexOf('</section>', html.indexOf('id="warnings"')));
      expect(block).toContain(`Warnings (${fromJson.length})`);
      // inside the Tables section, before the first table
      expect(html.indexOf('id="warnings"')).toBeGreaterThan(html.indexOf('<section id="tables">'));
      expect(html.indexOf('id="warnings"')).toBeLessThan(html.indexOf('<table>'));
      expect(block).toContain('impossible: the write availability interval');
      // the nines chart draws the untrusted estimates hollow, with their own legend entry
      const spec = readFileSync(join(out, 'availability-nines.vl.json'), 'utf8');
      expect(spec).toContain('simulated, not to be trusted (*)');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('intervals and closed forms that round to 100% (issue 9 review §4, §5)', () => {
  test('formatting: 1 − U for what would print as 100.000000000%, n/a for an interval with no episode', () => {
    expect(formatAvailability(1 - 2.1e-12, 2.1e-12)).toBe('1 − 2.1e-12');
    expect(formatAvailability(1 - 1.53e-5)).toBe('99.99847%');
    expect(formatAvailability(1, 0)).toBe('100%');
    expect(formatAvailability(0)).toBe('0.0%');
    expect(formatAvailabilityInterval([1, 1], 0, 'quorum loss')).toBe('n/a (no quorum loss seen)');
    expect(formatAvailabilityInterval([0.9, 0.95], 3, 'quorum loss')).toBe('90.0% – 95.00%');
  });

  test('rolling-maintenance on n5-3az: the closed form is printed as 1 − U, the empty quorum interval as n/a', async () => {
    const r = await zksim(['availability', 'topologies/n5-3az.yaml', '--experiment', 'experiments/rolling-maintenance.yaml', '--runs', '3', '--workers', '1', '--method', 'naive']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^closed form \(quorum\)\s+1 − \d\.\de-1\d$/m);
    expect(r.stdout).not.toContain('100.000000000%');
    expect(r.stdout).toMatch(/^ {2}95% CI\s+n\/a \(no quorum loss seen\)$/m);
  }, 120_000);

  test('--node-mttf 1ms --node-mttr 30d on n3-3az: closed form 0.0% equals the printed interval 0.0% – 0.0%, no "outside" warning', async () => {
    const doc = await json(['availability', 'topologies/n3-3az.yaml', '--node-mttf', '1ms', '--node-mttr', '30d', '--runs', '10', '--workers', '1']);
    const r = doc.results[0];
    expect(r.quorumAvailabilityCi95[1]).toBeLessThan(1e-9);
    expect(r.analyticQuorumAvailability).toBeLessThan(1e-9);
    expect(r.warnings.filter((w: string) => w.includes('outside'))).toEqual([]);
  }, 120_000);
});

describe('assumptions name what sets the detection delay, and who replaced the model (issue 9 review §6, §7)', () => {
  test('--set zookeeper.tickTime=1000 is visible in the table, --show-model and report.html; --node-mttf says what it replaced', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zksim-trust-'));
    try {
      const args = ['availability', 'topologies/n3-3az.yaml', '--set', 'zookeeper.tickTime=1000', '--node-mttf', '30d', '--node-mttr', '2h', '--runs', '2', '--horizon', '10d', '--workers', '1'];
      const { table } = await tableAndDocument(args, out);
      expect(table).toContain('zookeeper: tickTime 1000 ms (overridden by --set), initLimit 10, syncLimit 5, cnxTimeout 5000 ms');
      expect(table).toMatch(/latency \(one-way\): sameHost .*; sameZone .*; crossZone .*; crossRegion /);
      expect(table).toContain('model: --node-mttf 30d --node-mttr 2h replaced the failures of experiment production');
      const shown = (await zksim([...args, '--show-model'])).stdout;
      expect(shown).toContain('tickTime 1000 ms (overridden by --set)');
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html).toContain('tickTime 1000 ms (overridden by --set)');
      expect(html).toContain('--node-mttf 30d --node-mttr 2h replaced the failures of experiment production');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  test('--horizon 1ms: warns that the horizon measures nothing beyond the start-up election', async () => {
    const doc = await json(['availability', 'topologies/n3-3az.yaml', '--horizon', '1ms', '--runs', '2', '--workers', '1']);
    expect(doc.results[0].writeAvailability).toBe(0);
    expect(doc.results[0].warnings[0]).toMatch(/^the horizon \(.*\) is shorter than one hour: the availability measures little beyond the start-up election/);
  }, 120_000);
});
