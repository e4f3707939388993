/**
 * The shapes every fault kind is written against (scenario/fault-kinds.ts is the table): what a
 * kind may do to a trial (`FaultHost`, implemented by scenario/fault-injector.ts), what it reports
 * (`FaultOutcome`), how `zksim check` draws it (`FaultDraw`, `drawnNode`, `drawnSides`) and the
 * entry itself (`FaultKindEntry`). Kept apart from the table so the entries may live in several
 * files without an import cycle.
 */
import type { FaultSyntax } from '../config/fault-kinds.js';
import type { PlanSpec } from './plan-runner.js';
import type { DurableState } from '../zk/index.js';
import type { ClusterConfig, Distribution, DomainRef, FaultBase, FaultEffect, Member, NodeRef, ReconfigChange, RepairEffect, ServerId, Topology } from '../model/index.js';

/** What a fault did when applied, for the `faultApplied` event. */
export interface FaultOutcome<E extends string = FaultEffect> {
  readonly effect: E;
  /** servers whose process stopped or whose links were cut, ascending */
  readonly servers: readonly ServerId[];
  readonly domain: DomainRef | null;
}

/**
 * Membership as the servers hold it, and the two ways to change it (implemented by
 * scenario/membership.ts; the injector passes it through as part of `FaultHost`). Plans (DR
 * failover, migration, rolling upgrades) gate their steps on these.
 */
export interface ConfigHost {
  /**
   * Submit a `reconfig` to whoever leads now, through the protocol (zk/reconfig.ts): the leader
   * checks it as PrepRequestProcessor does and proposes it; the outcome is a `reconfigProposed`
   * then `reconfigCommitted` event, or `reconfigRefused` with the reason (noLeader,
   * reconfigDisabled, reconfigInProgress, newConfigNoQuorum, badArguments). Servers the change
   * adds must exist in the trial (the trial adds those a `reconfig:` fault names up front).
   */
  reconfig(change: ReconfigChange): void;
  /**
   * An operator edits the dynamic config file of `servers` offline and restarts them: each
   * process is killed (if running), its committed and last-seen config become `members` with a
   * version above any config version any server holds, and it starts again (its host permitting).
   * Bypasses the protocol: safe only when the servers left out are truly gone (DR promotion,
   * big-bang migration); an unsafe use shows as divergent histories / lost acknowledged writes in
   * the safety checkers. Emits `configRewritten`.
   */
  rewriteConfig(servers: readonly ServerId[], members: readonly Member[]): void;
  /** The committed config the server holds (on disk, whether its process runs or not). */
  configOf(id: ServerId): ClusterConfig;
  /**
   * The configuration in force: the established leader's committed config when there is one,
   * else the highest-version committed config any server holds (availability accounting uses
   * the same rule, observe/availability.ts).
   */
  configInForce(): ClusterConfig;
  /**
   * Whether `id` is a voter of the config in force that an established leader counts as synced
   * now (what `mntr`'s zk_synced_followers counts, the leader itself included when it is `id`).
   */
  isSyncedVoter(id: ServerId): boolean;
}

/**
 * What a fault kind may do to a trial (implemented by scenario/fault-injector.ts). Outages nest:
 * a host is down while any fault holds it down, a killed process restarts when its last kill is
 * repaired.
 */
export interface FaultHost extends ConfigHost {
  readonly topology: Topology;
  /** a voter of the config in force (ConfigHost.configInForce) */
  isVoter(id: ServerId): boolean;
  /** the host a server runs on */
  hostOf(id: ServerId): string;
  /** the server `ref` names now: `leader` the established leader, a maintenance step the server due; null when nobody */
  resolveNode(ref: NodeRef): ServerId | null;
  /** kill the server's process (host stays up; peers see connections reset); `how` for the timeline (default `killed`; a plan's stop says `stopped …`) */
  killProcess(id: ServerId, how?: string): void;
  /**
   * Undo one `killProcess`: the process restarts when no other kill holds it and its host is up.
   * Returns whether it runs again (false when another fault still holds it down).
   */
  restartProcess(id: ServerId): boolean;
  /** every process on `hosts` dies silently; `how` is the recorder's note (`host crashed`; a server whose disk is lost gets `disk lost`) */
  hostsDown(hosts: readonly string[], how: string): void;
  /** undo one `hostsDown` of `hosts` */
  hostsUp(hosts: readonly string[]): void;
  /** the server's disk is lost: it comes back empty when its host is next up */
  loseDisk(id: ServerId): void;
  /** cut (then `heal`) directed links; the network re-evaluates its watches once */
  cut(links: readonly (readonly [ServerId, ServerId])[]): void;
  heal(links: readonly (readonly [ServerId, ServerId])[]): void;
  /**
   * The late start of a server held back at t = 0 (`start:`, `FaultKindEntry.notRunningAtStart`):
   * from now on it runs whenever its host is up and no kill holds it. Returns whether it runs or
   * is starting now (false: its host is down or a kill holds it; it starts when they end).
   */
  startLate(id: ServerId): boolean;
  /**
   * Stop-the-world pause of the server's process (a JVM GC pause), and its end. Pauses nest: the
   * process resumes when its last pause ends. A server with no running process is not paused.
   */
  pauseProcess(id: ServerId): void;
  resumeProcess(id: ServerId): void;
  /**
   * The server's disk slow (every fsync drawn from `fsync`, µs) or stalled (`stall`: no write
   * completes); `clearSlowDisk` ends one such fault, the disk is back to the one still in force
   * (the latest) or to normal. scenario/disk.ts `setSlow`.
   */
  slowDisk(id: ServerId, fsync: Distribution | 'stall'): void;
  clearSlowDisk(id: ServerId, fsync: Distribution | 'stall'): void;
  /** The server's disk full (writes fail with ENOSPC), and writable again when the last such fault ends. scenario/disk.ts `setFull`. */
  fillDisk(id: ServerId): void;
  freeDisk(id: ServerId): void;
  /** Loss with probability `p` in [0, 1] on each directed link, and its removal (they nest; net/links.ts). */
  addLoss(links: readonly (readonly [ServerId, ServerId])[], p: number): void;
  removeLoss(links: readonly (readonly [ServerId, ServerId])[], p: number): void;
  /** `extraUs` µs more one-way latency on each directed link, and its removal (they nest; net/links.ts). */
  addDelay(links: readonly (readonly [ServerId, ServerId])[], extraUs: number): void;
  removeDelay(links: readonly (readonly [ServerId, ServerId])[], extraUs: number): void;
  /** A middlebox drops the established connections between each pair, silently; new connections work. */
  blackhole(pairs: readonly (readonly [ServerId, ServerId])[]): void;
  /**
   * The server's disk as its running process writes it and its next start finds it (zk/durable.ts):
   * the Byzantine kinds (scenario/byzantine-kinds.ts) corrupt it or set its switches (zk/byzantine.ts).
   */
  diskOf(id: ServerId): DurableState;
  /**
   * Run an operations plan from now (scenario/plan-runner.ts; a rolling-maintenance round,
   * scenario/maintenance-kind.ts); a fault being applied without a duration is repaired the
   * instant the plan ends (one with a duration when it runs out, whether the plan is over or not).
   */
  runPlan(spec: PlanSpec): void;
}

