import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { request } from 'node:https';
import ipaddr from 'ipaddr.js';
import { withDeadline } from '../deadline';
import { ApiError, invalidArgument, notFound } from '../api/errors';

export interface HttpsSourceOptions {
  enabled: boolean;
  maxBytes: number;
  /** The whole read, redirects included, must end within this many milliseconds. */
  timeoutMs: number;
  maxRedirects?: number;
  /**
   * For tests only (never set from configuration): addresses exempt from the public-address rule,
   * a resolver standing in for DNS, and a CA to trust, so a local TLS server can play the internet.
   */
  testing?: { allowAddresses?: string[]; resolve?: (host: string) => Promise<LookupAddress[]>; ca?: string };
}

/** Only public unicast addresses: no loopback, private, link-local, CGNAT, multicast or reserved ranges. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

const blocked = () =>
  new ApiError('AccessDenied', 'sourceURI points to a loopback, private or link-local address, which this server never fetches.');

type Target = { address: string; family: number };

/** Connects every request to the vetted address, answering Node's lookup in both of its shapes. */
function pinnedLookup(target: Target) {
  return (_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

function fetchOnce(url: URL, options: HttpsSourceOptions, target: Target, signal: AbortSignal): Promise<{ redirect?: URL; body?: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        signal,
        headers: { 'user-agent': 'labelgate', accept: 'image/*' },
        // Connect to the vetted address; TLS still checks the certificate against the host name.
        lookup: pinnedLookup(target) as never,
        ca: options.testing?.ca,
      },
      (res) => {
        // Anything thrown in this callback would escape every promise and end the process.
        try {
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400 && res.headers.location) {
            res.resume();
            const location = URL.canParse(res.headers.location, url) ? new URL(res.headers.location, url) : null;
            return location
              ? resolve({ redirect: location })
              : reject(invalidArgument('sourceURI redirects to a malformed address.', 'sourceURI'));
          }
          if (status === 404 || status === 410) return reject(notFound('The object sourceURI names does not exist (HTTP 404).'));
          if (status === 401 || status === 403)
            return reject(new ApiError('AccessDenied', `The server refused to give the object (HTTP ${status}).`));
          if (status !== 200) return reject(invalidArgument(`Fetching sourceURI failed with HTTP ${status}.`, 'sourceURI'));
          const declared = Number(res.headers['content-length'] ?? 0);
          if (declared > options.maxBytes) {
            req.destroy();
            return reject(
              new ApiError('LimitExceeded', `The object is ${declared} bytes; at most ${options.maxBytes} bytes (20 MB) are accepted.`),
            );
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > options.maxBytes) {
              req.destroy();
              reject(new ApiError('LimitExceeded', `The object is larger than ${options.maxBytes} bytes (20 MB).`));
            } else chunks.push(chunk);
          });
          res.on('end', () => resolve({ body: Buffer.concat(chunks) }));
          res.on('error', reject);
        } catch (error) {
          req.destroy();
          reject(invalidArgument(`Fetching sourceURI failed: ${(error as Error).message}`, 'sourceURI'));
        }
      },
    );
    req.on('error', (error) => {
      if (signal.aborted) return reject(signal.reason);
      reject(
        error instanceof ApiError
          ? error
          : invalidArgument(`Fetching sourceURI failed: ${(error as NodeJS.ErrnoException).code ?? 'connection error'}.`, 'sourceURI'),
      );
    });
    req.end();
  });
}

/** Reads https:// sources when enabled, within size and time limits, never from private networks. */
export class HttpsSource {
  constructor(private readonly options: HttpsSourceOptions) {}

  async read(url: URL): Promise<Buffer> {
    if (!this.options.enabled)
      throw new ApiError('AccessDenied', 'https:// sources are disabled on this server (set HTTPS_SOURCES_ENABLED=true).');
    const tooSlow = () => invalidArgument(`Fetching sourceURI took longer than ${this.options.timeoutMs} ms.`, 'sourceURI');
    return withDeadline(this.options.timeoutMs, tooSlow, async (signal) => {
      let current = url;
      for (let hop = 0; hop <= (this.options.maxRedirects ?? 3); hop += 1) {
        if (current.protocol !== 'https:') throw invalidArgument('sourceURI redirects to a non-https address.', 'sourceURI');
        const result = await fetchOnce(current, this.options, await this.vettedAddress(current.hostname), signal);
        if (result.body) return result.body;
        current = result.redirect!;
      }
      throw invalidArgument('sourceURI redirects too many times.', 'sourceURI');
    });
  }

  private allowed(address: string): boolean {
    return isPublicAddress(address) || (this.options.testing?.allowAddresses ?? []).includes(address);
  }

  /** Resolves the host once and vets every address; the connection then goes to that address (no DNS rebinding). */
  private async vettedAddress(hostname: string): Promise<Target> {
    const host = hostname.replace(/^\[|\]$/g, '');
    if (ipaddr.isValid(host)) {
      if (!this.allowed(host)) throw blocked();
      return { address: host, family: host.includes(':') ? 6 : 4 };
    }
    if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local')) throw blocked();
    let addresses: LookupAddress[];
    try {
      addresses = await (this.options.testing?.resolve ?? ((name: string) => lookup(name, { all: true })))(host);
    } catch {
      throw invalidArgument(`The host ${host} in sourceURI cannot be resolved.`, 'sourceURI');
    }
    if (addresses.length === 0 || !addresses.every((a) => this.allowed(a.address))) throw blocked();
    return addresses[0];
  }
}
