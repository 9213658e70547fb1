// What every emulator module provides to the sandbox host.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Emulator {
  /** Service name as shown by `cdm stack status` (e.g. `keycloak`, `step-ca`, `rabbitmq`). */
  readonly name: string;
  /** Set when the service speaks HTTPS (step-ca): key and certificate chain for its listener. */
  readonly tls?: { key: string; cert: string; requestCert?: boolean };
  /** Handles one HTTP request completely (including 404s in the server's own shape). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Optional: release timers and files. */
  close?(): Promise<void>;
}
