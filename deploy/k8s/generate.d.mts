/** Types of generate.mjs (plain JavaScript so it runs with `node` alone); see it for the docs. */
export interface ShardSpec {
  /** zksim arguments of the study, without --shard and --json. */
  readonly study: readonly string[];
  /** N: shards, the Job's completions and parallelism. */
  readonly shards: number;
  /** Container image built from deploy/Dockerfile. */
  readonly image: string;
  /** The ReadWriteMany claim every pod mounts at mountPath ($OUT). */
  readonly volume: { readonly claim: string; readonly mountPath: string; readonly size: string };
}
export function loadSpec(): ShardSpec;
export function shardCommand(spec: ShardSpec): string;
export function mergeCommand(): string;
export function jobShellLine(spec: ShardSpec): string;
export function shardsManifest(spec: ShardSpec): string;
export function mergeManifest(spec: ShardSpec): string;
