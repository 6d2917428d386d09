import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import type { LiveTopic, LiveTopics } from './liveTopics';

/** How many undelivered events a slow subscriber may have; older ones are dropped first. */
export const SUBSCRIBER_BUFFER = 256;

/** Carries events between gateway processes; `deliver` hands each one to this process's subscribers. */
export interface LiveTransport {
  send(message: string): Promise<void>;
}

interface Envelope<K extends LiveTopic = LiveTopic> {
  topic: K;
  event: LiveTopics[K];
}

type Listener = (event: LiveTopics[LiveTopic]) => void;

/**
 * Live events, by topic and project. Published events go through the transport (Postgres
 * NOTIFY, so subscribers of every gateway process get them) and come back through `receive`; without
 * a transport they are delivered in this process only. Each subscriber has a bounded buffer, so a
 * slow one costs memory in proportion to that bound, not to the traffic.
 */
export class LiveEventBus {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly transport: LiveTransport | null = null) {}

  private static key(topic: LiveTopic, projectName: string): string {
    return `${topic}\u0000${projectName}`;
  }

  /** Sends an event to every subscriber of its topic and project, in every process; never throws (live events are best-effort). */
  async publish<K extends LiveTopic>(topic: K, event: LiveTopics[K]): Promise<void> {
    const message = JSON.stringify({ topic, event } satisfies Envelope<K>);
    if (!this.transport) return this.receive(message);
    await this.transport.send(message).catch(() => undefined);
  }

  /** A message from the transport (or, without one, from publish); malformed ones are ignored. */
  receive(message: string | undefined): void {
    if (!message) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      return;
    }
    const listeners = this.listeners.get(LiveEventBus.key(envelope.topic, envelope.event?.projectName));
    for (const listener of listeners ?? []) listener(envelope.event);
  }

  /** The project's events of a topic, from now on, until the iterator is returned. */
  subscribe<K extends LiveTopic>(topic: K, projectName: string): AsyncGenerator<LiveTopics[K]> {
    const key = LiveEventBus.key(topic, projectName);
    return new Repeater<LiveTopics[K]>(async (push, stop) => {
      const listener: Listener = (event) => void push(event as LiveTopics[K]);
      const set = this.listeners.get(key) ?? new Set();
      set.add(listener);
      this.listeners.set(key, set);
      await stop;
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    }, new SlidingBuffer(SUBSCRIBER_BUFFER));
  }

  /** Subscribers now, for tests and metrics. */
  get subscriberCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}
