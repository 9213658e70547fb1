/**
 * The longest delay a Node timer holds (2^31 - 1 ms, 24.8 days). A longer one fires after 1 ms
 * instead, with a TimeoutOverflowWarning: `--timeout 30d` timed the command out at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

// A sleep that ends early (with the abort reason) when the command is interrupted or times out,
// clearing its timer (a 60 s Retry-After must not keep an interrupted CLI alive). Not unref'd: a
// backoff is often the only thing keeping the command alive.
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, Math.min(ms, MAX_TIMER_MS));
    const onAbort = (): void => { clearTimeout(timer); reject(signal!.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
