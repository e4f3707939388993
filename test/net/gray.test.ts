import { describe, expect, it } from 'vitest';
import type { Notification } from '../../src/model/index.js';
import { closedTo, kindsTo, MS, packetsTo, req, S, world } from './world.js';

/** The 1 ms world's RTO: rtt 2 ms + max(2·rtt, 200 ms). */
const RTO = 202 * MS;

/** A watch on server 1's end of a fresh 1→2 connection: beats every 1 s, read timeout 10 s, from t0. */
function watched(mode: 'beats' | 'echo' = 'beats', seed = 'net-test') {
  const w = world({ dist: 'constant', value: 1000 }, seed);
  const conn = w.open(1, 2);
  const t0 = w.sim.nowUs;
  w.net.watch(1, conn, 10 * S, 1 * S, mode);
  return { ...w, conn, t0 };
}

describe('setPaused: a stop-the-world pause', () => {
  it("the far end's watch of a paused process fires at its last beat + timeout; a resume before that cancels it", () => {
    const w = watched();
    w.run(w.t0 + 3.5 * S);
    w.net.setPaused(2, true);
    w.run(w.t0 + 60 * S);
    expect(closedTo(w.got, 1)).toEqual([{ at: w.t0 + 13 * S, reason: 'timeout' }]);
    const v = watched();
    v.run(v.t0 + 3.5 * S);
    v.net.setPaused(2, true);
    v.run(v.t0 + 11 * S);
    v.net.setPaused(2, false);
    v.run(v.t0 + 60 * S);
    expect(closedTo(v.got, 1)).toEqual([]);
  });

  it("a paused watcher's own read timeout does not fire; at resume it fires if the far end is still silent", () => {
    const w = watched();
    w.run(w.t0 + 2.5 * S);
    w.net.setPaused(1, true);
    w.cut(2, 1); // its deadline is t0 + 12 s, inside the pause
    w.run(w.t0 + 20 * S);
    expect(closedTo(w.got, 1)).toEqual([]);
    w.net.setPaused(1, false);
    w.run(w.t0 + 60 * S);
    expect(closedTo(w.got, 1)).toEqual([{ at: w.t0 + 20 * S, reason: 'timeout' }]);
  });

  it('a pause with the far end beating throughout fires nothing at resume', () => {
    const w = watched();
    w.run(w.t0 + 2.5 * S);
    w.net.setPaused(1, true);
    w.run(w.t0 + 30 * S);
    w.net.setPaused(1, false);
    w.run(w.t0 + 60 * S);
    expect(closedTo(w.got, 1)).toEqual([]);
  });
});

describe('addDelay: extra one-way latency', () => {
  it('data sent after it arrives later by the extra; data sent before keeps its time; FIFO holds after removal', () => {
    const w = world();
    const conn = w.open(1, 2);
    const t0 = w.sim.nowUs;
    w.net.send(1, conn, req(1)); // t0 + 1 ms
    w.net.addDelay(1, 2, 50 * MS);
    w.net.send(1, conn, req(2)); // t0 + 51 ms
    w.net.removeDelay(1, 2, 50 * MS);
    w.net.send(1, conn, req(3)); // would be t0 + 1 ms: behind req 2
    w.run(t0 + 1 * S);
    expect(packetsTo(w.got, 2)).toEqual([
      { at: t0 + 1 * MS, writeId: 1 },
      { at: t0 + 51 * MS, writeId: 2 },
      { at: t0 + 51 * MS + 1, writeId: 3 },
    ]);
  });

  it('a watch fires at its last beat + timeout when period + extra exceeds the timeout, not otherwise', () => {
    for (const [extraUs, fires] of [[9.5 * S, true], [8 * S, false]] as const) {
      const w = watched();
      w.run(w.t0 + 3.5 * S);
      w.net.addDelay(2, 1, extraUs);
      w.run(w.t0 + 60 * S);
      expect(closedTo(w.got, 1), `extra ${extraUs}`).toEqual(fires ? [{ at: w.t0 + 13 * S, reason: 'timeout' }] : []);
    }
  });
});

