// Module hooks that record every resolved module URL into $CDM_IMPORT_LOG (startup test).
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.CDM_IMPORT_LOG) appendFileSync(process.env.CDM_IMPORT_LOG, `${result.url}\n`);
  return result;
}
