import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Notification, QuorumPacket, ServerId } from '../../src/model/index.js';
import { MS, S, req, world, type Got } from './world.js';

const vote = (from: ServerId, round: number): Notification => ({ from, state: 'LOOKING', leader: from, zxid: 0, electionEpoch: round, peerEpoch: 0 });
const packetsTo = (got: readonly Got[], to: ServerId): { at: number; writeId: number }[] =>
  got.flatMap((g) => (g.to === to && g.input.kind === 'packet' && g.input.packet.type === 'REQUEST' ? [{ at: g.at, writeId: g.input.packet.writeId }] : []));
const closedTo = (got: readonly Got[], to: ServerId): { at: number; reason: string }[] =>
  got.flatMap((g) => (g.to === to && g.input.kind === 'connClosed' ? [{ at: g.at, reason: g.input.reason }] : []));

describe('connections and votes', () => {
  it('connect: accepted one latency later at the far end, connected one round trip later at the dialler', () => {
    const w = world();
    w.net.connect(1, 7, 2, 5 * S);
    w.run(10 * MS);
    expect(w.got.map((g) => [g.at, g.to, g.input.kind])).toEqual([[1 * MS, 2, 'accepted'], [2 * MS, 1, 'connected']]);
  });

  it('FIFO per direction, for packets and votes, even with widely random latency', () => {
    const w = world({ dist: 'uniform', min: 100, max: 50_000 });
    const conn = w.open(1, 2);
    // The election connection 3–2 first (QuorumCnxManager dials on the first send; until it is up
    // the send queue holds only the newest notification): vote -1 makes it.
    w.net.sendVote(3, 2, vote(3, -1));
    w.run(w.sim.nowUs + S);
    for (let i = 0; i < 300; i++) {
      w.net.send(1, conn, req(i));
      w.net.sendVote(3, 2, vote(3, i));
      w.run(w.sim.nowUs + 100); // 0.1 ms apart: far less than the latency spread
    }
    w.run(w.sim.nowUs + S);
    const pk = packetsTo(w.got, 2);
    expect(pk.map((p) => p.writeId)).toEqual([...Array(300).keys()]);
    const rounds = w.got.flatMap((g) => (g.to === 2 && g.input.kind === 'vote' ? [g.input.msg.electionEpoch] : []));
    expect(rounds).toEqual([-1, ...Array(300).keys()]);
    // the latency really was random: arrival gaps are not all one constant
    const gaps = new Set(pk.slice(1).map((p, i) => p.at - (pk[i] as { at: number }).at));
    expect(gaps.size).toBeGreaterThan(10);
  });

  it('a SYNC stream takes its size over the bandwidth on top of the latency, and later packets queue behind it', () => {
    const w = world();
    const conn = w.open(1, 2); // 200 ms
    const sync: QuorumPacket = { type: 'SYNC', mode: 'SNAP', truncZxid: 0, committed: [], outstanding: [], bytes: 125_000 };
    w.net.send(1, conn, sync); // 1 Mbit at 1000 Mbit/s: 1 ms
    w.net.send(1, conn, req(1));
    w.run(1 * S);
    const to2 = w.got.filter((g) => g.to === 2 && g.input.kind === 'packet');
    expect(to2.map((g) => [g.at, g.input.kind === 'packet' ? g.input.packet.type : ''])).toEqual([[202 * MS, 'SYNC'], [202 * MS + 1, 'REQUEST']]);
  });

  it('a vote to oneself is looped back after 1 µs', () => {
    const w = world();
    w.net.sendVote(1, 1, vote(1, 1));
    w.run(10 * MS);
    expect(w.got.map((g) => [g.at, g.to, g.input.kind])).toEqual([[1, 1, 'vote']]);
  });

  it('a vote over a silently cut election connection is retransmitted by TCP and arrives at the first retransmission after the heal', () => {
    const w = world();
    w.net.sendVote(2, 1, vote(2, 0)); // makes the election connection 1–2 (2 dials, keeps it: higher sid)
    w.run(100 * MS);
    const before = w.got.length;
    w.net.cut(1, 2);
    w.net.reevaluate();
    w.net.sendVote(1, 2, vote(1, 1)); // at 100 ms, into the cut: held by TCP (RecvWorker never times out)
    w.net.sendVote(2, 1, vote(2, 1)); // the other direction is up
    w.run(500 * MS);
    w.net.heal(1, 2);
    w.net.reevaluate();
    w.run(2 * S);
    // RTO = rtt 2 ms + max(2·rtt, 200 ms) = 202 ms: retransmissions at 100 + 202, + 404, + 808 ms;
    // the first at or after the heal (500 ms) is 100 + 606 = 706 ms, delivered 1 ms later.
    expect(w.got.slice(before).map((g) => [g.at, g.to, g.input.kind])).toEqual([[101 * MS, 1, 'vote'], [707 * MS, 2, 'vote']]);
  });

  it('the first vote to a peer waits for the connection: SYN, handshake, and the challenge (the higher sid dials back)', () => {
    const w = world();
    w.net.sendVote(1, 2, vote(1, 1));
    w.run(S);
    // 1 dials (SYN 0→1 ms, SYN-ACK 2 ms), sends its handshake and closes (it has the lower sid);
    // 2 gets the handshake at 3 ms and dials back (connected at 5 ms, handshake to 1 at 6 ms), and
    // 1's SendWorker then sends the queued vote: at 2 at 7 ms.
    expect(w.got.map((g) => [g.at, g.to, g.input.kind])).toEqual([[7 * MS, 2, 'vote']]);
  });

  it('cuts nest: two cuts need two heals', () => {
    const w = world();
    w.net.cut(1, 2);
    w.net.cut(1, 2);
    w.net.heal(1, 2);
    expect(w.net.pathUp(1, 2)).toBe(false);
    expect(w.net.pathUp(2, 1)).toBe(true);
    w.net.heal(1, 2);
    expect(w.net.pathUp(1, 2)).toBe(true);
  });

  it('packets sent while a direction is cut are held and delivered, in order, after the heal', () => {
    const w = world();
    const conn = w.open(1, 2); // t = 200 ms
    w.net.cut(1, 2);
    w.net.reevaluate();
    for (const id of [1, 2, 3]) {
      w.net.send(1, conn, req(id));
      w.run(w.sim.nowUs + MS);
    }
    w.net.send(2, conn, req(99)); // the other direction is up
    w.run(1 * S);
    expect(packetsTo(w.got, 2)).toEqual([]);
    expect(packetsTo(w.got, 1)).toEqual([{ at: 204 * MS, writeId: 99 }]);
    w.net.heal(1, 2);
    w.net.reevaluate();
    w.net.send(1, conn, req(4)); // sent after the heal: behind the held ones
    w.run(2 * S);
    // Retransmitted with Linux back-off from the first unacknowledged send (200 ms), RTO 202 ms
    // (rtt 2 ms + 200 ms): 402, 806, 1614 ms; the first at or after the heal (1 s) carries all.
    expect(packetsTo(w.got, 2)).toEqual([
      { at: 1615 * MS, writeId: 1 },
      { at: 1615 * MS + 1, writeId: 2 },
      { at: 1615 * MS + 2, writeId: 3 },
      { at: 1615 * MS + 3, writeId: 4 },
    ]);
  });
});

