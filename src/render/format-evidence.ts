import { clip } from '../text/clip.js';
import { formatNumber } from '../text/format-number.js';
import type { Finding } from '../model/report-schema.js';

/**
 * A finding's evidence as plain text, `base → head (delta)`, numbers to 4 significant digits and
 * `—` for a missing side; `undefined` when there is no base or head value.
 * @example formatEvidence({ base: 0.6881428, head: 0.4106346, delta: -0.2775082 }) // '0.6881 → 0.4106 (-0.2775)'
 */
export function formatEvidence(evidence: Finding['evidence']): string | undefined {
  if (!evidence || (evidence.base === undefined && evidence.head === undefined)) return undefined;
  const { base, head } = evidence;
  const delta =
    evidence.delta ?? (typeof base === 'number' && typeof head === 'number' ? head - base : undefined);
  const change = delta === undefined || delta === 0 ? '' : ` (${delta > 0 ? '+' : ''}${formatValue(delta)})`;
  return `${formatValue(base)} → ${formatValue(head)}${change}`;
}

/**
 * One value for people: numbers as the PR comment shows them (`formatNumber`: 4 significant digits,
 * whole with thousands separators from 1,000 up, exponents below 0.0001); text as it is, cut at 120
 * characters; `—` for a missing value.
 * @example formatValue(0.00002) // '2e-5'
 */
export function formatValue(value: string | number | boolean | null | undefined): string {
  if (value === undefined) return '—';
  if (typeof value !== 'number') {
    const text = String(value);
    return clip(text, 120);
  }
  return formatNumber(value);
}
