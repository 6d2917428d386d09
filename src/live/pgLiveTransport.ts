import type { Pool } from 'pg';
import type { Logger } from '../logger';
import { ChannelListener } from '../persistence/channelListener';
import type { LiveTransport } from './liveEventBus';

/** The Postgres channel live events travel on between gateway processes. */
export const LIVE_CHANNEL = 'labelgate_live';

/**
 * Live events between gateway processes over Postgres NOTIFY (payloads are small: ids and names),
 * so a subscriber connected to one gateway sees what another one labelled.
 */
export class PgLiveTransport implements LiveTransport {
  private listener: ChannelListener | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  async send(message: string): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, message]);
  }

  /** Hands every message any process sends to `receive`. */
  start(receive: (message?: string) => void): Promise<void> {
    this.listener = new ChannelListener(this.databaseUrl, LIVE_CHANNEL, receive, this.logger);
    return this.listener.start();
  }

  async stop(): Promise<void> {
    await this.listener?.stop();
  }
}