describe('process kill and host crash', () => {
  it('kill: in-flight data first, then the far end hears connClosed(reset) one latency after the kill', () => {
    const w = world();
    const conn = w.open(1, 2); // 200 ms
    w.run(209_500);
    w.net.send(2, conn, req(5)); // arrives 210.5 ms
    w.run(210 * MS);
    w.net.killProcess(2);
    w.net.send(1, conn, req(6)); // to a dead process: never handed to anyone
    w.run(2 * S);
    expect(packetsTo(w.got, 1)).toEqual([{ at: 210_500, writeId: 5 }]);
    expect(closedTo(w.got, 1)).toEqual([{ at: 211 * MS, reason: 'reset' }]);
    expect(packetsTo(w.got, 2)).toEqual([]);
    expect(w.net.processUp(2)).toBe(false);
  });

  it('crash: no reset; a watch on the dead peer fires at lastBeat + timeout', () => {
    const w = world();
    const conn = w.open(1, 2);
    const t0 = w.sim.nowUs;
    w.net.watch(1, conn, 10 * S, 1 * S, 'beats');
    w.run(t0 + 3.5 * S);
    expect(w.net.crashHost('h2')).toEqual([2]);
    w.run(t0 + 60 * S);
    expect(closedTo(w.got, 1)).toEqual([{ at: t0 + 13 * S, reason: 'timeout' }]);
  });

  it('restarting a crashed host resets the connections of the old incarnation', () => {
    const w = world();
    const conn = w.open(1, 2);
    void conn;
    w.run(1 * S);
    w.net.crashHost('h2');
    w.run(5 * S);
    expect(w.net.startProcess(2)).toBe(false); // host still down
    w.net.restoreHost('h2');
    const inc = w.net.incarnation(2);
    expect(w.net.startProcess(2)).toBe(true);
    expect(w.net.incarnation(2)).toBe(inc + 1);
    w.run(10 * S);
    expect(closedTo(w.got, 1)).toEqual([{ at: 5 * S + 1 * MS, reason: 'reset' }]);
  });

  it('events addressed to an old incarnation resolve to null; the new one gets what is sent to it', () => {
    const w = world();
    const conn = w.open(1, 2); // 200 ms
    w.net.sendVote(1, 2, vote(1, 1)); // due 201 ms
    w.net.send(1, conn, req(1)); // due 201 ms
    w.run(200_500);
    w.net.killProcess(2);
    w.net.startProcess(2);
    w.net.sendVote(1, 2, vote(1, 2)); // to the new incarnation; replaces vote 1 in the send queue
    w.run(1 * S);
    const to2 = w.got.filter((g) => g.to === 2 && g.at > 200 * MS);
    // The election connection: 1's SYN (sent at 200 ms) reaches the new process at 201 ms, 1 has
    // the lower sid so 2 dials back on its handshake (203 ms), and 1 sends its queued vote on the
    // handshake from 2 (206 ms): it arrives at 207 ms. Vote 1 was replaced (queue capacity 1).
    expect(to2.map((g) => [g.at, g.input.kind === 'vote' ? g.input.msg.electionEpoch : g.input.kind])).toEqual([[207 * MS, 2]]);
  });
});

