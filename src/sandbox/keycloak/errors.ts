// Keycloak answers errors in several shapes (reference §1.1). Handlers throw KcError with the exact
// body; the dispatcher in server.ts turns it into the response, so no handler writes error bodies itself.

export class KcError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'object' && body !== null ? JSON.stringify(body) : String(body));
  }
}

/** RFC 6749 §5.2 shape used by the OIDC endpoints (and ErrorResponseException). */
export function oauthError(status: number, error: string, description?: string): KcError {
  return new KcError(status, description === undefined ? { error } : { error, error_description: description });
}

/** JAX-RS WebApplicationException via KeycloakErrorHandler: `{"error":"<message>"}`. */
export function jaxrs(status: number, message: string): KcError {
  return new KcError(status, { error: message });
}

/** ErrorResponse.exists / ErrorResponse.error: `{"errorMessage":"<msg>"}`. */
export function errorMessage(status: number, message: string): KcError {
  return new KcError(status, { errorMessage: message });
}

export const unauthorized = (): KcError => jaxrs(401, 'HTTP 401 Unauthorized');
export const forbidden = (): KcError => jaxrs(403, 'HTTP 403 Forbidden');
export const conflict = (message: string): KcError => errorMessage(409, message);
export const notFound = (message: string): KcError => jaxrs(404, message);

/** What RESTEasy answers for a path no resource method matches. */
export const noRoute = (): KcError => jaxrs(404, 'Unable to find matching target resource method');
export const badJson = (): KcError => oauthError(400, 'unknown_error', 'Cannot parse the JSON');
