/**
 * zoo.cfg mistakes a user makes, run through `zksim import` on a small temp zoo.cfg (issue 16):
 * every error names the zoo.cfg, its line and column and the key as written, says what was
 * expected, exits 2 with no stack trace, and never points into the topology YAML written from it;
 * the inputs ZooKeeper 3.8 accepts (CRLF, IPv6 brackets, a client port, peerType, …) import.
 */
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const BASE = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\n';
const VOTERS = 'server.1=zk1:2888:3888\nserver.2=zk2:2888:3888\nserver.3=zk3:2888:3888\n';
const dir = realpathSync(tempDir('zksim-import-errors-'));
let n = 0;

/** `zksim import` of `text` written to a fresh file in the temp dir; `file` is its path. */
async function importText(text: string, args: readonly string[] = [], opts: { cwd?: string; name?: string } = {}) {
  const file = join(dir, opts.name ?? `zoo${++n}.cfg`);
  writeFileSync(file, text);
  const r = await zksim(['import', file, ...args], opts.cwd === undefined ? {} : { cwd: opts.cwd });
  return { ...r, file, errors: r.stderr.split('\n').filter((l) => /^(zksim: )?\//.test(l)) };
}

/** An import that fails: exit 2, no stack trace, no position inside the generated YAML. */
async function failing(text: string, args: readonly string[] = []) {
  const r = await importText(text, args);
  expect(r.status, r.stderr).toBe(2);
  expect(hasStackTrace(r.stderr)).toBe(false);
  expect(r.stderr).not.toContain('(as a topology)');
  expect(r.stderr).not.toMatch(/servers\[\d+\]/);
  return r;
}

describe('the reviewer\'s zoo.cfg errors, each at the zoo.cfg line', () => {
  it('all-zero weights: at the first weight.N line, as the quorum ZooKeeper 3.8 can never form', async () => {
    const r = await failing(`${BASE}${VOTERS}group.1=1:2:3\nweight.1=0\nweight.2=0\nweight.3=0\n`);
    expect(r.errors).toEqual([`zksim: ${r.file}:8:10: weight.1: expected at least one voter with a weight ≥ 1, found every voter's weight 0 (weight.1, weight.2, weight.3): no set of servers is then a quorum. ZooKeeper 3.8 starts, but never elects a leader (QuorumHierarchical.computeGroupWeight leaves zero-weight groups out and containsQuorum then finds no weighted majority)`]);
  });

  it('minSessionTimeout > maxSessionTimeout: at minSessionTimeout, an unset bound being 2 or 20 × tickTime', async () => {
    const both = await failing(`${BASE}minSessionTimeout=50000\nmaxSessionTimeout=4000\n${VOTERS}`);
    expect(both.errors).toEqual([`zksim: ${both.file}:4:19: minSessionTimeout: expected minSessionTimeout ≤ maxSessionTimeout, found 50000 ms > 4000 ms (maxSessionTimeout at ${both.file}:5); ZooKeeper 3.8 refuses to start: "minSessionTimeout must not be larger than maxSessionTimeout" (QuorumPeerConfig.parseProperties)`]);
    const minOnly = await failing(`${BASE}minSessionTimeout=50000\n${VOTERS}`);
    expect(minOnly.stderr).toContain(`${minOnly.file}:4:19: minSessionTimeout: expected minSessionTimeout ≤ maxSessionTimeout, found 50000 ms > 40000 ms (maxSessionTimeout unset: 20 × tickTime = 40000 ms)`);
    const maxOnly = await failing(`${BASE}maxSessionTimeout=3000\n${VOTERS}`);
    expect(maxOnly.stderr).toContain(`${maxOnly.file}:4:19: maxSessionTimeout: expected minSessionTimeout ≤ maxSessionTimeout, found 4000 ms > 3000 ms (minSessionTimeout unset: 2 × tickTime = 4000 ms)`);
  });

  it('what only the topology checks catch is still reported at the zoo.cfg line that gave it', async () => {
    const big = await failing(`tickTime=2000\ninitLimit=100000000\nsyncLimit=5\n${VOTERS}`);
    expect(big.errors).toEqual([`zksim: ${big.file}:2:11: initLimit: expected tickTime × initLimit at most 1 day (86400000 ms), found 2000 ms × 100000000 = 200000000000 ms`]);
    const local = await failing(`${BASE}server.1=localhost:2888:3888\nserver.2=localhost:2889:3889\nserver.3=localhost:2890:3890\n`, ['--zones', '1=a,2=b,3=c']);
    expect(local.stderr).toContain(`${local.file}:5:1: server.2: host localhost is in zone a, rack a-localhost (server.1), found zone b, rack b-localhost (zones from --zones)`);
  });

  it('a leading UTF-8 BOM is skipped, with a note; no invisible character in any message', async () => {
    const ok = await importText(`\uFEFF${BASE}${VOTERS}`);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/ {2}tickTime: 2000 +# ms, /);
    expect(ok.stderr).toContain(`${ok.file}:1: the file starts with a UTF-8 byte order mark, skipped; ZooKeeper 3.8 reads it as three characters (ï»¿) of the first key, so it would not see tickTime`);
    const bad = await failing(`\uFEFFtickTime=2s\ninitLimit=10\nsyncLimit=5\n${VOTERS}`);
    expect(bad.errors).toEqual([`zksim: ${bad.file}:1:10: tickTime: expected a positive number of milliseconds, found "2s"`]);
    for (const out of [ok.stderr, ok.stdout, bad.stderr]) expect(out).not.toContain('\uFEFF');
  });

  it('weight.N without any group.N: one error, ZooKeeper 3.8 refusing it as a hierarchical quorum with no groups', async () => {
    const r = await failing(`${BASE}${VOTERS}weight.1=3\nweight.2=1\n`);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain(`${r.file}:7:1: weight.1: expected group.G=id:id:… lines with weight.N: weights only apply within the groups of a hierarchical quorum, and there are none.`);
  });

  it('an observer in a group: refused at its id in the group line (3.8 fails to start on it)', async () => {
    const r = await failing(`${BASE}${VOTERS}server.4=zk4:2888:3888:observer\ngroup.1=1:2:3:4\n`);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain(`${r.file}:8:15: group.1: expected voters only, found server 4, an observer (${r.file}:7): observers do not vote, so they are in no group; ZooKeeper 3.8 fails to start on it with a NullPointerException`);
  });

  it('initLimit=0: one error at its value, saying ZooKeeper takes 0 as not set', async () => {
    const r = await failing(`tickTime=2000\ninitLimit=0\nsyncLimit=5\n${VOTERS}`);
    expect(r.errors).toEqual([`zksim: ${r.file}:2:11: initLimit: expected a positive number of ticks, found "0" (ZooKeeper 3.8 takes 0 as not set and refuses to start: "initLimit is not set", QuorumPeerConfig.checkValidity)`]);
  });

  it('a bad port: the column of that port', async () => {
    const election = await failing(`${BASE}server.1=zk1:2888:3888\nserver.2=zk2:2888:99999\n`);
    expect(election.stderr).toContain(`${election.file}:5:19: server.2: expected the election port (a port, 0-65535), found "99999"`);
    const quorum = await failing(`${BASE}server.1 = [2001:db8::1]:28x8:3888\nserver.2=zk2:2888:3888\n`);
    expect(quorum.stderr).toContain(`${quorum.file}:4:26: server.1: expected the quorum port (a port, 0-65535), found "28x8"`);
  });

  it('a missing dynamic file: said once, with each path tried and what it is relative to', async () => {
    const r = await importText(`${BASE}dynamicConfigFile=missing.dyn\n`, [], { cwd: dir, name: 'with-dynamic.cfg' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`zksim: ${r.file}:4:19: dynamicConfigFile: cannot find missing.dyn: tried ${join(dir, 'missing.dyn')} (relative to the working directory, as ZooKeeper opens it, and beside the zoo.cfg); copy the dynamic file beside the zoo.cfg or pass it as the second argument of zksim import\n`);
    const elsewhere = await importText(`${BASE}dynamicConfigFile=conf/missing.dyn\n`, [], { cwd: join(dir, '..') });
    expect(elsewhere.stderr).toContain(`cannot find conf/missing.dyn: tried ${join(dir, '..', 'conf', 'missing.dyn')} (relative to the working directory, as ZooKeeper opens it) and ${join(dir, 'missing.dyn')} (beside the zoo.cfg)`);
  });
});

describe('zoo.cfg files real users have', () => {
  it.each([
    ['CRLF line ends, trailing blanks, comments with trailing spaces, = : and blank separators', `# ensemble   \r\ntickTime=2000   \r\ninitLimit = 10\t\r\nsyncLimit:5\r\n  # indented  \r\nserver.1 = zk1:2888:3888   \r\nserver.2=zk2:2888:3888\r\nserver.3 zk3:2888:3888\r\n`, '{ id: 3, host: zk3, zone: az1 }'],
    ['client ports after ";" (with and without a client host), no clientPort line', `${BASE}server.1=zk1:2888:3888;2181\nserver.2=zk2:2888:3888:participant;0.0.0.0:2181\nserver.3=zk3:2888:3888;[::]:2181\n`, '{ id: 2, host: zk2, zone: az1 }'],
    ['IPv6 addresses in brackets', `${BASE}server.1=[2001:db8::1]:2888:3888\nserver.2=[2001:db8::2]:2888:3888\nserver.3=[::1]:2888:3888:observer\n`, '{ id: 3, host: "::1", zone: az1, role: observer }'],
    ['peerType=observer on an observer host (the server lines decide)', `${BASE}peerType=observer\n${VOTERS}server.4=zk4:2888:3888:observer\n`, '{ id: 4, host: zk4, zone: az1, role: observer }'],
    ['two servers', `${BASE}server.1=zk1:2888:3888\nserver.2=zk2:2888:3888\n`, '{ id: 2, host: zk2, zone: az1 }'],
  ])('%s: imports', async (_what, text, line) => {
    const r = await importText(text);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(line);
    expect(r.stdout).toMatch(/ {2}initLimit: 10 +# ticks, /);
  });

  it('a server.N given twice: the last counts, and stderr names both lines', async () => {
    const r = await importText(`${BASE}${VOTERS}server.1=zk9:2888:3888\n`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('{ id: 1, host: zk9, zone: az1 }');
    expect(r.stderr).toContain(`${r.file}:4: server.1 is given again on line 7; the last one counts (java.util.Properties)`);
  });

  it.each([
    ['server.01 beside server.1', `${BASE}${VOTERS}server.01=zk9:2888:3888\n`, ':7:1: server.01: server 1 is already given by server.1'],
    ['a server line with no ports', `${BASE}server.1=zk1\nserver.2=zk2:2888:3888\n`, ':4:10: server.1: expected host:quorumPort:electionPort[:participant|:observer][;[clientHost:]clientPort], e.g. zk1.example.com:2888:3888;2181, found "zk1"'],
    ['an IPv6 address without brackets', `${BASE}server.1=2001:db8::1:2888:3888\nserver.2=zk2:2888:3888\n`, ':4:10: server.1: expected host:quorumPort:electionPort[:participant|:observer][;[clientHost:]clientPort], e.g. zk1.example.com:2888:3888;2181, found "2001:db8::1:2888:3888" (an IPv6 address goes in brackets: [2001:db8::1]:2888:3888)'],
    ['a bad client port', `${BASE}server.1=zk1:2888:3888;zk1:21x81\nserver.2=zk2:2888:3888\n`, ':4:24: server.1: expected the client address [clientHost:]clientPort after ";", found "zk1:21x81"'],
    ['a # comment after a value', `tickTime=2000 # ms\ninitLimit=10\nsyncLimit=5\n${VOTERS}`, ':1:10: tickTime: expected a positive number of milliseconds, found "2000 # ms" (a # starts a comment only at the start of a line'],
    ['a # comment after a group line', `${BASE}server.1=zk1:2888:3888\nserver.2=zk2:2888:3888\ngroup.1=1:2 # dc1\n`, ':6:11: group.1: expected server ids separated by ":" (e.g. 1:2:3), found "1:2 # dc1" (a # starts a comment only at the start of a line'],
    ['only observers', `${BASE}server.1=zk1:2888:3888:observer\nserver.2=zk2:2888:3888:observer\n`, ': server.N: expected at least one participant'],
  ])('%s: a positioned error', async (_what, text, expected) => {
    const r = await failing(text);
    expect(r.errors).toHaveLength(1);
    expect(r.stderr).toContain(`${r.file}${expected}`);
  });

  it('a miscased key is named with the key it resembles', async () => {
    const r = await importText(`ticktime=2000\ninitLimit=10\nsyncLimit=5\n${VOTERS}`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${r.file}:1: ticktime is not a key zksim knows, and is ignored; did you mean tickTime?`);
  });
});
