import { parseKey } from './apiKeySecret';

// Strings that are not keys this server could have issued are refused without a lookup, so counting
// them per address only bounds noise: the bound is this many times the anonymous rate, and it never
// touches well-formed keys, so neighbours behind the same address keep working.
const UNKNOWN_FORMAT_FACTOR = 20;

export interface FailureCounter {
  /** The rate-limit name failures count against. */
  name: string;
  ratePerSecond: number;
  /** What a refused request is told. */
  refusal: string;
}

/**
 * Where a presented key's failures count. A well-formed key counts against its key id: one holder's
 * typos or one client's guesses lock out that id alone, never another key sent from the same address
 * (behind a NAT, neighbours share it). Anything else counts against the client address.
 */
export function failureCounterOf(presented: string, client: string, anonymousQps: number): FailureCounter {
  const parsed = parseKey(presented);
  if (parsed) {
    return {
      name: `failures:key:${parsed.id}`,
      ratePerSecond: anonymousQps,
      refusal: `Too many failed requests with API key ${parsed.id}.`,
    };
  }
  return {
    name: `failures:malformed:${client}`,
    ratePerSecond: anonymousQps * UNKNOWN_FORMAT_FACTOR,
    refusal: 'Too many requests with malformed API keys from this address.',
  };
}
