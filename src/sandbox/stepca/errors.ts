// step-ca's error model (errs/error.go): the JSON body carries only a status and a fixed public
// message; the detail goes to the server log. Token problems never leak detail (always the
// generic 401 text), 400/403 messages embed the detail with a fixed prefix and a final dot.

const SEE_LOGS = 'Please see the certificate authority logs for more info.';

export class StepCaError extends Error {
  constructor(readonly status: number, readonly detail: string, readonly publicMessage: string) {
    super(detail);
  }
}

/** `message` is the public text when it differs from the logged detail (e.g. JSON decoding). */
export const badRequest = (detail: string, message = detail): StepCaError =>
  new StepCaError(400, detail, `The request could not be completed: ${message}.`);

export const unauthorized = (detail: string): StepCaError =>
  new StepCaError(401, detail, `The request lacked necessary authorization to be completed. ${SEE_LOGS}`);

/** 401 whose public message names the reason (newer step-ca, expired client certificate). */
export const unauthorizedWithMessage = (detail: string): StepCaError =>
  new StepCaError(401, detail, `The request lacked necessary authorization to be completed: ${detail}`);

export const forbidden = (detail: string): StepCaError =>
  new StepCaError(403, detail, `The request was forbidden by the certificate authority: ${detail}.`);

export const notFound = (detail: string): StepCaError =>
  new StepCaError(404, detail, `The requested resource could not be found. ${SEE_LOGS}`);

export const notImplemented = (detail: string): StepCaError =>
  new StepCaError(501, detail, `The requested method is not implemented by the certificate authority. ${SEE_LOGS}`);

export const internal = (detail: string): StepCaError =>
  new StepCaError(500, detail, `The certificate authority encountered an Internal Server Error. ${SEE_LOGS}`);
