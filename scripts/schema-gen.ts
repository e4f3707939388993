/**
 * The generator behind `npm run schemas` (scripts/schemas.ts), which writes schemas/<name>.schema.json, the JSON Schema (draft-07) of each
 * document the CLI prints with --json, generated from its TypeScript type in src/cli/documents.ts
 * by ts-json-schema-generator. The schemas are committed; test/schemas.test.ts fails when they
 * differ from what the types generate now (run this script and commit the result), and validates
 * real CLI outputs against them.
 *
 * Objects are closed (`additionalProperties: false`): a field the type does not declare is
 * refused, so a field added to a document without its type is caught as well as a removed one.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

export const REPO = fileURLToPath(new URL('..', import.meta.url));

/** Schema file name (without .schema.json) → the exported type in src/cli/documents.ts, and what prints it. */
export const DOCUMENTS = [
  { name: 'run', type: 'RunDocument', title: 'zksim run --json' },
  { name: 'availability', type: 'AvailabilityDocument', title: 'zksim availability --json / zksim merge --json' },
  { name: 'sweep', type: 'SweepDocument', title: 'zksim sweep --json' },
  { name: 'check', type: 'CheckDocument', title: 'zksim check --json' },
  { name: 'demo', type: 'DemoDocument', title: 'zksim demo NAME --json' },
  { name: 'show-model', type: 'ShownModel', title: 'zksim availability|sweep --show-model --json' },
  { name: 'plan', type: 'PlanDocument', title: 'zksim plan --json' },
  { name: 'dr', type: 'DrDocument', title: 'zksim dr --json' },
  { name: 'alert-study', type: 'AlertStudyDocument', title: 'zksim alerts study --json' },
  { name: 'alert-tune', type: 'AlertTuneDocument', title: 'zksim alerts tune --json' },
] as const;

/** Each schema's file name and text, as `npm run schemas` writes them. */
export function generateSchemas(): { file: string; text: string }[] {
  const generator = createGenerator({
    path: join(REPO, 'src/cli/documents.ts'),
    tsconfig: join(REPO, 'tsconfig.build.json'),
    // The typecheck is `npm run typecheck`'s job; here it would only double the time.
    skipTypeCheck: true,
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    additionalProperties: false,
    sortProps: true,
  });
  return DOCUMENTS.map(({ name, type, title }) => {
    const schema = { title, ...generator.createSchema(type) } as unknown as JsonSchema;
    if (schema.definitions?.RunEventJson !== undefined) withEventsInMs(schema, generator.createSchema('TrialEvent') as unknown as JsonSchema);
    return { file: `${name}.schema.json`, text: `${JSON.stringify(schema, null, 2)}\n` };
  });
}

type JsonSchema = { [key: string]: unknown; definitions?: Record<string, JsonSchema> };

/**
 * `RunEventJson` is a key-remapping mapped type (report/run-json.ts: each `…Us` number of a
 * TrialEvent renamed `…Ms`), which the generator cannot express: it is built here from the
 * TrialEvent schema the same way eventJson builds the value. The definitions it reaches whose
 * fields change are copied under `<Name>InMs`; the others are shared as they are.
 */
function withEventsInMs(schema: JsonSchema, events: JsonSchema): void {
  const defs = events.definitions ?? {};
  const reachable = new Set<string>();
  const visit = (name: string): void => {
    if (reachable.has(name) || defs[name] === undefined) return;
    reachable.add(name);
    for (const ref of refsIn(defs[name])) visit(ref);
  };
  visit('TrialEvent');
  const renamed = new Map<string, string>();
  for (const name of reachable) if (JSON.stringify(inMs(defs[name])) !== JSON.stringify(defs[name])) renamed.set(name, `${name}InMs`);
  // A definition that refers to a renamed one changes too (its $ref does), transitively.
  for (let grew = true; grew; ) {
    grew = false;
    for (const name of reachable) {
      if (!renamed.has(name) && refsIn(defs[name]).some((r) => renamed.has(r))) {
        renamed.set(name, `${name}InMs`);
        grew = true;
      }
    }
  }
  const target = schema.definitions!;
  const description = target.RunEventJson?.description;
  for (const name of reachable) {
    const copy = retarget(inMs(defs[name]), renamed) as JsonSchema;
    const as = renamed.get(name) ?? name;
    if (target[as] !== undefined && JSON.stringify(target[as]) !== JSON.stringify(copy)) throw new Error(`schema definition ${as}: two different types of that name`);
    target[as] = copy;
  }
  target.RunEventJson = { $ref: `#/definitions/${renamed.get('TrialEvent') ?? 'TrialEvent'}`, ...(description === undefined ? {} : { description }) };
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v.replace('#/definitions/', '')] : refsIn(v)));
}

function retarget(value: unknown, renamed: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => retarget(v, renamed));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      if (k !== '$ref' || typeof v !== 'string') return [k, retarget(v, renamed)];
      const name = v.replace('#/definitions/', '');
      return [k, `#/definitions/${renamed.get(name) ?? name}`];
    }),
  );
}

/** An object schema's `…Us` number properties renamed `…Ms` (required list too), at any depth. */
function inMs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inMs);
  if (typeof value !== 'object' || value === null) return value;
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'properties' && typeof v === 'object' && v !== null) {
      out[k] = Object.fromEntries(Object.entries(v).map(([p, ps]) => [usToMs(p, ps), inMs(ps)]));
    } else if (k === 'required' && Array.isArray(v) && typeof o.properties === 'object' && o.properties !== null) {
      const props = o.properties as Record<string, unknown>;
      out[k] = v.map((p: string) => usToMs(p, props[p]));
    } else {
      out[k] = inMs(v);
    }
  }
  return out;
}

function usToMs(key: string, property: unknown): string {
  if (!key.endsWith('Us')) return key;
  const type = (property as { type?: unknown } | undefined)?.type;
  // eventJson renames a number and a null alike (report/run-json.ts: a time that may be absent)
  if (type === 'number' || (Array.isArray(type) && type.includes('number') && type.every((t) => t === 'number' || t === 'null'))) return `${key.slice(0, -2)}Ms`;
  throw new Error(`event field ${key}: expected a plain number (a …Us field that may be ${JSON.stringify(type)} has no single name in run --json)`);
}

