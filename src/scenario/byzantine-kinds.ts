/**
 * The fault-kind table's entries for the Byzantine kinds (issue 15; their text is
 * config/byzantine-syntax.ts, the protocol hooks zk/byzantine.ts). Each sets switches on, or
 * corrupts, the target server's disk (`FaultHost.diskOf`), so the lie survives a restart of the
 * process and a replaced disk (a wipe, a restore from a peer) is honest. None is drawn by
 * `zksim check` (`explore: null`): it checks the crash-fault protocol, which these break by design.
 */
import { BYZANTINE_SYNTAX } from '../config/byzantine-syntax.js';
import type { FaultOf, ServerId } from '../model/index.js';
import { flipNewestTxn, switchesOf } from '../zk/index.js';
import type { FaultHost, FaultKindEntry } from './fault-host.js';

const voterTarget = (host: FaultHost, target: ServerId | null): ServerId[] => (target !== null && host.isVoter(target) ? [target] : []);

/** One entry per Byzantine kind. */
export const BYZANTINE_KIND_ENTRIES = {
  'inflate-vote': {
    ...BYZANTINE_SYNTAX['inflate-vote'],
    target: (host, f) => host.resolveNode(f.node),
    apply: (host, f, target) => {
      const s = switchesOf(host.diskOf(target as ServerId));
      if (f.claim === 'zxid') s.inflateCounter += f.by;
      else s.inflateEpoch += f.by;
      // a non-voter's notifications are answered and dropped (FastLeaderElection.validVoter): the lie counts only once it votes
      return { effect: host.isVoter(target as ServerId) ? 'vote inflated' : 'vote not counted', servers: [target as ServerId], domain: null };
    },
    repair: (host, f, target) => {
      const s = switchesOf(host.diskOf(target as ServerId));
      if (f.claim === 'zxid') s.inflateCounter = Math.max(0, s.inflateCounter - f.by);
      else s.inflateEpoch = Math.max(0, s.inflateEpoch - f.by);
      return { effect: 'honest again', servers: [target as ServerId], domain: null };
    },
    affectedVoters: (host, _f, target) => voterTarget(host, target),
    explore: null,
  },
  'ack-unlogged': {
    ...BYZANTINE_SYNTAX['ack-unlogged'],
    target: (host, f) => host.resolveNode(f.node),
    apply: (host, _f, target) => {
      switchesOf(host.diskOf(target as ServerId)).ackUnlogged = true;
      return { effect: 'ack unlogged', servers: [target as ServerId], domain: null };
    },
    // the next fsync writes the whole log again: what a restart during the fault lost stays lost
    repair: (host, _f, target) => {
      switchesOf(host.diskOf(target as ServerId)).ackUnlogged = false;
      return { effect: 'honest again', servers: [target as ServerId], domain: null };
    },
    affectedVoters: (host, _f, target) => voterTarget(host, target),
    explore: null,
  },
  'flip-txn': {
    ...BYZANTINE_SYNTAX['flip-txn'],
    target: (host, f) => host.resolveNode(f.node),
    apply: (host, f, target) => {
      const zxid = flipNewestTxn(host.diskOf(target as ServerId), f.checksum);
      // a disk with no client txn has nothing to flip: the fault says so, and changes nothing
      // a second flip of the same bit restores it (its Adler32 is right again only if both recomputed it: zk/byzantine.ts)
      const back = zxid !== null && (switchesOf(host.diskOf(target as ServerId)).flips.find((x) => x.zxid === zxid)?.contentFlips ?? 1) % 2 === 0;
      return { effect: zxid === null ? 'nothing to flip' : back ? 'txn flipped back' : 'txn flipped', servers: [target as ServerId], domain: null };
    },
    // never called for a parsed fault (no +DUR): the flipped entry stays until the disk is replaced
    repair: (_host, _f, target) => ({ effect: 'honest again', servers: target === null ? [] : [target], domain: null }),
    // the running process is unaffected; the downtime of a failed start belongs to whatever restarted it
    affectedVoters: () => [],
    explore: null,
  },
} as const satisfies { readonly [K in 'inflate-vote' | 'ack-unlogged' | 'flip-txn']: FaultKindEntry<FaultOf<K>> };
