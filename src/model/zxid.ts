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

/**
 * A zxid as ZooKeeper prints it: `0x` + Long.toHexString(zxid) (server/util/ZxidUtils.java
 * zxidToString, and the `0x%x` of its logs, e.g. Learner.syncWithLeader "Getting a diff from the
 * leader 0x100000005"): makeZxid(1, 5) → "0x100000005", 0 → "0x0". A negative value (ZooKeeper's
 * -1 "no zxid") prints as the 64-bit two's complement, as Long.toHexString does.
 */
export function formatZxid(zxid: Zxid): string {
  if (zxid < 0) return `0x${BigInt.asUintN(64, BigInt(zxid)).toString(16)}`;
  return `0x${zxid.toString(16)}`;
}
