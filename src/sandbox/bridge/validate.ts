// Request bodies checked the way FastAPI + pydantic v2 check a model: the body must be JSON
// (json_invalid), an object (model_attributes_type), required fields present (missing), strings
// strings (string_type), patterns matched (string_pattern_mismatch); all issues in one 422.
import type { RequestContext } from '../kit/router.js';
import { invalid, type ValidationIssue } from './errors.js';

export type FieldSpec =
  | { kind: 'string'; required: boolean; default?: string | null; nullable?: boolean; pattern?: RegExp }
  | { kind: 'object-or-string'; default: unknown }
  | { kind: 'object'; default: Record<string, unknown> };

export type Model = Record<string, FieldSpec>;

export async function readBody(ctx: RequestContext): Promise<unknown> {
  const text = await ctx.text();
  if (text.trim() === '') throw invalid([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const pos = /position (\d+)/.exec((err as Error).message);
    throw invalid([{ type: 'json_invalid', loc: ['body', pos ? Number(pos[1]) : 0], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting value' } }]);
  }
}

/** Validates `raw` against `model`; returns the fields with defaults applied. */
export function parseModel(raw: unknown, model: Model): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalid([{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: raw }]);
  }
  const body = raw as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(model)) {
    const v = body[name];
    const loc = ['body', name];
    if (spec.kind === 'string') {
      if (v === undefined) {
        if (spec.required) issues.push({ type: 'missing', loc, msg: 'Field required', input: body });
        else out[name] = spec.default ?? null;
        continue;
      }
      if (v === null && spec.nullable) { out[name] = null; continue; }
      if (typeof v !== 'string') { issues.push({ type: 'string_type', loc, msg: 'Input should be a valid string', input: v }); continue; }
      if (spec.pattern && !spec.pattern.test(v)) {
        const pattern = spec.pattern.source;
        issues.push({ type: 'string_pattern_mismatch', loc, msg: `String should match pattern '${pattern}'`, input: v, ctx: { pattern } });
        continue;
      }
      out[name] = v;
    } else if (spec.kind === 'object') {
      if (v === undefined) { out[name] = spec.default; continue; }
      if (v === null || typeof v !== 'object' || Array.isArray(v)) { issues.push({ type: 'dict_type', loc, msg: 'Input should be a valid dictionary', input: v }); continue; }
      out[name] = v;
    } else {
      if (v === undefined) { out[name] = spec.default; continue; }
      if (typeof v === 'string' || (v !== null && typeof v === 'object' && !Array.isArray(v))) { out[name] = v; continue; }
      issues.push({ type: 'dict_type', loc: [...loc, 'dict[str,any]'], msg: 'Input should be a valid dictionary', input: v });
      issues.push({ type: 'string_type', loc: [...loc, 'str'], msg: 'Input should be a valid string', input: v });
    }
  }
  if (issues.length) throw invalid(issues);
  return out;
}

export async function readModel(ctx: RequestContext, model: Model): Promise<Record<string, unknown>> {
  return parseModel(await readBody(ctx), model);
}

/** `TenantPrepareRequest.tenant_id` and the JOIN paths: 2–63 lower-case alphanumerics and hyphens. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/;
