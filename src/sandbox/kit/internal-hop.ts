// Calls between the services of one stack (the bridge asking step-ca, hawkBit, ThingsBoard,
// RabbitMQ, Keycloak) carry a per-process token in this header. Fault injection models the network
// between cdm (or a device) and the stack; in a real deployment those inner calls stay on the
// stack's own Docker network, so they are neither delayed nor faulted. The token is random per
// sandbox process, so no outside client can claim to be inside.
import { randomBytes } from 'node:crypto';

export const INTERNAL_HOP_HEADER = 'x-cdm-sandbox-hop';
export const INTERNAL_HOP_TOKEN = randomBytes(16).toString('hex');

export function isInternalHop(headers: Record<string, string | string[] | undefined>): boolean {
  return headers[INTERNAL_HOP_HEADER] === INTERNAL_HOP_TOKEN;
}
