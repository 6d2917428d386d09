import type { Logger } from '../logger';
import { ChannelListener } from '../persistence/channelListener';

/** The channel the outbox_events trigger notifies on every insert (migration 20261205010000_index_versions). */
export const OUTBOX_CHANNEL = 'outbox_events';

/**
 * Wakes the relay when any process writes outbox events. Events written while not listening are
 * found when it listens again rather than at the next poll; meanwhile the relay's polling finds them.
 */
export class OutboxListener extends ChannelListener {
  constructor(databaseUrl: string, onEvents: () => void, logger: Logger, retryMs?: number) {
    super(databaseUrl, OUTBOX_CHANNEL, () => onEvents(), logger, retryMs);
  }
}
