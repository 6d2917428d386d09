import { createServer, connect, Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real service, to play its outages in tests: `down` closes
 * every connection and refuses new ones (a stopped server); `freeze` keeps connections open but
 * forwards nothing either way (a server stopped with SIGSTOP); `up` forwards again.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<[Socket, Socket]>();
  private frozen = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** Connections open through the proxy now (a frozen one included): tells a test a request was sent. */
  get connections(): number {
    return this.pairs.size;
  }

  async up(): Promise<void> {
    this.frozen = false;
    for (const [client, upstream] of this.pairs) {
      client.resume();
      upstream.resume();
    }
    if (this.server) return;
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  freeze(): void {
    this.frozen = true;
    for (const [client, upstream] of this.pairs) {
      client.pause();
      upstream.pause();
    }
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private accept(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
    // After piping: pipe() resumes its source, which would let a new connection through a freeze.
    if (this.frozen) {
      client.pause();
      upstream.pause();
    }
  }
}
