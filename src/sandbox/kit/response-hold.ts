// Injected latency (`cdm stack up --latency`) as the client sees a slow network: the request is
// served the moment it is read, and its answer leaves no earlier than `latencyMs` after that.
//
// Delaying the handler instead (a timer, then serve) made the sandbox's own backlog part of the
// latency and lined its clients up in waves: requests that arrived while the event loop was busy
// were read together when it came free, so their timers fired together, their handlers ran back to
// back while the loop then sat idle for the next 20 ms. With 16 clients and a bulk enrollment that
// doubled the latency a request saw and left the loop idle a third of the time.
import type { ServerResponse } from 'node:http';

type Held = { method: 'write' | 'end'; args: unknown[] };

/**
 * Holds what the handler writes to `res` until `latencyMs` from now, then sends it in order;
 * after that, writes go straight out. `writeHead` is not held: it only stores the head, which Node
 * sends with the first body bytes, so `headersSent` keeps meaning what handlers expect. Returns the
 * timer (cleared when the server closes).
 */
export function holdResponse(res: ServerResponse, latencyMs: number): NodeJS.Timeout {
  const held: Held[] = [];
  const own = res as unknown as Record<'write' | 'end', (...args: unknown[]) => unknown>;
  own.write = (...args: unknown[]) => {
    held.push({ method: 'write', args });
    return true;
  };
  own.end = (...args: unknown[]) => {
    held.push({ method: 'end', args });
    return res;
  };
  return setTimeout(() => {
    // Back to ServerResponse's own methods, then what the handler wrote so far.
    delete (own as Partial<typeof own>).write;
    delete (own as Partial<typeof own>).end;
    if (res.destroyed) return;
    for (const h of held) (res[h.method] as (...args: unknown[]) => unknown)(...h.args);
  }, latencyMs);
}
