/**
 * The text of dynamic reconfiguration: a topology's `member: false` servers and its
 * reconfigEnabled / standaloneEnabled switches (with errors at file:line:col), and the
 * `reconfig:` fault syntax (canonical text that parses back; errors naming the fault and what
 * was expected).
 */
import { describe, expect, test } from 'vitest';
import { formatConfigError, formatFault, parseFault, parseTopology } from '../../src/config/index.js';
import { reconfigSettings } from '../../src/model/index.js';
import { initialConfig } from '../../src/scenario/membership.js';
import { withReconfigServers } from '../../src/scenario/reconfig-kind.js';
import { topology } from '../helpers/topologies.js';

const SERVERS = ['servers:', '  - { id: 1, zone: az1 }', '  - { id: 2, zone: az2 }', '  - { id: 3, zone: az3 }'];

function parse(lines: readonly string[]) {
  return parseTopology([...lines, ''].join('\n'), 'members.yaml');
}

describe('topology: membership and the reconfig switches', () => {
  test('member: false keeps a server out of the initial configuration; the switches default to true', () => {
    const p = parse([...SERVERS, '  - { id: 4, zone: az3, member: false }']);
    if (!p.ok) throw new Error(p.errors.map(formatConfigError).join('\n'));
    expect(p.topology.servers.find((s) => s.id === 4)?.member).toBe(false);
    expect(initialConfig(p.topology).members.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(reconfigSettings(p.topology)).toEqual({ reconfigEnabled: true, standaloneEnabled: true });
  });

  test('zookeeper.reconfigEnabled: false is read; a non-boolean is refused at its line', () => {
    const ok = parse(['zookeeper:', '  reconfigEnabled: false', ...SERVERS]);
    if (!ok.ok) throw new Error(ok.errors.map(formatConfigError).join('\n'));
    expect(reconfigSettings(ok.topology)).toEqual({ reconfigEnabled: false, standaloneEnabled: true });
    const bad = parse(['zookeeper:', '  standaloneEnabled: maybe', ...SERVERS]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map(formatConfigError).join('\n')).toMatch(/members\.yaml:2:\d+.*zookeeper\.standaloneEnabled.*expected true or false/);
  });

  test('member: takes a boolean (at its position), and some voter must be a member', () => {
    const bad = parse([...SERVERS.slice(0, 3), '  - { id: 3, zone: az3, member: no }']);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map(formatConfigError).join('\n')).toMatch(/members\.yaml:4:\d+.*servers\[2\]\.member.*expected true or false/);
    const none = parse(['servers:', '  - { id: 1, zone: az1, member: false }']);
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.errors.map(formatConfigError).join('\n')).toMatch(/at least one voter in the initial configuration/);
  });
});

describe('the reconfig: fault text', () => {
  const t = topology('n5-3az');
  const canonical = (text: string): string => {
    const p = parseFault(text, t);
    if (!p.ok) throw new Error(p.error);
    return formatFault(p.fault);
  };

  test('incremental and member-list forms come back in canonical text', () => {
    expect(canonical('reconfig:+6=az3/voter@10m')).toBe('reconfig:+6=az3/voter@10m');
    expect(canonical('reconfig:-2,+7=az1/observer@1m')).toBe('reconfig:+7=az1/observer,-2@1m');
    expect(canonical('reconfig:2=observer@30s')).toBe('reconfig:+2=observer@30s');
    expect(canonical('reconfig:members=1,2,3,6=az3/voter@1m')).toBe('reconfig:members=1,2,3,6=az3/voter@1m');
    for (const text of ['reconfig:+6=az3/voter@10m', 'reconfig:+2=observer@30s', 'reconfig:members=1,2,3,6=az3/voter@1m']) expect(canonical(canonical(text))).toBe(canonical(text));
  });

  test('errors name the fault and what was expected', () => {
    const error = (text: string): string => {
      const p = parseFault(text, t);
      return p.ok ? 'parsed' : p.error;
    };
    expect(error('reconfig:+6@10m')).toMatch(/server 6 is not in the topology: give the zone of its new host \(\+6=ZONE\/voter\)/);
    expect(error('reconfig:+6=az9/voter@10m')).toMatch(/unknown zone az9/);
    expect(error('reconfig:-9@10m')).toMatch(/unknown server 9/);
    expect(error('reconfig:2=leader@10m')).toMatch(/expected a role \(voter, observer\), a zone or ZONE\/ROLE after "2=", found "leader"/);
    expect(error('reconfig:+6=az3/leader@10m')).toMatch(/expected a role voter or observer for server 6, found "leader"/);
    expect(error('reconfig:+2,-2@10m')).toMatch(/server 2 is both added and removed/);
    expect(error('reconfig:-2@10m+1m')).toMatch(/a reconfig is never repaired/);
  });

  test('a server the topology lacks is added on a new host in its zone, as a non-member', () => {
    const p = parseFault('reconfig:+6=az3/voter@10m', t);
    if (!p.ok) throw new Error(p.error);
    const added = withReconfigServers(t, [p.fault]).servers.find((s) => s.id === 6);
    expect(added).toMatchObject({ id: 6, zone: 'az3', region: t.servers.find((s) => s.zone === 'az3')?.region, host: 'server-6', member: false, role: 'voter' });
  });
});
