// ThingsBoard's error answers (hawkbit-thingsboard.md B.3). Most controllers answer the JSON
// `{status, message, errorCode, timestamp}` of ThingsboardErrorResponseHandler; the telemetry
// controller and the access validator answer some refusals as a bare text body, and RPC timeouts
// carry no body at all. Handlers throw one of these; the dispatcher in index.ts writes it.

/** ThingsboardErrorCode values (B.3 table). */
export const ErrorCode = {
  GENERAL: 2,
  AUTHENTICATION: 10,
  JWT_TOKEN_EXPIRED: 11,
  PERMISSION_DENIED: 20,
  INVALID_ARGUMENTS: 30,
  BAD_REQUEST_PARAMS: 31,
  ITEM_NOT_FOUND: 32,
  VERSION_CONFLICT: 35,
} as const;

export type TbFailure =
  | { kind: 'json'; status: number; message: string; errorCode: number }
  | { kind: 'text'; status: number; text: string }
  | { kind: 'empty'; status: number };

export class TbError extends Error {
  constructor(readonly failure: TbFailure) {
    super(failure.kind === 'json' ? failure.message : failure.kind === 'text' ? failure.text : `HTTP ${failure.status}`);
  }
}

const json = (status: number, errorCode: number, message: string): TbError => new TbError({ kind: 'json', status, message, errorCode });

export const authFailed = (): TbError => json(401, ErrorCode.AUTHENTICATION, 'Authentication failed');
/** BadCredentialsException path: wrong password, malformed or badly signed JWT, unusable refresh token. */
export const badCredentials = (): TbError => json(401, ErrorCode.AUTHENTICATION, 'Invalid username or password');
export const tokenExpired = (): TbError => json(401, ErrorCode.JWT_TOKEN_EXPIRED, 'Token has expired');
export const permissionDenied = (): TbError => json(403, ErrorCode.PERMISSION_DENIED, "You don't have permission to perform this operation!");
export const badRequest = (message: string): TbError => json(400, ErrorCode.BAD_REQUEST_PARAMS, message);
export const notFound = (message: string): TbError => json(404, ErrorCode.ITEM_NOT_FOUND, message);
export const conflict = (message: string): TbError => json(409, ErrorCode.VERSION_CONFLICT, message);
export const general = (message: string): TbError => json(500, ErrorCode.GENERAL, message);

/** ResponseEntity<String> answers of the telemetry controller and AccessValidator. */
export const text = (status: number, body: string): TbError => new TbError({ kind: 'text', status, text: body });
/** RPC timeouts and device refusals: status only. */
export const empty = (status: number): TbError => new TbError({ kind: 'empty', status });

/** Spring's answer to a missing @RequestParam, passed through TB's handler as code 31. */
export const missingParam = (name: string, javaType: string): TbError =>
  badRequest(`Required request parameter '${name}' for method parameter type ${javaType} is not present`);

/** Spring 6.1's MethodArgumentTypeMismatchException message for a request parameter. */
export const typeMismatch = (name: string, javaType: string, value: string): TbError =>
  badRequest(`Method parameter '${name}': Failed to convert value of type 'java.lang.String' to required type '${javaType}'; ${javaType === 'java.lang.Boolean' ? `Invalid boolean value [${value}]` : `For input string: "${value}"`}`);

/** An enum lookup that failed (Enum.valueOf's IllegalArgumentException, mapped to code 31 by BaseController). */
export const noEnumConstant = (javaEnum: string, value: string): TbError => badRequest(`No enum constant ${javaEnum}.${value}`);

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** UUID.fromString as the controllers use it (toUUID): malformed ids are 400 code 31, not 404. */
export function parseUuid(value: string): string {
  if (!UUID_RE.test(value)) throw badRequest(`Invalid UUID string: ${value}`);
  return value.toLowerCase();
}

/** EntityType names (common/data EntityType) accepted in `{entityType}` path segments. */
const ENTITY_TYPES = new Set([
  'TENANT', 'CUSTOMER', 'USER', 'DASHBOARD', 'ASSET', 'DEVICE', 'ALARM', 'RULE_CHAIN', 'RULE_NODE', 'ENTITY_VIEW', 'WIDGETS_BUNDLE',
  'WIDGET_TYPE', 'TENANT_PROFILE', 'DEVICE_PROFILE', 'ASSET_PROFILE', 'API_USAGE_STATE', 'TB_RESOURCE', 'OTA_PACKAGE', 'EDGE', 'RPC',
  'QUEUE', 'NOTIFICATION_TARGET', 'NOTIFICATION_TEMPLATE', 'NOTIFICATION_REQUEST', 'NOTIFICATION', 'NOTIFICATION_RULE',
]);

/** EntityType.valueOf as EntityIdFactory calls it. */
export function parseEntityType(value: string): string {
  if (!ENTITY_TYPES.has(value)) throw noEnumConstant('org.thingsboard.server.common.data.EntityType', value);
  return value;
}
