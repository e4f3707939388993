/** Scenario files: what `zksim check` writes is what `zksim run --scenario` reads, byte for byte. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatConfigError } from '../../src/config/index.js';
import { SCENARIO_QUORUM_RULES, SCENARIO_UNSAFE_VARIANTS, parseScenario } from '../../src/config/scenario.js';
import { caseArb } from '../../src/scenario/explore.js';
import { formatScenario, scenarioFromFile } from '../../src/scenario/scenario-file.js';
import { QUORUM_RULES, UNSAFE_VARIANTS } from '../../src/zk/index.js';
import { topology } from '../helpers/topologies.js';

describe('scenario files', () => {
  test('config/ mirrors the rule names of zk/unsafe.ts', () => {
    expect([...SCENARIO_QUORUM_RULES]).toEqual([...QUORUM_RULES]);
    expect([...SCENARIO_UNSAFE_VARIANTS]).toEqual([...UNSAFE_VARIANTS]);
  });

  test('format then parse gives the same scenario back, for every generated case', () => {
    const arb = caseArb({ topologies: null, quorumRule: 'naive', unsafe: ['ack-before-fsync'] });
    fc.assert(
      fc.property(arb, (c) => {
        const text = formatScenario(c.scenario, ['a comment']);
        const parsed = parseScenario(text, 'x.yaml');
        if (!parsed.ok) throw new Error(parsed.errors.map(formatConfigError).join('\n'));
        const loaded = scenarioFromFile(parsed.scenario, c.base.topology);
        if (!loaded.ok) throw new Error(loaded.errors.map(formatConfigError).join('\n'));
        expect(loaded.scenario).toEqual(c.scenario);
        expect(formatScenario(loaded.scenario, ['a comment'])).toBe(text);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  test('every problem is reported with its line and column', () => {
    const text = ['seed: 1', 'duration: 5x', 'faults:', '  - kill:9@1s', '  - 7', 'workload: {writes: -1}', 'quorumRule: naiv', 'colour: red'].join('\n');
    const parsed = parseScenario(text, 's.yaml');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map(formatConfigError)).toEqual([
      's.yaml:2:11: duration: expected a positive duration with a unit such as 500ms, 60s or 5m, found "5x"',
      's.yaml:5:5: faults[1]: expected a fault such as kill:leader@10s+5s, found number 7',
      's.yaml:6:20: workload.writes: expected a rate per second between 0 and 1000000, found number -1',
      's.yaml:7:13: quorumRule: expected one of majority, naive, found "naiv" (did you mean "naive"?)',
      's.yaml:8:1: colour: unknown key "colour"; expected one of description, seed, duration, quorumRule, unsafe, topology, workload, faults',
    ]);
  });

  test('faults and overrides are checked against the topology, with positions', () => {
    const parsed = parseScenario(['faults:', '  - kill:9@1s', '  - partition:1|2@70s', 'topology:', '  zookeeper.tickTim: 10'].join('\n'), 's.yaml');
    if (!parsed.ok) throw new Error('parse');
    const loaded = scenarioFromFile(parsed.scenario, topology('n4-2az'));
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors.map(formatConfigError)[0]).toMatch(/^s\.yaml:5:22: topology\.zookeeper\.tickTim: no zookeeper\.tickTim \(did you mean "zookeeper\.tickTime"\?\)/);
    const again = scenarioFromFile({ ...parsed.scenario, overrides: [] }, topology('n4-2az'));
    if (again.ok) throw new Error('expected errors');
    expect(again.errors.map(formatConfigError)).toEqual([
      's.yaml:2:5: faults[0]: unknown server 9 in "kill:9@1s" (servers are 1..4)',
      's.yaml:3:5: faults[1]: partition:1|2@70s fires at or after the end of the run (duration 60s)',
    ]);
  });
});
