/**
 * The JSON Schemas of the --json documents (schemas/*.schema.json):
 *  - they are what `npm run schemas` generates from src/cli/documents.ts now, so a field added to
 *    a document's type (and so to the document) cannot leave its schema stale;
 *  - real outputs of the built CLI validate against them (and --show-model --json's too);
 *  - they have teeth: a document with a required field removed, a field of the wrong type or a
 *    field the type does not declare is rejected.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENTS, generateSchemas } from '../scripts/schema-gen.js';
import { zksim } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

type Name = (typeof DOCUMENTS)[number]['name'];

function committed(name: Name): string {
  return readFileSync(join('schemas', `${name}.schema.json`), 'utf8');
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validators = new Map<Name, ValidateFunction>();
for (const { name } of DOCUMENTS) validators.set(name, ajv.compile(JSON.parse(committed(name)) as object));

/** Null when `doc` fits the schema, else Ajv's errors (so a failure shows which field). */
function problems(name: Name, doc: unknown): string | null {
  const validate = validators.get(name)!;
  return validate(doc) ? null : ajv.errorsText(validate.errors, { separator: '\n' });
}

function copy<T>(doc: T): T {
  return JSON.parse(JSON.stringify(doc)) as T;
}

describe('committed schemas', () => {
  it('are what npm run schemas generates from the document types now', { timeout: 60_000 }, () => {
    for (const { file, text } of generateSchemas()) {
      expect(committed(file.replace('.schema.json', '') as Name), `schemas/${file} is stale: run npm run schemas and commit it`).toBe(text);
    }
  });
});

describe("the README's --json outputs (test/golden/readme) validate against their schemas", () => {
  // By the command's slug, not its number: adding a README command renumbers the files after it.
  const golden = (slug: string): unknown => {
    const file = readdirSync(join('test', 'golden', 'readme')).find((f) => f.replace(/^\d+-/, '').startsWith(slug));
    expect(file, `test/golden/readme/NN-${slug}*.out`).toBeDefined();
    return JSON.parse(readFileSync(join('test', 'golden', 'readme', file!), 'utf8'));
  };
  it('run --json and availability --json', () => {
    expect(problems('run', golden('run-n5-3az-fault-isolate-leader-20s-30s-json'))).toBeNull();
    expect(problems('availability', golden('availability-n3-3az-n5-3az-experiment-az-outage'))).toBeNull();
  });
});

