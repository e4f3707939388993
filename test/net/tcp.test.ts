import { describe, expect, it } from 'vitest';
import { initialRtoUs, nextRetransmissionUs, nextSynUs, RETRIES2_TIMEOUT_US, SYN_GIVE_UP_US } from '../../src/net/index.js';
import type { QuorumPacket } from '../../src/model/index.js';
import { closedTo, kindsTo, MS, packetsTo, req, S, world } from './world.js';

/** RTO of the 1 ms world: rtt 2 ms + max(2·rtt, 200 ms) = 202 ms (Linux tcp_set_rto after one sample). */
const RTO = 202 * MS;

describe('Linux TCP constants and instants (tcp.ts)', () => {
  it('tcp_retries2 = 15 gives up after the hypothetical 924.6 s of ip-sysctl.rst', () => {
    expect(RETRIES2_TIMEOUT_US).toBe(924_600_000);
  });

  it('SYNs at 0, 1, 3, 7, 15, 31, 63 s (tcp_syn_retries = 6), the kernel gives up at 127 s', () => {
    const instants: number[] = [];
    for (let t = 0, at = nextSynUs(0, 0); at !== null; t = at + 1, at = nextSynUs(0, t)) instants.push(at / S);
    expect(instants).toEqual([0, 1, 3, 7, 15, 31, 63]);
    expect(SYN_GIVE_UP_US).toBe(127 * S);
  });

  it('RTO from the first round-trip sample: at least 200 ms, 3·rtt on slow links', () => {
    expect(initialRtoUs(2 * MS)).toBe(RTO);
    expect(initialRtoUs(300 * MS)).toBe(900 * MS);
  });

  it('retransmission instants double up to TCP_RTO_MAX, and the last is the retries2 error', () => {
    expect(nextRetransmissionUs(100 * MS, 200 * MS, 2.5 * S)).toEqual({ atUs: 3.1 * S, error: false });
    // 200 ms · (2^10 − 1) = 204.6 s after 10 expiries, then steps of 120 s: the 16th expiry at 924.6 s
    expect(nextRetransmissionUs(0, 200 * MS, 805 * S)).toEqual({ atUs: 924.6 * S, error: true });
  });
});

describe('established connections under a silent cut', () => {
  it('data sent into a cut moves at the first retransmission instant after the heal (not at the heal)', () => {
    const w = world();
    const conn = w.open(1, 2); // t0 = 200 ms
    const t0 = w.sim.nowUs;
    w.cut(1, 2);
    w.run(t0 + 100 * MS);
    w.net.send(1, conn, req(1));
    w.run(t0 + 2.5 * S);
    w.heal(1, 2);
    w.run(t0 + 10 * S);
    // retransmissions at 0.1 s + 202·(1, 3, 7, 15) ms: the first at or after 2.5 s is 0.1 + 3.03 s
    expect(packetsTo(w.got, 2)).toEqual([{ at: t0 + 100 * MS + 15 * RTO + 1 * MS, writeId: 1 }]);
  });

  it('a cut healed and cut again before the retransmission instant: the next heal recomputes it', () => {
    const w = world();
    const conn = w.open(1, 2);
    const t0 = w.sim.nowUs;
    w.cut(1, 2);
    w.net.send(1, conn, req(1)); // first unacknowledged at t0
    w.run(t0 + 1 * S);
    w.heal(1, 2); // next instant t0 + 7·RTO = 1.414 s
    w.run(t0 + 1.2 * S);
    w.cut(1, 2);
    w.run(t0 + 2 * S);
    w.heal(1, 2); // next instant t0 + 15·RTO = 3.03 s
    w.run(t0 + 10 * S);
    expect(packetsTo(w.got, 2)).toEqual([{ at: t0 + 15 * RTO + 1 * MS, writeId: 1 }]);
  });

  it('tcp_retries2: the sending end errors (timeout) at the first expiry past 924.6 s; the far end hears nothing; no event per retransmission', () => {
    const w = world();
    const conn = w.open(1, 2);
    const t0 = w.sim.nowUs;
    w.cut(1, 2);
    w.cut(2, 1);
    w.net.send(1, conn, req(1));
    const before = w.sim.eventsProcessed;
    w.run(t0 + 2000 * S);
    // 202 ms · (2^10 − 1) = 206.646 s, then 120 s steps: 326.646 … 926.646 s ≥ 924.6 s
    expect(closedTo(w.got, 1)).toEqual([{ at: t0 + 926_646 * MS, reason: 'timeout' }]);
    expect(closedTo(w.got, 2)).toEqual([]);
    expect(w.sim.eventsProcessed - before).toBeLessThanOrEqual(2);
  });

  it('a watch on beats: a cut healed before the timeout resumes the beats at their retransmission instant', () => {
    for (const [healAt, fires] of [[5 * S, false], [9 * S, true]] as const) {
      const w = world();
      const conn = w.open(1, 2);
      const t0 = w.sim.nowUs;
      w.net.watch(1, conn, 10 * S, 1 * S, 'beats');
      w.run(t0 + 0.5 * S);
      w.cut(2, 1); // the beat at t0 + 1 s is the first lost
      w.run(t0 + healAt);
      w.heal(2, 1);
      w.run(t0 + 60 * S);
      // beats move again at 1 s + RTO·(2^k − 1): 7.262 s for a heal at 5 s (< 10 s, no fire);
      // 13.726 s for a heal at 9 s, after the read timeout at t0 + 10 s
      expect(closedTo(w.got, 1), `heal at ${healAt}`).toEqual(fires ? [{ at: t0 + 10 * S, reason: 'timeout' }] : []);
    }
  });
});

