import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { ChannelListener } from '../../src/persistence/channelListener';
import { closedPort } from '../support/net';

describe('a Postgres channel listener whose database does not answer', () => {
  it('logs the outage once and backs off, instead of a warning per try', async () => {
    const lines: { msg: string }[] = [];
    const logs = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const port = await closedPort();
    // Tries at 20 ms, then 40, 80, 160, 320 ms: five or six in the second below, one warning.
    const listener = new ChannelListener(
      `postgresql://postgres@127.0.0.1:${port}/none`,
      'test',
      () => undefined,
      createLogger('info', logs),
      20,
      1_000,
    );
    await listener.start();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await listener.stop();
    const warnings = lines.filter((line) => line.msg.startsWith('cannot listen on a Postgres channel'));
    expect(warnings).toHaveLength(1);
  });
});