describe('lazy heartbeat watches', () => {
  /** Watch on server 1's end, set at t0 = 200 ms (just after connecting), period 1 s, timeout 10 s. */
  function watched(mode: 'beats' | 'echo') {
    const w = world();
    const conn = w.open(1, 2);
    const t0 = w.sim.nowUs;
    w.net.watch(1, conn, 10 * S, 1 * S, mode);
    return { ...w, conn, t0 };
  }

  for (const [cutAfter, fireAfter] of [
    [0.5 * S, 10 * S],
    [3 * S, 13 * S], // a cut exactly on a beat: that beat got through
    [3 * S + 1, 13 * S],
    [4 * S - 1, 13 * S],
    [42.7 * S, 52 * S],
  ] as const) {
    it(`beats: a cut of the far end's direction at t0+${cutAfter} µs fires at t0+${fireAfter} µs`, () => {
      const w = watched('beats');
      w.run(w.t0 + cutAfter);
      w.net.cut(2, 1);
      w.net.reevaluate();
      w.run(w.t0 + 100 * S);
      expect(closedTo(w.got, 1)).toEqual([{ at: w.t0 + fireAfter, reason: 'timeout' }]);
      // the watcher closes its end: the far end hears it over the direction that is still up
      expect(closedTo(w.got, 2)).toEqual([{ at: w.t0 + fireAfter + 1 * MS, reason: 'reset' }]);
    });
  }

  it('beats: a cut of only our direction to the far end never fires', () => {
    const w = watched('beats');
    w.run(w.t0 + 3.5 * S);
    w.net.cut(1, 2);
    w.net.reevaluate();
    w.run(w.t0 + 200 * S);
    expect(closedTo(w.got, 1)).toEqual([]);
  });

  it('echo: fires on a cut in either direction', () => {
    for (const [a, b] of [[1, 2], [2, 1]] as const) {
      const w = watched('echo');
      w.run(w.t0 + 7.25 * S);
      w.net.cut(a, b);
      w.net.reevaluate();
      w.run(w.t0 + 100 * S);
      expect(closedTo(w.got, 1), `cut ${a}→${b}`).toEqual([{ at: w.t0 + 17 * S, reason: 'timeout' }]);
    }
  });

  it('a cut healed before the watch fires cancels it; a later cut is timed from the beats since', () => {
    const w = watched('beats');
    w.run(w.t0 + 3.5 * S);
    w.net.cut(2, 1);
    w.net.reevaluate();
    w.run(w.t0 + 8 * S);
    w.net.heal(2, 1);
    w.net.reevaluate();
    w.run(w.t0 + 50.2 * S);
    expect(closedTo(w.got, 1)).toEqual([]);
    w.net.cut(2, 1);
    w.net.reevaluate();
    w.run(w.t0 + 100 * S);
    expect(closedTo(w.got, 1)).toEqual([{ at: w.t0 + 60 * S, reason: 'timeout' }]);
  });

  it('unwatch cancels a pending fire', () => {
    const w = watched('beats');
    w.run(w.t0 + 1.5 * S);
    w.net.cut(2, 1);
    w.net.reevaluate();
    w.run(w.t0 + 5 * S);
    w.net.unwatch(1, w.conn);
    w.run(w.t0 + 100 * S);
    expect(closedTo(w.got, 1)).toEqual([]);
  });

  it('the watch of a crashed process never reaches anyone, and its restart still resets the far end', () => {
    const w = world();
    const conn = w.open(1, 2);
    const t0 = w.sim.nowUs;
    w.net.watch(2, conn, 10 * S, 1 * S, 'beats'); // the follower on h2 watches the leader's beats
    w.run(t0 + 3.5 * S);
    w.net.crashHost('h2');
    w.run(t0 + 30 * S); // past the dead watch's lastBeat + timeout
    expect(w.got.filter((g) => g.to === 2 && g.at > t0)).toEqual([]);
    w.net.restoreHost('h2');
    w.net.startProcess(2);
    w.run(t0 + 60 * S);
    expect(closedTo(w.got, 1)).toEqual([{ at: t0 + 30 * S + 1 * MS, reason: 'reset' }]);
  });
});