describe('real CLI outputs validate against their schemas', { timeout: 180_000 }, () => {
  const outputs = new Map<string, { status: number | null; doc: unknown }>();
  const json = async (key: string, args: string[]): Promise<void> => {
    const r = await zksim(args);
    expect(r.stderr.replace(/zksim: --workers .*\n/, '')).toBe('');
    outputs.set(key, { status: r.status, doc: JSON.parse(r.stdout) as unknown });
  };
  let demoDir = '';

  beforeAll(async () => {
    demoDir = tempDir('zksim-schemas-');
    // One at a time: the machine is shared, and each study already uses the cores it is given.
    await json('run-fault', ['run', 'topologies/n5-3az.yaml', '--fault', 'isolate:leader@20s+30s', '--json']);
    await json('run-writes', ['run', 'topologies/n5-3az.yaml', '--writes', '200', '--duration', '30s', '--fault', 'kill:leader@10s', '--json']);
    // Shape, not statistics: a few short trials fill every field of the document.
    await json('availability', ['availability', 'topologies/n3-1az.yaml', 'topologies/n5-3az.yaml', '--runs', '8', '--horizon', '10d', '--workers', '1', '--json']);
    await json('sweep', ['sweep', 'topologies/n3-1az.yaml', '--vary', 'node-mttr=1h,4h', '--runs', '4', '--horizon', '10d', '--workers', '1', '--json']);
    await json('show-model', ['availability', 'topologies/n5-3az.yaml', '--show-model', '--json']);
    await json('show-model-sweep', ['sweep', 'topologies/n3-1az.yaml', '--vary', 'node-mttr=1h,4h', '--show-model', '--json']);
    await json('check', ['check', '--runs', '2', '--json']);
    await json('check-violation', ['check', '--topology', 'topologies/n4-2az.yaml', '--quorum-rule', 'naive', '--runs', '50', '--seed', '3', '--out', demoDir, '--json']);
    await json('demo', ['demo', 'rolling-restart', '--out', demoDir, '--json']);
  }, 600_000);

  it('run --json, with a fault and with client writes', () => {
    for (const key of ['run-fault', 'run-writes']) {
      const { status, doc } = outputs.get(key)!;
      expect(status).toBe(0);
      expect(problems('run', doc)).toBeNull();
    }
    expect((outputs.get('run-writes')!.doc as { writes: unknown }).writes).not.toBeNull();
  });

  it('availability --json on two topologies', () => {
    const { status, doc } = outputs.get('availability')!;
    expect(status).toBe(0);
    expect(problems('availability', doc)).toBeNull();
    expect((doc as { results: unknown[] }).results).toHaveLength(2);
  });

  it('sweep --json: one row per value, each with its variant', () => {
    const { status, doc } = outputs.get('sweep')!;
    expect(status).toBe(0);
    expect(problems('sweep', doc)).toBeNull();
    // a sweep is an availability document too
    expect(problems('availability', doc)).toBeNull();
    // ...but an availability document's rows have no variant: not a sweep
    expect(problems('sweep', outputs.get('availability')!.doc)).not.toBeNull();
  });

  it('--show-model --json, of availability and of sweep (with its variants)', () => {
    for (const key of ['show-model', 'show-model-sweep']) {
      const { status, doc } = outputs.get(key)!;
      expect(status).toBe(0);
      expect(problems('show-model', doc)).toBeNull();
    }
    expect((outputs.get('show-model-sweep')!.doc as { variants: unknown[] }).variants).toHaveLength(2);
  });

  it('check --json, passing (exit 0) and finding a violation (exit 1)', () => {
    const pass = outputs.get('check')!;
    expect(pass.status).toBe(0);
    expect(problems('check', pass.doc)).toBeNull();
    expect((pass.doc as { violation: unknown }).violation).toBeNull();
    const fail = outputs.get('check-violation')!;
    expect(fail.status).toBe(1);
    expect(problems('check', fail.doc)).toBeNull();
    const v = (fail.doc as { violation: { counterexampleFile: string; invariants: string[] } }).violation;
    expect(v.invariants.length).toBeGreaterThan(0);
    expect(readFileSync(v.counterexampleFile, 'utf8')).toContain('faults');
  });

  it('demo --json prints demo.json, as written to --out', () => {
    const { status, doc } = outputs.get('demo')!;
    expect(status).toBe(0);
    expect(problems('demo', doc)).toBeNull();
    expect(JSON.parse(readFileSync(join(demoDir, 'demo.json'), 'utf8'))).toEqual(doc);
  });

  it('have teeth: a missing required field, a wrong type or an undeclared field is rejected', () => {
    const run = outputs.get('run-fault')!.doc as Record<string, unknown>;
    const noSeed = copy(run);
    delete noSeed.seed;
    expect(problems('run', noSeed)).toMatch(/seed/);
    expect(problems('run', { ...copy(run), durationMs: '60s' })).toMatch(/durationMs/);
    expect(problems('run', { ...copy(run), surprise: 1 })).toMatch(/additional/);
    const nested = copy(run) as { elections: Record<string, unknown>[] };
    nested.elections[0]!.startedAtMs = null;
    expect(problems('run', nested)).toMatch(/startedAtMs/);

    // the typed events: each variant is closed, times are in ms
    const events = copy(run) as { eventLog: Record<string, unknown>[] };
    expect(events.eventLog.length).toBeGreaterThan(0);
    const first = events.eventLog[0]!;
    events.eventLog[0] = { ...first, atUs: first.atMs };
    delete events.eventLog[0].atMs;
    expect(problems('run', events)).not.toBeNull();
    events.eventLog[0] = { ...first, type: 'noSuchEvent' };
    expect(problems('run', events)).not.toBeNull();

    const availability = copy(outputs.get('availability')!.doc) as { results: Record<string, unknown>[] };
    delete availability.results[0]!.writeAvailability;
    expect(problems('availability', availability)).toMatch(/writeAvailability/);
    expect(problems('availability', { ...copy(outputs.get('availability')!.doc as object), kind: 'zksim-run' })).not.toBeNull();

    const check = copy(outputs.get('check-violation')!.doc) as { violation: Record<string, unknown> };
    check.violation.foundAtSchedule = 'first';
    expect(problems('check', check)).toMatch(/foundAtSchedule/);
    expect(problems('check', { ...copy(outputs.get('check')!.doc as object), property: 'speed' })).toMatch(/property/);

    const demo = copy(outputs.get('demo')!.doc) as Record<string, unknown>;
    delete demo.facts;
    expect(problems('demo', demo)).toMatch(/facts/);
  });
});
