import { parseFault } from '../config/index.js';
import { durationHint } from '../config/yaml-reader.js';
import { parseDurationUs } from '../model/duration.js';
import type { FaultSpec, Topology } from '../model/index.js';
import { UserError } from './errors.js';

/** Commander collector for repeatable options (`--fault a --fault b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function durationOption(flag: string, text: string): number {
  const us = parseDurationUs(text);
  if (us === null || us <= 0) throw new UserError(`${flag} ${JSON.stringify(text)}: expected a positive duration with a unit, e.g. 500ms, 60s, 5m, 2h, 1y${durationHint(text)}`);
  return us;
}

export function seedOption(text: string): string {
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(text)) throw new UserError(`--seed ${JSON.stringify(text)}: expected a number or a short word (letters, digits, _ . : -)`);
  return text;
}

export function faultOptions(texts: readonly string[], topology: Topology, durationUs: number): FaultSpec[] {
  return texts.map((text) => {
    const parsed = parseFault(text, topology);
    if (!parsed.ok) throw new UserError(`--fault: ${parsed.error}`);
    if (parsed.fault.atUs >= durationUs) {
      throw new UserError(`--fault ${JSON.stringify(text)}: fires at or after the end of the run (--duration); lengthen the run or fire it earlier`);
    }
    return parsed.fault;
  });
}

export function rateOption(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1e6) {
    throw new UserError(`${flag} ${JSON.stringify(text)}: expected a rate per second between 0 and 1000000`);
  }
  return n;
}