describe('property: a connection delivers each packet once, in send order', () => {
  type Op = { kind: 'send'; dir: 0 | 1 } | { kind: 'cut'; dir: 0 | 1 } | { kind: 'heal'; dir: 0 | 1 } | { kind: 'wait'; us: number } | { kind: 'reevaluate' };
  const dir = fc.constantFrom<0 | 1>(0, 1);
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: dir.map((d) => ({ kind: 'send' as const, dir: d })) },
    { weight: 2, arbitrary: dir.map((d) => ({ kind: 'cut' as const, dir: d })) },
    { weight: 2, arbitrary: dir.map((d) => ({ kind: 'heal' as const, dir: d })) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 80 * MS }).map((us) => ({ kind: 'wait' as const, us })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'reevaluate' as const }) },
  );

  it('for random cut/heal/send sequences with random latency', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 120 }), fc.integer({ min: 0, max: 1e6 }), (ops, seed) => {
        const w = world({ dist: 'exponential', mean: 20_000 }, `prop-${seed}`);
        const conn = w.open(1, 2);
        const ends = [1, 2] as const;
        const sent: [number[], number[]] = [[], []];
        const cuts: [number, number] = [0, 0];
        let next = 0;
        for (const o of ops) {
          if (o.kind === 'send') {
            sent[o.dir].push(next);
            w.net.send(ends[o.dir], conn, req(next++));
          } else if (o.kind === 'cut') {
            cuts[o.dir]++;
            w.net.cut(ends[o.dir], ends[1 - o.dir] as ServerId);
            w.net.reevaluate();
          } else if (o.kind === 'heal') {
            if (cuts[o.dir] === 0) continue;
            cuts[o.dir]--;
            w.net.heal(ends[o.dir], ends[1 - o.dir] as ServerId);
            if (o.dir === 0) w.net.reevaluate(); // sometimes batch: reevaluate later
          } else if (o.kind === 'reevaluate') w.net.reevaluate();
          else w.run(w.sim.nowUs + o.us);
        }
        // heal everything and let the network drain
        for (const d of [0, 1] as const) while (cuts[d]-- > 0) w.net.heal(ends[d], ends[1 - d] as ServerId);
        w.net.reevaluate();
        w.run(w.sim.nowUs + 60 * S);
        const got0 = packetsTo(w.got, 2).map((p) => p.writeId);
        const got1 = packetsTo(w.got, 1).map((p) => p.writeId);
        // in send order, none twice, and (both ends alive, every cut healed) none lost
        expect(got0).toEqual(sent[0]);
        expect(got1).toEqual(sent[1]);
      }),
      { seed: 4242, numRuns: 200 },
    );
  });
});
