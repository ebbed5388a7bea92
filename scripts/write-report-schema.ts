import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { computeReportJsonSchema } from '../src/report/report-json-schema.js';

/** Writes schema/report.schema.json from the zod schema of the report. */
const target = fileURLToPath(new URL('../../schema/report.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(computeReportJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
