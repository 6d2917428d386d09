import { LiveEventBus, SUBSCRIBER_BUFFER } from '../../src/live/liveEventBus';

const event = (projectName: string, n: number) => ({ projectName, imageId: `image-${n}`, labeledAt: new Date(0).toISOString() });

describe('the live event bus', () => {
  it("delivers a project's events to its subscribers only, and forgets a subscriber that leaves", async () => {
    const bus = new LiveEventBus();
    const a = bus.subscribe('imageLabeled', 'a');
    const b = bus.subscribe('imageLabeled', 'b');
    const nextOfA = a.next();
    const nextOfB = b.next();
    expect(bus.subscriberCount).toBe(2);
    await bus.publish('imageLabeled', event('b', 1));
    await bus.publish('imageLabeled', event('a', 2));
    expect((await nextOfA).value.imageId).toBe('image-2');
    expect((await nextOfB).value.imageId).toBe('image-1');
    await a.return(undefined);
    await b.return(undefined);
    expect(bus.subscriberCount).toBe(0);
  });

  it('keeps at most SUBSCRIBER_BUFFER undelivered events for a slow subscriber, the newest', async () => {
    const bus = new LiveEventBus();
    const slow = bus.subscribe('imageLabeled', 'a');
    const first = slow.next(); // starts the subscription
    for (let n = 0; n < SUBSCRIBER_BUFFER + 50; n += 1) await bus.publish('imageLabeled', event('a', n));
    expect((await first).value.imageId).toBe('image-0');
    const rest: string[] = [];
    for (let n = 0; n < SUBSCRIBER_BUFFER; n += 1) rest.push((await slow.next()).value.imageId);
    // image-0 went to the waiting next(); of the 305 after it, the newest 256 are kept.
    expect(rest[0]).toBe('image-50');
    expect(rest.at(-1)).toBe(`image-${SUBSCRIBER_BUFFER + 49}`);
    await slow.return(undefined);
  });

  it('ignores malformed messages from the transport', () => {
    const bus = new LiveEventBus();
    expect(() => bus.receive('{not json')).not.toThrow();
    expect(() => bus.receive(undefined)).not.toThrow();
    expect(() => bus.receive('{"topic":"imageLabeled"}')).not.toThrow();
  });
});
