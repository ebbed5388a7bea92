import type { CheckId, Config } from '../config/schema.js';
import type { Finding } from '../model/report-schema.js';
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

/**
 * Formats a number for a finding's one-line title: integers in full with thousands separators, other
 * numbers to 4 significant digits, from 1,000 up rounded to a whole number, below 1e-4 or from 1e6 up in
 * exponent form.
 * @example formatNumber(0.41063458) // '0.4106'
 * @example formatNumber(20194.6058) // '20,195'
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return value.toExponential(2).replace(/\.?0+e/, 'e');
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(Number(value.toPrecision(4)));
}

/** The noun for a count: `row` for 1, `rows` otherwise (a number goes before it, an adjective may go between). */
export function plural(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`;
}

/**
 * Formats a fraction as a percentage with one decimal: 0.1234 → "12.3%". Below 1% two significant digits
 * are kept instead, so a 0.05% threshold is not shown as "0.1%": 0.0005 → "0.05%".
 */
export function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  if (percent === 0 || Math.abs(percent) >= 1 || !Number.isFinite(percent)) return `${percent.toFixed(1)}%`;
  return `${Number(percent.toPrecision(2))}%`;
}
