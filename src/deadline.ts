/**
 * Runs work with a total deadline: at the deadline the signal aborts (so sockets and streams close)
 * and the call rejects with timeoutError() even if the work ignores the signal. Idle timeouts alone
 * let a peer that sends a byte now and then hold a request for ever.
 */
export async function withDeadline<T>(ms: number, timeoutError: () => Error, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = timeoutError();
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
