import type { ParamsFile, ParamValue } from '../loaders/parse-params.js';
import { asNumber, detectFileFramework, resolveCanonicalKeys } from '../profile/compute-canonical-params.js';
import type { ParamChange } from '../model/report-schema.js';

/**
 * Compares two flattened hyperparameter files key by key: added, removed and changed keys, with the
 * head line of each. A change to the key a canonical value comes from (its framework's own key, such as
 * DeepSpeed's `optimizer.params.lr`, or a common name) carries that canonical name. A key removed and
 * another added under the same canonical name (for example `evaluation_strategy` → `eval_strategy`) is
 * one `renamed` change. Numbers compare by value, so
 * `1e-4` and `0.0001` are equal. Either side may be absent (a file added or deleted in the PR).
 * Changes keep the head file's key order, removed keys last.
 */
export function diffParams(base: ParamsFile | undefined, head: ParamsFile | undefined): ParamChange[] {
  const baseValues = base?.values ?? new Map<string, ParamValue>();
  const headValues = head?.values ?? new Map<string, ParamValue>();
  const headLine = (key: string): { line?: number } => {
    const line = head?.lines.get(key);
    return line === undefined ? {} : { line };
  };
  const canonicalOf = new Map<string, string>();
  for (const file of [base, head]) {
    if (!file) continue;
    for (const [canonical, key] of resolveCanonicalKeys(file.values, detectFileFramework(file)))
      canonicalOf.set(key, canonical);
  }
  const findCanonicalName = (key: string): string | undefined => canonicalOf.get(key);
  const withCanonical = (key: string): { canonical?: string } => {
    const canonical = findCanonicalName(key);
    return canonical && canonical !== key ? { canonical } : {};
  };

  const changes: ParamChange[] = [];
  const added: string[] = [];
  for (const [key, value] of headValues) {
    if (!baseValues.has(key)) {
      added.push(key);
      continue;
    }
    const before = baseValues.get(key) ?? null;
    if (!equalValues(before, value)) {
      changes.push({
        key,
        kind: 'changed',
        base: before,
        head: value,
        ...withCanonical(key),
        ...headLine(key),
      });
    }
  }
  const removed = [...baseValues.keys()].filter((key) => !headValues.has(key));

  const renamedFrom = new Map<string, string>();
  for (const key of added) {
    const canonical = findCanonicalName(key);
    const from = canonical && removed.find((r) => findCanonicalName(r) === canonical && !renamedFrom.has(r));
    if (from) renamedFrom.set(from, key);
  }
  const renamedTo = new Map([...renamedFrom].map(([from, to]) => [to, from]));

  for (const key of added) {
    const from = renamedTo.get(key);
    const value = headValues.get(key) ?? null;
    if (from !== undefined) {
      changes.push({
        key,
        kind: 'renamed',
        baseKey: from,
        base: baseValues.get(from) ?? null,
        head: value,
        ...withCanonical(key),
        ...headLine(key),
      });
    } else {
      changes.push({ key, kind: 'added', head: value, ...withCanonical(key), ...headLine(key) });
    }
  }
  for (const key of removed) {
    if (renamedFrom.has(key)) continue;
    changes.push({ key, kind: 'removed', base: baseValues.get(key) ?? null, ...withCanonical(key) });
  }
  const order = new Map([...headValues.keys()].map((key, index) => [key, index]));
  return changes.sort((a, b) => (order.get(a.key) ?? Infinity) - (order.get(b.key) ?? Infinity));
}

/** Deep equality of param values; numeric strings equal the numbers they spell. */
export function equalValues(a: ParamValue, b: ParamValue): boolean {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((value, index) => equalValues(value, b[index] ?? null));
  }
  return a === b;
}