describe('addLoss: TCP turns loss into delay', () => {
  it('every packet arrives, in order; a packet lost once is late by exactly one RTO, with the frequency p(1 − p)', () => {
    const w = world({ dist: 'constant', value: 1000 }, 'loss');
    const conn = w.open(1, 2);
    const t0 = w.sim.nowUs;
    w.net.addLoss(1, 2, 0.3);
    // 2 s apart: only 4+ losses in a row (0.3^4 < 1 %) hold up the next packet
    for (let i = 0; i < 200; i++) {
      w.net.send(1, conn, req(i));
      w.run(w.sim.nowUs + 2 * S);
    }
    w.run(w.sim.nowUs + 60 * S);
    const got = packetsTo(w.got, 2);
    expect(got.map((p) => p.writeId)).toEqual([...Array(200).keys()]);
    const lates = got.map((p) => p.at - (t0 + 2 * S * p.writeId) - 1 * MS);
    expect(lates.every((l) => l >= 0)).toBe(true);
    // binomial(200, 0.21): mean 42, sd 5.8; allow 4.5 sd
    expect(Math.abs(lates.filter((l) => l === RTO).length - 42)).toBeLessThan(26);
    expect(lates.filter((l) => l === 3 * RTO).length).toBeGreaterThan(0); // lost twice: RTO + 2·RTO
  });

  it('a watch fires when a beat is lost often enough in a row: geometric over beats, mean 1/q beats (q = p^k)', () => {
    // period 1 s, timeout 10 s: a beat is too late when its back-off exceeds 9 s, i.e. after
    // k = 6 losses in a row (202 ms · 63 = 12.7 s > 9 s ≥ 202 ms · 31): q = 0.5^6 = 1/64 per beat.
    const n = 400;
    let sumBeats = 0;
    for (let i = 0; i < n; i++) {
      const w = watched('beats', `loss-watch-${i}`);
      w.net.addLoss(2, 1, 0.5);
      w.run(w.t0 + 5000 * S);
      const fired = closedTo(w.got, 1);
      expect(fired.length).toBe(1);
      // fire = the beat before the late one + timeout: the late beat is number (fire − t0 − 9 s)/1 s
      sumBeats += ((fired[0] as { at: number }).at - w.t0 - 9 * S) / S;
    }
    // mean 64, sd √(1−q)/q ≈ 63.5: the standard error over 400 is 3.2; allow 4.5 of them
    expect(Math.abs(sumBeats / n - 64)).toBeLessThan(14.3);
  });

  it('removing the loss cancels the drawn fire', () => {
    const w = watched('beats', 'loss-remove');
    w.net.addLoss(2, 1, 1);
    w.net.removeLoss(2, 1, 1);
    w.run(w.t0 + 100 * S);
    expect(closedTo(w.got, 1)).toEqual([]);
  });
});

describe('blackhole: a middlebox drops established connections', () => {
  it('both directions vanish silently: the watch fires, the sender errors after tcp_retries2; a new connection works', () => {
    const w = watched('beats');
    w.run(w.t0 + 3.5 * S);
    w.net.blackhole(1, 2);
    w.net.send(2, w.conn, req(1)); // never arrives; 2's kernel retransmits until retries2
    w.run(w.t0 + 4 * S);
    const fresh = w.open(1, 2, 9);
    w.net.send(1, fresh, req(2));
    w.run(w.t0 + 2000 * S);
    // the fresh connection (dialled at t0 + 4 s, up 2 ms later) carries req 2 one latency after it is sent
    expect(packetsTo(w.got, 2)).toEqual([{ at: w.t0 + 4.2 * S + 1 * MS, writeId: 2 }]);
    expect(packetsTo(w.got, 1)).toEqual([]);
    expect(closedTo(w.got, 1)).toEqual([{ at: w.t0 + 13 * S, reason: 'timeout' }]);
    // 2 errors at the first expiry past 924.6 s after its send at t0 + 3.5 s (see tcp.test.ts)
    expect(closedTo(w.got, 2)).toEqual([{ at: w.t0 + 3.5 * S + 926_646 * MS, reason: 'timeout' }]);
  });
});

describe('election connections (QuorumCnxManager) under TCP', () => {
  const vote = (from: number, round: number): Notification => ({ from, state: 'LOOKING', leader: from, zxid: 0, electionEpoch: round, peerEpoch: 0 });
  const votesTo = (w: ReturnType<typeof world>, to: number): [number, number][] => w.got.flatMap((g) => (g.to === to && g.input.kind === 'vote' ? [[g.at, g.input.msg.electionEpoch] as [number, number]] : []));

  it('after tcp_retries2 the connection is given up; the next vote dials afresh (cnxTimeout bounds it) and gets through once the cut heals', () => {
    const w = world();
    w.net.sendVote(2, 1, vote(2, 0));
    w.run(1 * S);
    w.cut(2, 1);
    w.net.sendVote(2, 1, vote(2, 1)); // at 1 s: into TCP, given up at 1 s + 926.646 s
    w.run(1000 * S);
    w.net.sendVote(2, 1, vote(2, 2)); // no connection: queued, SYNs at 0, 1, 3 s lost, fails at 5 s
    w.run(1010 * S);
    w.net.sendVote(2, 1, vote(2, 3)); // replaces vote 2 in the queue, dials again at 1010 s
    w.run(1012.5 * S);
    w.heal(2, 1); // the SYN at 1013 s gets through
    w.run(1100 * S);
    // 2 has the higher sid, so its connection is kept: SYN-ACK at 2 ms, handshake and vote follow
    expect(votesTo(w, 1)).toEqual([[3 * MS + 1, 0], [1013 * S + 3 * MS + 1, 3]]);
    expect(kindsTo(w.got, 2)).toEqual([]);
  });
});
