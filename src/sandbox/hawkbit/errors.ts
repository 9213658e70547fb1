// hawkBit's error body (`ExceptionInfo`, serialised NON_EMPTY) and the exceptions the emulator
// raises, with the HTTP status hawkBit 1.1's RestConfiguration maps each error key to.
// Handlers throw an HbError; the dispatcher turns it into the response.
//
// Version note: the keys are the ≥0.7 spellings (`entityNotFound`, `entityAlreadyExists`,
// `rollout.illegalState`); ≤0.6 servers send `entitiyNotFound`, `entitiyAlreayExists`,
// `rollout.illegalstate`, and ≤0.5 a `parameters` array instead of `info`.

const REPO_EX = 'org.eclipse.hawkbit.repository.exception.';

export class HbError extends Error {
  constructor(
    readonly status: number,
    readonly exceptionClass: string,
    readonly errorCode: string,
    message: string,
    readonly info?: Record<string, unknown>,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    const out: Record<string, unknown> = { exceptionClass: this.exceptionClass, errorCode: this.errorCode };
    if (this.message) out.message = this.message;
    if (this.info && Object.keys(this.info).length > 0) out.info = this.info;
    return out;
  }
}

export function notFound(type: string, entityId: string | number | Array<string | number>): HbError {
  const shown = Array.isArray(entityId) ? entityId.join(', ') : String(entityId);
  return new HbError(404, `${REPO_EX}EntityNotFoundException`, 'hawkbit.server.error.repo.entityNotFound',
    `${type} with given identifier {${shown}} does not exist.`,
    { type, entityId: Array.isArray(entityId) ? entityId.map(String) : String(entityId) });
}

export function alreadyExists(message = 'The given entity already exists in database'): HbError {
  return new HbError(409, `${REPO_EX}EntityAlreadyExistsException`, 'hawkbit.server.error.repo.entityAlreadyExists', message);
}

/** Unreadable JSON, missing required fields, wrong types (Spring's HttpMessageNotReadable / bean validation). */
export function notReadable(): HbError {
  return new HbError(400, 'org.eclipse.hawkbit.rest.exception.MessageNotReadableException',
    'hawkbit.server.error.rest.body.notReadable', 'The given request body is not well formed');
}

/** `jakarta.validation.ValidationException`, mapped to constraintViolation. */
export function validation(message: string): HbError {
  return new HbError(400, 'jakarta.validation.ValidationException', 'hawkbit.server.error.repo.constraintViolation', message);
}

/** Bean-validation failure of a field (`ConstraintViolationException`): message "<path> <violation>.". */
export function constraintViolation(message: string): HbError {
  return new HbError(400, 'jakarta.validation.ConstraintViolationException', 'hawkbit.server.error.repo.constraintViolation', message);
}

export function rsqlSyntax(message = 'The given search parameter is not well formed'): HbError {
  return new HbError(400, `${REPO_EX}RSQLParameterSyntaxException`, 'hawkbit.server.error.rest.param.rsqlParamSyntax', message);
}

export function rsqlField(message = 'The given search parameter field does not exist'): HbError {
  return new HbError(400, `${REPO_EX}RSQLParameterUnsupportedFieldException`, 'hawkbit.server.error.rest.param.rsqlInvalidField', message);
}

const SORT_EX = 'org.eclipse.hawkbit.mgmt.rest.resource.exception.';

export function sortSyntax(): HbError {
  return new HbError(400, `${SORT_EX}SortParameterSyntaxErrorException`, 'hawkbit.server.error.rest.param.sortParamSyntax',
    'The given sort parameter is not well formed');
}

export function sortField(field: string): HbError {
  return new HbError(400, `${SORT_EX}SortParameterUnsupportedFieldException`, 'hawkbit.server.error.rest.param.invalidField',
    `The given sort parameter field does not exist: ${field}`);
}

export function sortDirection(direction: string): HbError {
  return new HbError(400, `${SORT_EX}SortParameterUnsupportedDirectionException`, 'hawkbit.server.error.rest.param.invalidDirection',
    `The given sort parameter direction does not exist: ${direction}`);
}

export function rolloutIllegalState(message: string): HbError {
  return new HbError(400, `${REPO_EX}RolloutIllegalStateException`, 'hawkbit.server.error.rollout.illegalState', message);
}

export function notCancelable(): HbError {
  return new HbError(405, `${REPO_EX}CancelActionNotAllowedException`, 'hawkbit.server.error.action.notCancelable',
    'Only active actions which are in status pending are cancelable.');
}

export function notForceQuitable(): HbError {
  return new HbError(405, `${REPO_EX}ForceQuitActionNotAllowedException`, 'hawkbit.server.error.action.notForceQuitable',
    'Only active actions which are in status pending can be force quit.');
}

export function incompleteDs(): HbError {
  return new HbError(400, `${REPO_EX}IncompleteDistributionSetException`, 'hawkbit.server.error.distributionset.incomplete',
    'Distribution set is assigned/locked to a target that is incomplete (i.e. mandatory modules are missing)');
}

export function invalidDs(): HbError {
  return new HbError(400, `${REPO_EX}InvalidDistributionSetException`, 'hawkbit.server.error.distributionset.invalid',
    'Distribution set is invalid and cannot be used');
}

export function moduleUnsupported(): HbError {
  return new HbError(400, `${REPO_EX}UnsupportedSoftwareModuleForThisDistributionSetException`,
    'hawkbit.server.error.distributionset.modules.unsupported', 'Distribution set type does not contain the given module type');
}

export function locked(message: string): HbError {
  return new HbError(423, `${REPO_EX}LockedException`, 'hawkbit.server.error.locked', message);
}

export function readOnly(message: string): HbError {
  return new HbError(403, `${REPO_EX}EntityReadOnlyException`, 'hawkbit.server.error.entityReadOnly', message);
}

export function checksumMismatch(alg: 'md5' | 'sha1' | 'sha256'): HbError {
  const cls = { md5: 'InvalidMd5HashException', sha1: 'InvalidSha1HashException', sha256: 'InvalidSha256HashException' }[alg];
  const name = { md5: 'MD5', sha1: 'SHA1', sha256: 'SHA256' }[alg];
  return new HbError(400, `${REPO_EX}${cls}`, `hawkbit.server.error.artifact.uploadFailed.checksum.${alg}.match`,
    `Upload of artifact failed as the provided ${name} checksum did not match with the provided artifact.`);
}

/** Multipart problems (no `file` part, empty file, broken body): Spring's MultipartException → 400. */
export function multipartFailed(message: string): HbError {
  return new HbError(400, 'org.eclipse.hawkbit.rest.exception.MultiPartFileUploadException',
    'hawkbit.server.error.artifact.uploadFailed', message);
}

export function configKeyInvalid(key: string): HbError {
  return new HbError(400, `${REPO_EX}TenantConfigurationKeyInvalidException`, 'hawkbit.server.error.configKeyInvalid',
    `The given configuration key ${key} does not exist.`);
}

export function configValueInvalid(key: string): HbError {
  return new HbError(400, `${REPO_EX}TenantConfigurationValidatorException`, 'hawkbit.server.error.configValueInvalid',
    `The given configuration value is invalid for key ${key}.`);
}

export function maintenanceInvalid(): HbError {
  return new HbError(400, `${REPO_EX}InvalidMaintenanceScheduleException`, 'hawkbit.server.error.maintenanceScheduleInvalid',
    'Maintenance schedule is invalid: schedule, duration (HH:mm:ss) and timezone (e.g. +00:00) are all required');
}
