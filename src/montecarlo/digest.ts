import { createHash } from 'node:crypto';

/**
 * SHA-256 (node:crypto), hex, of `value` as canonical JSON: JSON.stringify's values with every
 * object's keys sorted, so the digest does not depend on key order and survives a JSON round trip
 * (what is written is what is read back). `omit` names a top-level key left out: the digest field
 * itself.
 *
 * What it protects against: accidental damage and hand edits of a checkpoint or a result file
 * (a truncated copy, a changed number). It is not a signature: someone who means to forge a file
 * can recompute it, which is why the loaders also check the statistics' invariants.
 */
export function contentDigest(value: object, omit?: string): string {
  const top = omit === undefined ? value : Object.fromEntries(Object.entries(value).filter(([k]) => k !== omit));
  return sha256(JSON.stringify(top, (_key, v: unknown) => (isPlainObject(v) ? sortedKeys(v) : v)));
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function sortedKeys(v: Record<string, unknown>): Record<string, unknown> {
  // null prototype: a "__proto__" key in a file stays a plain key instead of setting the prototype
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(v).sort()) out[k] = v[k];
  return out;
}