/**
 * One draw of `zksim check`'s fault arbitrary, before it meets a topology (so shrinking the
 * topology keeps the schedule's shape): every kind reads the fields it needs.
 */
export interface FaultDraw {
  /** 0 = the leader when it fires, k ≥ 1 = the k-th server (mod the ensemble size) */
  readonly node: number;
  /** per server index: 0 = side A (or from), 1 = side B (or to), 2 = neither */
  readonly sides: readonly number[];
  /** a zone index (mod the number of zones) */
  readonly zone: number;
  readonly atUs: number;
  readonly durationUs: number;
}

/** One fault kind: its text (config/fault-kinds.ts) and its behaviour. */
export interface FaultKindEntry<F extends FaultBase = FaultBase> extends FaultSyntax<F> {
  /**
   * The server a server-targeted kind hits, resolved when it fires (null: nobody to hit, the fault
   * is skipped); absent for kinds without one target.
   */
  readonly target?: (host: FaultHost, f: F) => ServerId | null;
  /**
   * The server this fault keeps from running at t = 0 (`start:` holds its server back until it
   * fires); absent or null for every other kind. The trial starts every server but these at t = 0
   * (scenario/fault-injector.ts `FaultInjector.heldAtStart`).
   */
  readonly notRunningAtStart?: (f: F) => ServerId | null;
  /**
   * How long the fault's effect may outlast its end (its repair, or the instant it fires for a
   * kind without one), µs; absent: 0. `check --liveness` measures recovery from the end plus
   * this (scenario/explore.ts `lastRepairUs`): connections a blackhole dropped error only after
   * tcp_retries2, a lossy link's back-off resumes at its next retransmission.
   */
  readonly lingerUs?: (f: F) => number;
  apply(host: FaultHost, f: F, target: ServerId | null): FaultOutcome;
  repair(host: FaultHost, f: F, target: ServerId | null): FaultOutcome<RepairEffect>;
  /** voters whose voting the fault touches (downtime attribution), ascending */
  affectedVoters(host: FaultHost, f: F, target: ServerId | null): ServerId[];
  /**
   * How `zksim check` draws the kind: `slot` is its place among the drawn kinds (pinned, so a
   * seed keeps its schedules when kinds are added), `resolve` makes the fault from a draw; null
   * for kinds `check` never draws.
   */
  readonly explore: { readonly slot: number; resolve(t: Topology, d: FaultDraw): F } | null;
}

// --- draws against a topology (the explorer's) ---

/** Draw `k` as a target: 0 the leader, else the k-th server (mod the ensemble size). */
export function drawnNode(t: Topology, k: number): NodeRef {
  if (k === 0) return { kind: 'leader' };
  const s = t.servers[(k - 1) % t.servers.length] as Topology['servers'][number];
  return { kind: 'server', id: s.id };
}

/** Side A and side B, both non-empty (the first and last servers stand in when one is). */
export function drawnSides(t: Topology, sides: readonly number[]): [ServerId[], ServerId[]] {
  const a: ServerId[] = [];
  const b: ServerId[] = [];
  t.servers.forEach((s, i) => {
    const side = sides[i % sides.length] ?? 2;
    if (side === 0) a.push(s.id);
    else if (side === 1) b.push(s.id);
  });
  const ids = t.servers.map((s) => s.id);
  const first = ids[0] as ServerId;
  const last = ids[ids.length - 1] as ServerId;
  if (a.length === 0) {
    a.push(first);
    const at = b.indexOf(first);
    if (at >= 0) b.splice(at, 1);
  }
  if (b.length === 0) {
    // the last server stands in (taken from side A when there); when it is A's only member, the
    // first server not in A does (else both sides would be the same server)
    const other = ids.find((id) => !a.includes(id));
    if (a.includes(last) && a.length > 1) b.push(a.splice(a.indexOf(last), 1)[0] as ServerId);
    else if (!a.includes(last)) b.push(last);
    else if (other !== undefined) b.push(other);
  }
  return [a.filter((id) => !b.includes(id)).sort((x, y) => x - y), [...new Set(b)].sort((x, y) => x - y)];
}

