export interface SoakArgs {
  minutes: number;
  concurrency: number;
}

const DEFAULTS: SoakArgs = { minutes: 30, concurrency: 16 };
// Bounded: a soak is a measurement, not a service.
const LIMITS = { minutes: [0.1, 24 * 60], concurrency: [1, 256] } as const;

/** `--minutes N` and `--concurrency N` (or `--name=N`); anything else is an error naming it. */
export function parseSoakArgs(argv: string[]): SoakArgs {
  const args = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].split('=', 2);
    const name = flag.replace(/^--/, '');
    if (!flag.startsWith('--') || !(name in LIMITS)) throw new Error(`unknown argument ${argv[i]} (use --minutes N, --concurrency N)`);
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    const [min, max] = LIMITS[name as keyof SoakArgs];
    if (!Number.isFinite(value) || value < min || value > max || (name === 'concurrency' && !Number.isInteger(value))) {
      throw new Error(`--${name} must be a number from ${min} to ${max}${name === 'concurrency' ? ' (whole)' : ''} (got ${raw})`);
    }
    args[name as keyof SoakArgs] = value;
  }
  return args;
}
