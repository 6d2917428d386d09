import { Client } from 'pg';
import type { Logger } from '../logger';

/**
 * Listens on a Postgres channel (LISTEN/NOTIFY) for what any process sends there, on a connection
 * of its own (a pooled one would be handed to queries), and calls `onNotification` with each
 * payload. A lost connection is reopened after `retryMs`, doubling while it fails (at most
 * `maxRetryMs`); an outage is logged once, and again only if what it says changes. Once listening (at start and after each
 * reconnection) it calls `onNotification` with no payload: what was sent meanwhile is lost, and
 * the listener's owner may want to look for it.
 */
export class ChannelListener {
  private client: Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = true;
  /** Failed tries since the last success, and what the last one said: an outage is logged once, not every try. */
  private failures = 0;
  private lastFailure = '';

  constructor(
    private readonly databaseUrl: string,
    private readonly channel: string,
    private readonly onNotification: (payload?: string) => void,
    private readonly logger: Logger,
    private readonly retryMs = 1_000,
    private readonly maxRetryMs = 30_000,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.databaseUrl, keepAlive: true });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.onNotification(message.payload);
    });
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      if (this.client !== client) return void (await client.end()); // stopped meanwhile
      await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
      if (this.failures > 0) this.logger.info({ channel: this.channel, failures: this.failures }, 'listening on a Postgres channel again');
      this.failures = 0;
      this.lastFailure = '';
      this.onNotification();
    } catch (error) {
      this.failures += 1;
      const said = (error as Error).message;
      if (said !== this.lastFailure)
        this.logger.warn({ err: error, channel: this.channel }, 'cannot listen on a Postgres channel; retrying until it answers');
      this.lastFailure = said;
      this.reconnect(client);
    }
  }

  private reconnect(client: Client): void {
    if (this.client !== client || this.stopped) return;
    this.client = null;
    client.end().catch(() => undefined);
    // retryMs after a drop, doubling with each failed try while the database stays away.
    const delay = Math.min(this.maxRetryMs, this.retryMs * 2 ** Math.max(0, this.failures - 1));
    this.retry = setTimeout(() => void this.connect(), delay);
    this.retry.unref();
  }
}
