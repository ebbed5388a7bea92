import { z } from 'zod';
import { reportSchema } from '../model/report-schema.js';

/** The report's JSON Schema (draft 2020-12), generated from the zod schema so the two cannot drift. */
export function computeReportJsonSchema(): Record<string, unknown> {
  return {
    title: 'tuneguard report',
    ...z.toJSONSchema(reportSchema, { io: 'input', unrepresentable: 'any' }),
  };
}
