/**
 * Issue 16 §5: the Kubernetes manifests in deploy/k8s are what deploy/k8s/generate.mjs writes from
 * deploy/shard-command.json, an Indexed Job runs N shards at once, and its container runs exactly
 * the shard command test/deploy/parallel.test.ts runs through GNU parallel, with
 * K = JOB_COMPLETION_INDEX + 1 (the index counts from 0, --shard K/N from 1).
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSpec, mergeCommand, mergeManifest, shardCommand, shardsManifest } from '../../deploy/k8s/generate.mjs';
import { runProcess } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const spec = loadSpec();
const read = (name: string): string => readFileSync(`deploy/k8s/${name}`, 'utf8');
// A parsed manifest is untyped YAML; toMatchObject and toEqual check its shape.
type Doc = any;
const docs = (text: string): Doc[] => parseAllDocuments(text).map((d) => {
  expect(d.errors).toEqual([]);
  return d.toJS() as Doc;
});

describe('deploy/k8s manifests', () => {
  it('are up to date with deploy/shard-command.json (else run `node deploy/k8s/generate.mjs`)', () => {
    expect(read('zksim-shards.yaml')).toBe(shardsManifest(spec));
    expect(read('zksim-merge.yaml')).toBe(mergeManifest(spec));
  });

  it('zksim-shards.yaml: a ReadWriteMany claim and an Indexed Job with completions = parallelism = N', () => {
    const [claim, job, ...rest] = docs(read('zksim-shards.yaml'));
    expect(rest).toEqual([]);
    expect(claim).toMatchObject({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: spec.volume.claim }, spec: { accessModes: ['ReadWriteMany'] } });
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', spec: { completionMode: 'Indexed', completions: spec.shards, parallelism: spec.shards } });
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.volumes).toEqual([{ name: 'shards', persistentVolumeClaim: { claimName: spec.volume.claim } }]);
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0];
    expect(c.image).toBe(spec.image);
    expect(c.env).toEqual([{ name: 'N', value: String(spec.shards) }, { name: 'OUT', value: spec.volume.mountPath }]);
    expect(c.volumeMounts).toEqual([{ name: 'shards', mountPath: spec.volume.mountPath }]);
  });

  it("the Job's container command is the parallel test's shard command with K = JOB_COMPLETION_INDEX + 1", () => {
    const c = docs(read('zksim-shards.yaml'))[1].spec.template.spec.containers[0];
    expect(c.command).toEqual(['sh', '-c', `K=$((JOB_COMPLETION_INDEX+1)); ${shardCommand(spec)}`]);
    expect(shardCommand(spec)).toContain(`${spec.study.join(' ')} --shard "$K/$N" --json >"$OUT/shard-$K.json"`);
  });

  it('each completion index 0..N-1 writes shard K/N to $OUT/shard-K.json (the command run by sh, zksim stubbed)', async () => {
    const out = tempDir('zksim-k8s-');
    const c = docs(read('zksim-shards.yaml'))[1].spec.template.spec.containers[0];
    // Replace the CLI with `echo` so only the shell arithmetic and redirection run: what each pod computes.
    const line = (c.command[2] as string).replace('node dist/cli/main.js', 'echo');
    for (let i = 0; i < spec.shards; i++) {
      const r = await runProcess('sh', ['-c', line], { env: { PATH: process.env.PATH, JOB_COMPLETION_INDEX: String(i), N: String(spec.shards), OUT: out } });
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(`${out}/shard-${i + 1}.json`, 'utf8')).toBe(`${spec.study.join(' ')} --shard ${i + 1}/${spec.shards} --json\n`);
    }
  });

  it('zksim-merge.yaml: one pod on the same claim merging shards 1..N in order', async () => {
    const [job, ...rest] = docs(read('zksim-merge.yaml'));
    expect(rest).toEqual([]);
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', spec: { completions: 1 } });
    const c = job.spec.template.spec.containers[0];
    expect(c.command).toEqual(['sh', '-c', mergeCommand()]);
    expect(job.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe(spec.volume.claim);
    const r = await runProcess('sh', ['-c', mergeCommand().replace('node dist/cli/main.js', 'echo')], { env: { PATH: process.env.PATH, N: '3', OUT: '/s' } });
    expect(r.stdout).toBe('merge /s/shard-1.json /s/shard-2.json /s/shard-3.json --out /s/merged\n');
  });
});
