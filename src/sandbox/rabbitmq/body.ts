// Request-body rules of the RabbitMQ management API (measured on 3.10.8): an empty body or
// `null` counts as `{}`, a JSON string is refused with a hint about double encoding, and any
// other non-object (arrays, numbers, broken JSON) is `not_json`.
import type { RequestContext } from '../kit/router.js';
import { badRequest } from './replies.js';

const DOUBLY_ENCODED = 'invalid payload: the request body JSON-decoded to a string. Is the input doubly-JSON-encoded?';

/** The body as an object, or `undefined` after answering 400. */
export async function readObject(ctx: RequestContext): Promise<Record<string, unknown> | undefined> {
  const text = await ctx.text();
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    badRequest(ctx, 'not_json');
    return undefined;
  }
  if (value === null) return {};
  if (typeof value === 'string') {
    badRequest(ctx, DOUBLY_ENCODED);
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    badRequest(ctx, 'not_json');
    return undefined;
  }
  return value as Record<string, unknown>;
}

/**
 * Vhost tags: a list as sent, or a comma-separated string split and trimmed (empty items kept,
 * as the real server keeps them). `undefined` means a type the real server crashes on.
 */
export function vhostTags(value: unknown): string[] | undefined {
  if (value === undefined || value === '') return [];
  if (typeof value === 'string') return value.split(',').map((t) => t.trim());
  if (Array.isArray(value) && value.every((t) => typeof t === 'string')) return value as string[];
  return undefined;
}

/**
 * User tags: like vhost tags, but repeated tags collapse to their last occurrence
 * (`"a,,b , "` becomes `["a","b",""]` on the real server).
 */
export function userTags(value: unknown): string[] | undefined {
  const tags = vhostTags(value);
  if (!tags) return undefined;
  return tags.filter((t, i) => tags.lastIndexOf(t) === i);
}
