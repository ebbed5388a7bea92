import type { CheckId, Config } from '../config/schema.js';
import type { Finding } from '../report/schema.js';
import { CHECK_CATALOGUE } from './check-catalogue.js';

/** A finding before its severity is settled by the config. */
export type FindingDraft = Omit<Finding, 'check' | 'severity' | 'details'> & { details?: string[] };

/**
 * Builds a finding of `check` with the severity the config sets (or the catalogue's default);
 * returns undefined when the config turns the check `off`.
 */
export function createFinding(check: CheckId, config: Config, draft: FindingDraft): Finding | undefined {
  const configured = config.checks[check].severity;
  if (configured === 'off') return undefined;
  return { check, severity: configured ?? CHECK_CATALOGUE[check].severity, details: [], ...draft };
}

/** Whether the config turns a check off. */
export function isCheckOff(check: CheckId, config: Config): boolean {
  return config.checks[check].severity === 'off';
}

/** Formats a number for a finding's one-line title: up to 4 significant digits, no exponent for usual sizes. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return value.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(4)));
}

/** Formats a fraction as a percentage with one decimal: 0.1234 → "12.3%". */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
