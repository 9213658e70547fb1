// Client authentication at token/introspect/revoke/device/logout (ClientIdAndSecretAuthenticator):
// HTTP Basic with form-urlencoded id and secret, or `client_id`/`client_secret` form parameters; a
// public client only names itself. Failures carry the event error Keycloak logs for them.
import type { RequestContext } from '../kit/router.js';
import { KcError } from './errors.js';
import { clientByClientId } from './model.js';
import type { ClientRec, RealmRec } from './state.js';

export class ClientAuthError extends KcError {
  constructor(status: number, body: unknown, readonly eventError: string, readonly clientId?: string, headers: Record<string, string> = {}) {
    super(status, body, headers);
  }
}

const badCredentials = (clientId: string): ClientAuthError =>
  new ClientAuthError(401, { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' }, 'invalid_client_credentials', clientId);

function parseBasic(header: string | undefined): [string, string] | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  try {
    return [decodeURIComponent(decoded.slice(0, i).replace(/\+/g, ' ')), decodeURIComponent(decoded.slice(i + 1).replace(/\+/g, ' '))];
  } catch {
    return undefined;
  }
}

export function authenticateClient(realm: RealmRec, ctx: RequestContext, form: URLSearchParams): ClientRec {
  const authz = ctx.header('authorization');
  let clientId: string | undefined;
  let secret: string | undefined;
  const basic = parseBasic(authz);
  if (basic) [clientId, secret] = basic;
  else if (authz && !form.has('client_id')) {
    throw new ClientAuthError(401, '', 'invalid_client_credentials', undefined, { 'www-authenticate': `Basic realm="${realm.name}"` });
  }
  if (form.has('client_id')) clientId = form.get('client_id') ?? undefined;
  if (form.has('client_secret')) secret = form.get('client_secret') ?? undefined;
  if (!clientId) throw new ClientAuthError(400, { error: 'invalid_client', error_description: 'Missing client_id parameter' }, 'invalid_client');

  const client = clientByClientId(realm, clientId);
  if (!client) throw new ClientAuthError(401, { error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' }, 'client_not_found', clientId);
  if (!client.enabled) throw new ClientAuthError(401, { error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' }, 'client_disabled', clientId);
  if (client.publicClient) return client;
  if (secret === undefined || !client.secret || secret !== client.secret) throw badCredentials(clientId);
  return client;
}

export async function readForm(ctx: RequestContext): Promise<URLSearchParams> {
  const type = ctx.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new KcError(415, { error: 'HTTP 415 Unsupported Media Type' });
  }
  return new URLSearchParams(await ctx.text());
}
