/**
 * zxids are 64-bit in ZooKeeper: epoch in the high 32 bits, counter in the low 32
 * (server/util/ZxidUtils.java). We hold them in a double: exact while epoch < 2^21, which a
 * simulation never reaches (one epoch per election).
 */
export type Zxid = number;

const TWO_32 = 4294967296;

export function makeZxid(epoch: number, counter: number): Zxid {
  return epoch * TWO_32 + counter;
}

export function epochOf(zxid: Zxid): number {
  return Math.floor(zxid / TWO_32);
}

export function counterOf(zxid: Zxid): number {
  return zxid % TWO_32;
}

/** "e:c" in hex like ZooKeeper logs print it (0x100000003 → "1:3"). */
export function formatZxid(zxid: Zxid): string {
  return `${epochOf(zxid).toString(16)}:${counterOf(zxid).toString(16)}`;
}
