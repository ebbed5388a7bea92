import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { computeConfigJsonSchema } from './config-json-schema.js';

/** Writes schema/config.schema.json from the zod schema of the config and its JSDoc. */
const source = readFileSync(new URL('../../src/config/schema.ts', import.meta.url), 'utf8');
const target = fileURLToPath(new URL('../../schema/config.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(computeConfigJsonSchema(source), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