describe('connect attempts (SYN retries bounded by the caller)', () => {
  it('a connect started in a cut completes at the first SYN instant after the heal, plus a round trip', () => {
    const w = world();
    w.cut(1, 2);
    w.net.connect(1, 7, 2, 5 * S);
    w.run(2.5 * S);
    w.heal(1, 2);
    w.run(10 * S);
    expect(kindsTo(w.got, 2)).toEqual([[3 * S + 1 * MS, 'accepted']]);
    expect(kindsTo(w.got, 1)).toEqual([[3 * S + 2 * MS, 'connected']]);
  });

  it('a connect whose SYNs are all lost fails at the timeout; a heal after the last SYN instant before it does not help', () => {
    const w = world();
    w.cut(2, 1); // SYN-ACKs lost
    w.net.connect(1, 7, 2, 5 * S);
    w.run(3.5 * S);
    w.heal(2, 1); // next SYN would be at 7 s, past the 5 s timeout
    w.run(10 * S);
    expect(kindsTo(w.got, 1)).toEqual([[5 * S, 'connectFailed']]);
  });

  it('the far host dies silently while the SYN is in flight: the connect fails at its timeout', () => {
    const w = world();
    w.net.connect(1, 7, 2, 5 * S);
    w.run(500);
    w.net.crashHost('h2');
    w.run(10 * S);
    expect(kindsTo(w.got, 1)).toEqual([[5 * S, 'connectFailed']]);
  });

  it('the far process is killed while the SYN is in flight: RST, the dialler fails a round trip later', () => {
    const w = world();
    w.net.connect(1, 7, 2, 5 * S);
    w.run(500);
    w.net.killProcess(2);
    w.run(10 * S);
    expect(kindsTo(w.got, 1)).toEqual([[2 * MS, 'connectFailed']]);
    expect(kindsTo(w.got, 2)).toEqual([]);
  });
});

describe('a SYNC stream', () => {
  /** 12.5 MB at 1000 Mbit/s: 100 ms on the wire, its last byte 101 ms after it is sent. */
  const sync: QuorumPacket = { type: 'SYNC', mode: 'SNAP', truncZxid: 0, committed: [], outstanding: [], bytes: 12_500_000 };
  const syncsTo = (w: ReturnType<typeof world>, to: number): number[] => w.got.flatMap((g) => (g.to === to && g.input.kind === 'packet' && g.input.packet.type === 'SYNC' ? [g.at] : []));

  it('arrives whole when the path stays up to its last byte', () => {
    const w = world();
    const conn = w.open(1, 2);
    const t0 = w.sim.nowUs;
    w.net.send(1, conn, sync);
    w.run(t0 + 1 * S);
    expect(syncsTo(w, 2)).toEqual([t0 + 101 * MS]);
  });

  for (const [what, breakIt] of [
    ['the link is cut (and healed)', (w: ReturnType<typeof world>) => (w.cut(1, 2), w.run(w.sim.nowUs + 10 * MS), w.heal(1, 2))],
    ['the sender is killed', (w: ReturnType<typeof world>) => w.net.killProcess(1)],
    ['the sender host dies', (w: ReturnType<typeof world>) => void w.net.crashHost('h1')],
  ] as const) {
    it(`never arrives when ${what} before its last byte, and nothing after it on the connection does`, () => {
      const w = world();
      const conn = w.open(1, 2);
      const t0 = w.sim.nowUs;
      w.net.watch(2, conn, 10 * S, 1 * S, 'beats');
      w.net.send(1, conn, sync);
      w.run(t0 + 50 * MS);
      breakIt(w);
      w.net.send(1, conn, req(1));
      w.run(t0 + 60 * S);
      expect(syncsTo(w, 2)).toEqual([]);
      expect(packetsTo(w.got, 2)).toEqual([]);
      // the learner learns from its read timeout (or the kill's reset)
      expect(closedTo(w.got, 2).length).toBe(1);
    });
  }
});

describe('process kill: the kernel closes the sockets', () => {
  it('peers hear the reset closeDelayUs after the kill plus one network delay', () => {
    const w = world();
    const conn = w.open(1, 2);
    const t0 = w.sim.nowUs;
    void conn;
    w.net.killProcess(2, 5 * MS);
    w.run(t0 + 1 * S);
    expect(closedTo(w.got, 1)).toEqual([{ at: t0 + 6 * MS, reason: 'reset' }]);
  });
});

describe('per-link latency overrides', () => {
  it('the override replaces the class latency on that link, both ways; other links keep theirs', () => {
    const w = world({ dist: 'constant', value: 1000 }, 'net-test', [{ between: [1, 2], oneWay: { dist: 'constant', value: 5000 } }]);
    w.net.connect(1, 7, 2, 5 * S);
    w.net.connect(1, 8, 3, 5 * S);
    w.run(1 * S);
    expect(kindsTo(w.got, 1)).toEqual([[2 * MS, 'connected'], [10 * MS, 'connected']]);
  });
});
