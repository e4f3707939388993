import { DEFAULT_SYNC_SETTINGS, DurableState, MajorityVerifier, Peer, type PeerConfig, type QuorumVerifier } from '../../src/zk/index.js';
import type { Notification, PeerEffect, PeerEvent, PeerInput, ServerId } from '../../src/model/index.js';

export const MS = 1000;

export function peerConfig(id: ServerId, verifier: QuorumVerifier, over: Partial<PeerConfig> = {}): PeerConfig {
  return {
    id,
    isVoter: verifier.isVoter(id),
    verifier,
    tickTimeUs: 2000 * MS,
    initLimit: 10,
    syncLimit: 5,
    finalizeWaitUs: 200 * MS,
    maxNotificationIntervalUs: 60_000 * MS,
    observerElectionDelayUs: 200 * MS,
    cnxTimeoutUs: 5000 * MS,
    connectToLearnerMasterLimit: 10,
    random: () => 0.5,
    sync: DEFAULT_SYNC_SETTINGS,
    ...over,
  };
}

export const voters = (n: number): MajorityVerifier => new MajorityVerifier(Array.from({ length: n }, (_, i) => i + 1));

export function note(from: ServerId, state: Notification['state'], leader: ServerId, round: number, zxid = 0, peerEpoch = 0): Notification {
  return { from, state, leader, zxid, electionEpoch: round, peerEpoch };
}

export interface Logged {
  readonly at: number;
  readonly from: ServerId;
  readonly effect: PeerEffect;
}

/**
 * A tiny world for a few Peers: votes between peers in the harness are delivered after
 * `delay(from, to)` µs (null drops them); votes to anyone else are only logged. Timers are
 * kept by name and fire in time order from `run`, or on demand with `fire`.
 */
export class Harness {
  now = 0;
  readonly peers = new Map<ServerId, Peer>();
  readonly durable = new Map<ServerId, DurableState>();
  readonly timers = new Map<ServerId, Map<string, number>>();
  readonly log: Logged[] = [];
  /**
   * Timed steps each peer asked for that the world has not answered yet, oldest first: `work`
   * (answered by workDone) and `persist` with a negative token (Peer.persistFile: epoch files,
   * takeSnapshot; answered by persisted). Txn-log fsyncs (positive tokens) are left to the test.
   */
  readonly pendingSteps = new Map<ServerId, { readonly token: number; readonly input: 'workDone' | 'persisted'; readonly effect: PeerEffect }[]>();
  delay: (from: ServerId, to: ServerId) => number | null = () => 0;
  private queue: { at: number; seq: number; to: ServerId; msg: Notification }[] = [];
  private seq = 0;

  /** `setup` fills each peer's DurableState before its process starts (the peer reads it once). */
  constructor(readonly verifier: QuorumVerifier, ids: readonly ServerId[], over: Partial<PeerConfig> = {}, setup?: (id: ServerId, d: DurableState) => void) {
    for (const id of ids) {
      const d = new DurableState();
      setup?.(id, d);
      this.durable.set(id, d);
      this.peers.set(id, new Peer(peerConfig(id, verifier, over), d));
      this.timers.set(id, new Map());
      this.pendingSteps.set(id, []);
    }
  }

  peer(id: ServerId): Peer {
    const p = this.peers.get(id);
    if (!p) throw new Error(`no peer ${id}`);
    return p;
  }

  /** Hand `input` to peer `id` at the current time and carry out its effects; returns them. */
  feed(id: ServerId, input: PeerInput): PeerEffect[] {
    const effects = this.peer(id).handle(this.now, input);
    const timers = this.timers.get(id) as Map<string, number>;
    for (const effect of effects) {
      this.log.push({ at: this.now, from: id, effect });
      if (effect.kind === 'vote') {
        if (!this.peers.has(effect.to)) continue;
        const d = this.delay(id, effect.to);
        if (d !== null) this.queue.push({ at: this.now + d, seq: this.seq++, to: effect.to, msg: effect.msg });
      } else if (effect.kind === 'setTimer') timers.set(effect.timer, this.now + effect.afterUs);
      else if (effect.kind === 'cancelTimer') timers.delete(effect.timer);
      else if (effect.kind === 'work' || (effect.kind === 'persist' && effect.token < 0)) {
        this.pendingSteps.get(id)?.push({ token: effect.token, input: effect.kind === 'work' ? 'workDone' : 'persisted', effect });
      }
    }
    return effects;
  }

