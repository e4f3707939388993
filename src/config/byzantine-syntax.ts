/**
 * The text of the Byzantine fault kinds (issue 15; config/fault-kinds.ts's table takes them, their
 * behaviour is scenario/byzantine-kinds.ts, the protocol hooks zk/byzantine.ts):
 * `inflate-zxid:NODE[:BY]` / `inflate-epoch:NODE[:BY]` (a voter that lies in its votes),
 * `ack-unlogged:NODE` (ACKs what it did not log), `flip-txn:NODE` / `bit-flip:NODE` (a flipped txn
 * on its disk, with a valid or a failing Adler32). None is drawn by `zksim check`, which checks the
 * crash-fault protocol these break by design.
 */
import type { FaultOf } from '../model/faults.js';
import { fail, formatNode, parseNode, type FaultParseContext } from './fault-parse.js';
import type { FaultSyntax } from './fault-kinds.js';

/** The default inflation: far above any real lag, so the liar wins every election it enters. */
export const DEFAULT_INFLATE_BY: Readonly<Record<'zxid' | 'epoch', number>> = { zxid: 1_000_000, epoch: 1 };

function parseBy(text: string, keyword: string, ctx: FaultParseContext): number {
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > 0x7fffffff) {
    // a zxid is a 32-bit epoch and a 32-bit counter (ZxidUtils.makeZxid); zksim caps BY at 2^31 − 1 for either
    fail(`expected a whole number from 1 to 2147483647 (2^31 − 1; a zxid's epoch and counter are 32 bits each, ZxidUtils) of ${keyword === 'inflate-zxid' ? 'txns' : 'epochs'} after the node (e.g. ${keyword}:2:1000@10s), found "${t}" in ${ctx.quoted}`);
  }
  return Number(t);
}

const inflateVote: FaultSyntax<FaultOf<'inflate-vote'>> = {
  kind: 'inflate-vote',
  keywords: ['inflate-zxid', 'inflate-epoch'],
  syntax: ['inflate-zxid:NODE[:BY]@T[+DUR]', 'inflate-epoch:NODE[:BY]@T[+DUR]'],
  help: 'Byzantine: NODE claims a last zxid BY txns higher (default 1000000) / a currentEpoch BY higher (default 1) in its election votes and leads by that claim, truncating learners that hold more; honest again after DUR',
  parse: (keyword, target, ctx) => {
    const claim = keyword === 'inflate-epoch' ? 'epoch' : 'zxid';
    const colon = target.indexOf(':');
    const node = parseNode(colon < 0 ? target : target.slice(0, colon), ctx);
    if (node.kind === 'server' && ctx.topology.servers.some((s) => s.id === node.id && s.role === 'observer')) {
      // FastLeaderElection counts only votes from voters (validVoter; WorkerReceiver answers a non-voter's and drops it) and an observer never leads
      fail(`server ${node.id} is an observer in ${ctx.quoted}: observers do not vote in leader election (FastLeaderElection.validVoter, QuorumPeer.LearnerType.OBSERVER) and never lead, so an inflated claim changes nothing; expected a voter`);
    }
    const by = colon < 0 ? DEFAULT_INFLATE_BY[claim] : parseBy(target.slice(colon + 1), keyword, ctx);
    return { kind: 'inflate-vote', node, claim, by };
  },
  head: (f) => `inflate-${f.claim}:${formatNode(f.node)}${f.by === DEFAULT_INFLATE_BY[f.claim] ? '' : `:${f.by}`}`,
};

const ackUnlogged: FaultSyntax<FaultOf<'ack-unlogged'>> = {
  kind: 'ack-unlogged',
  keywords: ['ack-unlogged'],
  syntax: ['ack-unlogged:NODE@T[+DUR]'],
  help: 'Byzantine: NODE\'s fsyncs report success and write nothing, so it ACKs proposals it never logged; a restart finds its log as it was at T; honest again after DUR',
  parse: (_keyword, target, ctx) => {
    const node = parseNode(target, ctx);
    if (node.kind === 'server' && ctx.topology.servers.some((s) => s.id === node.id && s.role === 'observer')) {
      // Observer.processPacket ignores PROPOSAL and commits on INFORM; ObserverZooKeeperServer's SyncRequestProcessor has no SendAckRequestProcessor after it
      fail(`server ${node.id} is an observer in ${ctx.quoted}: observers never ACK proposals (Observer.processPacket: INFORM, no ACK; ObserverZooKeeperServer), so an ACK without logging changes nothing; expected a voter`);
    }
    return { kind: 'ack-unlogged', node };
  },
  head: (f) => `ack-unlogged:${formatNode(f.node)}`,
};

const flipTxn: FaultSyntax<FaultOf<'flip-txn'>> = {
  kind: 'flip-txn',
  keywords: ['flip-txn', 'bit-flip'],
  syntax: ['flip-txn:NODE@T', 'bit-flip:NODE@T'],
  help: 'the newest client txn on NODE\'s disk gets a bit flipped (nothing, and the timeline says so, when it holds none); flip-txn recomputes its Adler32 (Byzantine: the server replays the wrong write at its next start, only the data-tree digest sees it; a snapshot taken since holds it as written), bit-flip does not (every start fails loading the log, CRC check failed, until a wipe); no +DUR',
  noDuration: 'a flipped txn stays on the disk until the disk is replaced',
  parse: (keyword, target, ctx) => ({ kind: 'flip-txn', node: parseNode(target, ctx), checksum: keyword === 'bit-flip' ? 'bad' : 'valid' }),
  head: (f) => `${f.checksum === 'bad' ? 'bit-flip' : 'flip-txn'}:${formatNode(f.node)}`,
};

/** Whether a fault's text (config/faults.ts formatFault) is of a Byzantine kind: a run's violations are then its demonstration. */
export function isByzantineFault(text: string): boolean {
  return [inflateVote, ackUnlogged, flipTxn].some((s) => s.keywords.some((k) => text.startsWith(`${k}:`)));
}

/** The Byzantine kinds' syntax. */
export const BYZANTINE_SYNTAX = {
  'inflate-vote': inflateVote,
  'ack-unlogged': ackUnlogged,
  'flip-txn': flipTxn,
} as const satisfies { readonly [K in 'inflate-vote' | 'ack-unlogged' | 'flip-txn']: FaultSyntax<FaultOf<K>> };
