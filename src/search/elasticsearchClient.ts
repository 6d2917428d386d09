import { Client } from '@elastic/elasticsearch';

/**
 * The timeout is a ceiling: over undici, a request's own `requestTimeout` can shorten it but not
 * extend it, so work that runs for minutes (a bulk load's merge) needs a client made with a longer one.
 */
export function createSearchClient(url: string, requestTimeoutMs = 30_000, maxRetries = 2): Client {
  return new Client({ node: url, requestTimeout: requestTimeoutMs, maxRetries });
}