  /**
   * Answer peer `id`'s pending timed steps in the order asked, at the current time (the steps
   * take no time here: tests about their duration advance `now` themselves), including the steps
   * those answers start, up to `max` answers. Returns every effect the answers produced.
   */
  settle(id: ServerId, max = Infinity): PeerEffect[] {
    const out: PeerEffect[] = [];
    const steps = this.pendingSteps.get(id) ?? [];
    for (let n = 0; n < max; n++) {
      const step = steps.shift();
      if (!step) break;
      out.push(...this.feed(id, { kind: step.input, token: step.token }));
    }
    return out;
  }

  /** What peer `id` is waiting for, oldest first: the WorkKind of a `work`, 'persist' for a file write. */
  pending(id: ServerId): string[] {
    return (this.pendingSteps.get(id) ?? []).map((s) => (s.effect.kind === 'work' ? s.effect.what : s.effect.kind));
  }

  start(...ids: ServerId[]): void {
    for (const id of ids) this.feed(id, { kind: 'start' });
  }

  /** Advance to `atUs` (not backwards) and deliver a notification directly. */
  deliver(atUs: number, to: ServerId, msg: Notification): PeerEffect[] {
    this.run(atUs);
    return this.feed(to, { kind: 'vote', msg });
  }

  /** Fire a pending timer by name at its due time (running everything due before it). */
  fire(id: ServerId, timer: string): PeerEffect[] {
    const due = this.timers.get(id)?.get(timer);
    if (due === undefined) throw new Error(`peer ${id} has no pending timer ${timer}`);
    this.run(due - 1);
    this.now = due;
    (this.timers.get(id) as Map<string, number>).delete(timer);
    return this.feed(id, { kind: 'timer', timer });
  }

  /** Process votes and timers due at or before `untilUs` in time order (votes first on ties). */
  run(untilUs: number, timerFilter: (name: string) => boolean = () => true): void {
    for (;;) {
      let vote: (typeof this.queue)[number] | null = null;
      for (const q of this.queue) if (!vote || q.at < vote.at || (q.at === vote.at && q.seq < vote.seq)) vote = q;
      let timer: { id: ServerId; name: string; at: number } | null = null;
      for (const [id, ts] of this.timers) {
        for (const [name, at] of ts) if (timerFilter(name) && (!timer || at < timer.at)) timer = { id, name, at };
      }
      const vAt = vote?.at ?? Infinity;
      const tAt = timer?.at ?? Infinity;
      if (Math.min(vAt, tAt) > untilUs) break;
      if (vote && vAt <= tAt) {
        this.queue.splice(this.queue.indexOf(vote), 1);
        this.now = vAt;
        this.feed(vote.to, { kind: 'vote', msg: vote.msg });
      } else if (timer) {
        this.now = timer.at;
        (this.timers.get(timer.id) as Map<string, number>).delete(timer.name);
        this.feed(timer.id, { kind: 'timer', timer: timer.name });
      }
    }
    this.now = Math.max(this.now, untilUs);
  }

  events(id?: ServerId, type?: PeerEvent['type']): { at: number; from: ServerId; event: PeerEvent }[] {
    const out: { at: number; from: ServerId; event: PeerEvent }[] = [];
    for (const l of this.log) {
      if (l.effect.kind !== 'event') continue;
      if (id !== undefined && l.from !== id) continue;
      if (type !== undefined && l.effect.event.type !== type) continue;
      out.push({ at: l.at, from: l.from, event: l.effect.event });
    }
    return out;
  }
}

export const votesIn = (effects: readonly PeerEffect[]): { to: ServerId; msg: Notification }[] =>
  effects.flatMap((e) => (e.kind === 'vote' ? [{ to: e.to, msg: e.msg }] : []));

export const eventsIn = (effects: readonly PeerEffect[]): PeerEvent[] =>
  effects.flatMap((e) => (e.kind === 'event' ? [e.event] : []));
