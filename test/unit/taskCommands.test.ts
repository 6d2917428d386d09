import { etaText } from '../../src/cli/taskCommands';

describe('the CLI’s ETA', () => {
  it.each([
    [null, '?'],
    [0, '0s'],
    [59, '59s'],
    [60, '1m00s'],
    [185, '3m05s'],
    [3599, '59m59s'],
    [7620, '2h07m'],
  ])('%p seconds read %p', (seconds, text) => {
    expect(etaText(seconds)).toBe(text);
  });
});
