import { Client } from 'pg';
import type { Logger } from '../logger';

/** The channel the outbox_events trigger notifies on every insert (migration 20261205010000_index_versions). */
export const OUTBOX_CHANNEL = 'outbox_events';

/**
 * Listens for new outbox events written by any process, on a connection of its own (a pooled one
 * would be handed to queries), and calls `onEvents` for each notification. A lost connection is
 * reopened after `retryMs`; meanwhile the relay's polling still finds the work.
 */
export class OutboxListener {
  private client: Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(
    private readonly databaseUrl: string,
    private readonly onEvents: () => void,
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
    client.on('notification', () => this.onEvents());
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      if (this.client !== client) return void (await client.end()); // stopped meanwhile
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      // Events written while not listening are found now rather than at the next poll.
      this.onEvents();
    } catch (error) {
      this.logger.warn({ err: error }, 'cannot listen for outbox events; the relay polls meanwhile');
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
