import { Client } from 'pg';
import type { Logger } from '../logger';

/**
 * Listens on a Postgres channel (LISTEN/NOTIFY) for what any process sends there, on a connection
 * of its own (a pooled one would be handed to queries), and calls `onNotification` with each
 * payload. A lost connection is reopened after `retryMs`. Once listening (at start and after each
 * reconnection) it calls `onNotification` with no payload: what was sent meanwhile is lost, and
 * the listener's owner may want to look for it.
 */
export class ChannelListener {
  private client: Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(
    private readonly databaseUrl: string,
    private readonly channel: string,
    private readonly onNotification: (payload?: string) => void,
    private readonly logger: Logger,
    private readonly retryMs = 1_000,
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
      this.onNotification();
    } catch (error) {
      this.logger.warn({ err: error, channel: this.channel }, 'cannot listen on a Postgres channel; retrying');
      this.reconnect(client);
    }
  }

  private reconnect(client: Client): void {
    if (this.client !== client || this.stopped) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.retry = setTimeout(() => void this.connect(), this.retryMs);
    this.retry.unref();
  }
}
