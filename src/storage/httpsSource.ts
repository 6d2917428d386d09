import { lookup } from 'node:dns/promises';
import { request } from 'node:https';
import ipaddr from 'ipaddr.js';
import { ApiError, invalidArgument, notFound } from '../errors';

export interface HttpsSourceOptions {
  enabled: boolean;
  maxBytes: number;
  timeoutMs: number;
  maxRedirects?: number;
}

/** Only public unicast addresses: no loopback, private, link-local, CGNAT, multicast or reserved ranges. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

const blocked = () => new ApiError('AccessDenied', 'sourceURI points to a loopback, private or link-local address, which this server never fetches.');

/** Resolves the host once and vets every address; the connection then goes to that address (no DNS rebinding). */
async function vettedAddress(hostname: string): Promise<{ address: string; family: number }> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) {
    if (!isPublicAddress(host)) throw blocked();
    return { address: host, family: host.includes(':') ? 6 : 4 };
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local')) throw blocked();
  let addresses: { address: string; family: number }[];
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    throw invalidArgument(`The host ${host} in sourceURI cannot be resolved.`, 'sourceURI');
  }
  if (addresses.length === 0 || !addresses.every((a) => isPublicAddress(a.address))) throw blocked();
  return addresses[0];
}

function fetchOnce(url: URL, options: HttpsSourceOptions, target: { address: string; family: number }): Promise<{ redirect?: URL; body?: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        timeout: options.timeoutMs,
        headers: { 'user-agent': 'labelgate', accept: 'image/*' },
        // Connect to the vetted address; TLS still checks the certificate against the host name.
        lookup: (_host, _opts, callback) => (callback as (e: null, a: string, f: number) => void)(null, target.address, target.family),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          return resolve({ redirect: new URL(res.headers.location, url) });
        }
        if (status === 404 || status === 410) return reject(notFound('The object sourceURI names does not exist (HTTP 404).'));
        if (status === 401 || status === 403) return reject(new ApiError('AccessDenied', `The server refused to give the object (HTTP ${status}).`));
        if (status !== 200) return reject(invalidArgument(`Fetching sourceURI failed with HTTP ${status}.`, 'sourceURI'));
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > options.maxBytes) {
          req.destroy();
          return reject(new ApiError('LimitExceeded', `The object is ${declared} bytes; at most ${options.maxBytes} bytes (20 MB) are accepted.`));
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
      },
    );
    req.on('timeout', () => req.destroy(new ApiError('InvalidArgument', `Fetching sourceURI took longer than ${options.timeoutMs} ms.`, { field: 'sourceURI' })));
    req.on('error', (error) => reject(error instanceof ApiError ? error : invalidArgument(`Fetching sourceURI failed: ${(error as NodeJS.ErrnoException).code ?? 'connection error'}.`, 'sourceURI')));
    req.end();
  });
}

/** Reads https:// sources when enabled, within size and time limits, never from private networks. */
export class HttpsSource {
  constructor(private readonly options: HttpsSourceOptions) {}

  async read(url: URL): Promise<Buffer> {
    if (!this.options.enabled) throw new ApiError('AccessDenied', 'https:// sources are disabled on this server (set HTTPS_SOURCES_ENABLED=true).');
    let current = url;
    for (let hop = 0; hop <= (this.options.maxRedirects ?? 3); hop += 1) {
      if (current.protocol !== 'https:') throw invalidArgument('sourceURI redirects to a non-https address.', 'sourceURI');
      const result = await fetchOnce(current, this.options, await vettedAddress(current.hostname));
      if (result.body) return result.body;
      current = result.redirect!;
    }
    throw invalidArgument('sourceURI redirects too many times.', 'sourceURI');
  }
}
