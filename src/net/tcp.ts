import type { Rng } from '../core/index.js';

/**
 * Linux TCP constants the model follows, all at their defaults (times in µs). Sources: the
 * kernel's Documentation/networking/ip-sysctl.rst (net/ipv4 sysctls) and include/net/tcp.h.
 */
export const TCP = {
  /** TCP_RTO_MIN (include/net/tcp.h): the floor of the retransmission timeout, 200 ms */
  rtoMinUs: 200_000,
  /** TCP_RTO_MAX (include/net/tcp.h): the back-off stops doubling at 120 s */
  rtoMaxUs: 120_000_000,
  /**
   * net.ipv4.tcp_retries2 = 15: an established connection errors (ETIMEDOUT) once the time a
   * back-off from TCP_RTO_MIN would take for 15 retransmissions has passed, ~924.6 s
   * (ip-sysctl.rst: "a hypothetical timeout of 924.6 seconds").
   */
  retries2: 15,
  /** TCP_TIMEOUT_INIT (include/net/tcp.h): the first SYN's retransmission timeout, 1 s */
  synRtoInitialUs: 1_000_000,
  /** net.ipv4.tcp_syn_retries = 6: SYNs at 0, 1, 3, 7, 15, 31, 63 s, then give up at 127 s */
  synRetries: 6,
} as const;

/**
 * The retransmission timeout of a connection whose round trip is `rttUs`, as Linux sets it from
 * its first sample (net/ipv4/tcp_input.c tcp_rtt_estimator + tcp_set_rto): srtt = rtt, the
 * variance term max(2·rtt, TCP_RTO_MIN), so RTO = rtt + max(2·rtt, 200 ms), at most TCP_RTO_MAX.
 */
export function initialRtoUs(rttUs: number): number {
  return Math.min(TCP.rtoMaxUs, Math.round(rttUs + Math.max(2 * rttUs, TCP.rtoMinUs)));
}

/** How long a back-off from `rtoUs` takes for `n` retransmission timer expiries: Σ min(rto·2^i, RTO_MAX), µs. */
export function backoffUs(rtoUs: number, n: number): number {
  let total = 0;
  let rto = rtoUs;
  for (let i = 0; i < n; i++) {
    total += rto;
    rto = Math.min(TCP.rtoMaxUs, rto * 2);
  }
  return total;
}

/** tcp_model_timeout(sk, tcp_retries2, TCP_RTO_MIN) (net/ipv4/tcp_timer.c): 924.6 s at the defaults. */
export const RETRIES2_TIMEOUT_US = backoffUs(TCP.rtoMinUs, TCP.retries2 + 1);

/**
 * The first retransmission timer expiry at or after `nowUs` of data whose first unacknowledged
 * segment was sent at `firstSentUs` with timeout `rtoUs` (expiries at first + rto, first + 3·rto,
 * …, capped steps of RTO_MAX). `error` is true when that expiry is past the tcp_retries2 budget
 * (retransmits_timed_out, net/ipv4/tcp_timer.c): the connection errors then instead of resending.
 */
export function nextRetransmissionUs(firstSentUs: number, rtoUs: number, nowUs: number): { atUs: number; error: boolean } {
  let at = firstSentUs;
  let rto = rtoUs;
  for (;;) {
    at += rto;
    if (at - firstSentUs >= RETRIES2_TIMEOUT_US) return { atUs: at, error: true };
    if (at >= nowUs) return { atUs: at, error: false };
    rto = Math.min(TCP.rtoMaxUs, rto * 2);
  }
}

/** When the connection whose first unacknowledged segment left at `firstSentUs` errors (ETIMEDOUT), µs. */
export function retries2ErrorUs(firstSentUs: number, rtoUs: number): number {
  return nextRetransmissionUs(firstSentUs, rtoUs, Number.POSITIVE_INFINITY).atUs;
}

/**
 * The SYN instant of a connect started at `startUs` at or after `nowUs` (SYNs at start + 0, 1, 3,
 * 7 … 63 s: net/ipv4/tcp_timer.c tcp_retransmit_timer on a SYN_SENT socket), or null when the
 * SYNs are spent (`tcp_syn_retries`).
 */
export function nextSynUs(startUs: number, nowUs: number): number | null {
  let at = startUs;
  let rto = TCP.synRtoInitialUs;
  for (let i = 0; i <= TCP.synRetries; i++) {
    if (at >= nowUs) return at;
    at += rto;
    rto *= 2;
  }
  return null;
}

/** The kernel gives up a connect whose SYNs all went unanswered after 127 s (1 + 2 + … + 64). */
export const SYN_GIVE_UP_US = backoffUs(TCP.synRtoInitialUs, TCP.synRetries + 1);

/**
 * A draw of how many consecutive times one segment is lost when each transmission is lost with
 * probability `p` (geometric: P(k) = p^k (1 − p)), capped at tcp_retries2 + 1.
 */
export function drawLosses(p: number, rng: Rng): number {
  if (p <= 0) return 0;
  if (p >= 1) return TCP.retries2 + 1;
  const u = 1 - rng.next(); // (0, 1]
  return Math.min(TCP.retries2 + 1, Math.floor(Math.log(u) / Math.log(p)));
}

/**
 * The fewest consecutive losses of one segment whose retransmission back-off from `rtoUs`
 * exceeds `gapUs`; with loss probability p a segment is that late with probability p^k.
 */
export function lossesToExceed(rtoUs: number, gapUs: number): number {
  let k = 0;
  while (backoffUs(rtoUs, k) <= gapUs && k <= TCP.retries2) k++;
  return k;
}
