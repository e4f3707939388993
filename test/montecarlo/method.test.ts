/**
 * Issue 12: `--method auto` uses failure biasing only where it pays — where losing the quorum
 * takes overlapping failures and the planned naive trials would not see enough quorum losses on
 * their own (montecarlo/method.ts). Each branch of the rule, on shipped layouts.
 */
import { describe, expect, it } from 'vitest';
import { independentCrashRepair } from '../../src/faults/index.js';
import type { Experiment } from '../../src/model/experiment.js';
import { NAIVE_ENOUGH_LOSSES, pilotQuorumLosses, resolveMethod, singleEventQuorumLoss } from '../../src/montecarlo/index.js';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { experiment, topology } from '../helpers/topologies.js';

const HOUR_US = 3_600_000_000;
const YEAR_US = 365 * 24 * HOUR_US;
const production = experiment('production');
const hosts = (mttfH: number, mttrH: number): Experiment => ({ ...production, failures: independentCrashRepair(mttfH * HOUR_US, mttrH * HOUR_US) });
const plan = (runs: number) => ({ runs, horizonUs: YEAR_US, seed: '1' });

describe('resolveMethod', () => {
  it('keeps naive Monte Carlo where a single failure event takes the quorum, and names the event', () => {
    expect(singleEventQuorumLoss(topology('n3-1az'), production.failures)).toMatch(/zone az1|burst in zone az1/);
    expect(singleEventQuorumLoss(topology('n4-2az'), production.failures)).not.toBeNull();
    expect(singleEventQuorumLoss(topology('n5-3az'), production.failures)).toBeNull();
    const r = resolveMethod('auto', topology('n4-2az'), production, plan(300));
    expect(r.method).toBe('naive');
    expect(r.reason).toMatch(/a single failure event takes the quorum/);
  });

  it('uses failure biasing where losses need overlapping failures and are rare for the planned trials', () => {
    expect(resolveMethod('auto', topology('n5-3az'), production, plan(300)).method).toBe('failure-biasing');
    expect(resolveMethod('auto', topology('n7-3az'), hosts(999, 1), plan(1000)).method).toBe('failure-biasing');
  });

  it('keeps naive Monte Carlo where the pilot expects enough losses, and says how many', () => {
    const often = hosts(240, 48); // a = 0.83: overlaps every few days
    expect(pilotQuorumLosses(topology('n3-3az'), often, plan(100))).toBeGreaterThan(NAIVE_ENOUGH_LOSSES);
    const r = resolveMethod('auto', topology('n3-3az'), often, plan(100));
    expect(r.method).toBe('naive');
    expect(r.reason).toMatch(/100 naive trials would see ~\d+ quorum losses/);
    // The same layout and model with too few trials to see them: failure biasing.
    expect(resolveMethod('auto', topology('n3-3az'), often, plan(1)).method).toBe('failure-biasing');
  });

  it('honours an explicit method, and has nothing to bias without exponential up times', () => {
    expect(resolveMethod('naive', topology('n5-3az'), production, plan(10)).method).toBe('naive');
    expect(resolveMethod('failure-biasing', topology('n3-1az'), production, plan(10)).method).toBe('failure-biasing');
    const weibull: Experiment = { ...production, failures: { ...hosts(999, 1).failures, hostFailures: { mttf: { dist: 'weibull', scale: 999 * HOUR_US, shape: 1.5 }, mttr: { dist: 'exponential', mean: HOUR_US } } } };
    const r = resolveMethod('auto', topology('n5-3az'), weibull, plan(10));
    expect(r.method).toBe('naive');
    expect(r.reason).toMatch(/no failure process has exponential up times/);
  });

  it('keeps naive Monte Carlo where the all-up instants are no regeneration points: rolling maintenance, non-exponential up times', () => {
    const rm = resolveMethod('auto', topology('n3-3az'), experiment('rolling-maintenance'), plan(20));
    expect(rm.method).toBe('naive');
    expect(rm.reason).toMatch(/rolling maintenance runs on a calendar/);
    const mixed: Experiment = {
      ...production,
      failures: { ...production.failures, hostFailures: { mttf: { dist: 'weibull', scale: 30 * YEAR_US, shape: 1.5 }, mttr: { dist: 'exponential', mean: HOUR_US } } },
    };
    const r = resolveMethod('auto', topology('n5-3az'), mixed, plan(20));
    expect(r.method).toBe('naive');
    expect(r.reason).toMatch(/hostFailures has non-exponential up times/);
  });

  it('refuses --method failure-biasing where its weights would be biased: exit 2, the reason, no stack trace', async () => {
    const r = await zksim(['availability', 'topologies/n3-3az.yaml', '--experiment', 'experiments/rolling-maintenance.yaml', '--runs', '2', '--method', 'failure-biasing']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--method failure-biasing: experiment rolling-maintenance: rolling maintenance runs on a calendar.*Use --method naive or auto/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});
