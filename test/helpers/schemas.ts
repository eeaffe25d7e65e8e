// The published schemas of foliorace's machine-readable outputs (docs/schemas/), compiled once with
// Ajv in strict mode. Tests hand real outputs (a --json report, a file foliorace wrote) to
// schemaErrors() and expect none.
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

export const SCHEMA_DIR = new URL('../../docs/schemas/', import.meta.url);

/** Every schema file of docs/schemas/, by name ("run" for run.schema.json). */
export const SCHEMA_NAMES = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).map((f) => f.replace(/\.schema\.json$/, ''));

const ajv = new Ajv2020({ strict: true, allErrors: true });
for (const name of SCHEMA_NAMES) ajv.addSchema(JSON.parse(readFileSync(new URL(`${name}.schema.json`, SCHEMA_DIR), 'utf8')) as object);

/** "PATH: message" for each way `value` breaks schema `name`; [] when it conforms. */
export function schemaErrors(name: string, value: unknown): string[] {
  const validate = ajv.getSchema(`${name}.schema.json`);
  if (!validate) throw new Error(`no schema docs/schemas/${name}.schema.json`);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
}
