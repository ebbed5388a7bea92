import type { ArtifactLine, Finding, Report, Summarised } from '../model/report-schema.js';
import { measureReport } from './serialize-report.js';
import { summariseArtifact, type ArtifactEntry } from './summarise-artifact.js';

/** The default size budget of a report, in bytes: 4 MiB, half of the 8 MiB every report stays under. */
export const DEFAULT_REPORT_BUDGET = 4 * 2 ** 20;

/** Entries of a finding's `also` kept once the report's lists are cut short. */
const KEPT_ALSO = 20;
/** Lines of a finding's `details` kept once the report's lists are cut short. */
const KEPT_DETAILS = 20;
/** Paths of `changedFiles` kept once the report's lists are cut short. */
const KEPT_CHANGED_FILES = 1_000;

/**
 * Fits a report in `maxBytes` bytes as written (`measureReport`). A report that fits is returned as it
 * is. One over its budget is rewritten step by step, each step only while it is still over:
 * 1. artifacts the pull request did not touch give their entry (profiles, metrics, changes, curves) for
 *    one line in `summarised.artifacts`, the largest first;
 * 2. then the per-item outcomes kept for a later run's baseline (`evalResults[].samples`) are left out,
 *    each entry saying so (`samplesOmitted`); its metrics stay;
 * 3. then, the same way as in 1, changed artifacts that no finding names;
 * 4. then `evalResults` is left out whole (`summarised.evalResults` counts its entries): the report then
 *    serves no later run as a baseline, but what the findings name stays whole;
 * 5. then the other changed artifacts;
 * 6. then each finding keeps the first 20 entries of `also` and lines of `details`, counting the others
 *    in its `omitted`, and `changedFiles` keeps its first 1,000 paths;
 * 7. then lines give way to counts by kind and status (`summarised.counted`), untouched artifacts' first.
 * Findings, the verdict and the counts are never changed, so a report whose findings alone outgrow the
 * budget stays over it; `summarised.fullBytes` says how large the report was in full.
 * @example fitReportBudget(report, 4 * 2 ** 20).summarised?.artifacts.length // 154: the untouched results files
 */
export function fitReportBudget(report: Report, maxBytes: number = DEFAULT_REPORT_BUDGET): Report {
  const fullBytes = measureReport(report);
  if (fullBytes <= maxBytes) return report;
  const draft = new Draft(report, maxBytes, fullBytes);
  const named = namedPaths(report.findings);
  const entries = artifactEntries(report);
  const untouched = entries.filter(({ entry }) => entry.status === 'unchanged');
  const changed = entries.filter(({ entry }) => entry.status !== 'unchanged');
  const stages = [
    () => draft.summarise(untouched),
    () => draft.omitSamples(),
    () => draft.summarise(changed.filter((artifact) => !isNamed(artifact, named))),
    () => draft.omitEvalResults(),
    () => draft.summarise(changed.filter((artifact) => isNamed(artifact, named))),
    () => draft.cutLists(),
    () => draft.count(),
  ];
  for (const stage of stages) {
    if (stage() <= maxBytes) break;
  }
  return draft.build();
}

/** A report being fitted in its budget: what is summarised so far, and the report it makes. */
class Draft {
  /** Entries out of their arrays, summarised in a line or counted. */
  private readonly out = new Set<ArtifactEntry['entry']>();
  private readonly lines = new Map<ArtifactEntry['entry'], ArtifactLine>();
  private readonly counted = new Map<string, Summarised['counted'][number]>();
  private findings: Finding[];
  private changedFiles: string[];
  private cutFindings = 0;
  private evalResults: Report['evalResults'];
  private omittedEvalResults = 0;

  constructor(
    private readonly report: Report,
    readonly maxBytes: number,
    private readonly fullBytes: number,
  ) {
    this.findings = report.findings;
    this.changedFiles = report.changedFiles;
    this.evalResults = report.evalResults;
  }

  /** Leaves out the per-item outcomes of `evalResults`, saying so in each entry; returns the report's bytes. */
  omitSamples(): number {
    this.evalResults = this.evalResults?.map(({ samples, ...results }) =>
      samples === undefined ? results : { ...results, samplesOmitted: true },
    );
    return this.measure();
  }

  /** Summarises artifacts, the largest first, until the report fits; returns its bytes. */
  summarise(artifacts: readonly ArtifactEntry[]): number {
    const ranked = artifacts
      .map((artifact) => {
        const line = summariseArtifact(artifact);
        return { artifact, line, saving: bytesAt(artifact.entry, 2) - bytesAt(line, 3) };
      })
      .filter(({ saving }) => saving > 0)
      .sort((a, b) => b.saving - a.saving);
    return this.shrink(ranked, ({ artifact, line }) => {
      this.out.add(artifact.entry);
      this.lines.set(artifact.entry, line);
    });
  }

  /** Leaves `evalResults` out whole; returns the report's bytes. */
  omitEvalResults(): number {
    this.omittedEvalResults = this.evalResults?.length ?? 0;
    this.evalResults = undefined;
    return this.measure();
  }

  /** Cuts findings' `also` and `details` and the list of changed files; returns the report's bytes. */
  cutLists(): number {
    this.findings = this.findings.map((finding) => {
      const also = Math.max(0, (finding.also?.length ?? 0) - KEPT_ALSO);
      const details = Math.max(0, finding.details.length - KEPT_DETAILS);
      if (also === 0 && details === 0) return finding;
      this.cutFindings += 1;
      return {
        ...finding,
        details: finding.details.slice(0, KEPT_DETAILS),
        ...(finding.also ? { also: finding.also.slice(0, KEPT_ALSO) } : {}),
        omitted: { ...(also > 0 ? { also } : {}), ...(details > 0 ? { details } : {}) },
      };
    });
    this.changedFiles = this.report.changedFiles.slice(0, KEPT_CHANGED_FILES);
    return this.measure();
  }

  /** Turns lines into counts by kind and status, untouched artifacts' first; returns the report's bytes. */
  count(): number {
    const lines = [...this.lines.entries()];
    const order = [
      ...lines.filter(([, line]) => line.status === 'unchanged').reverse(),
      ...lines.filter(([, line]) => line.status !== 'unchanged').reverse(),
    ];
    const ranked = order.map(([entry, line]) => ({ entry, line, saving: bytesAt(line, 3) }));
    return this.shrink(ranked, ({ entry, line }) => {
      this.lines.delete(entry);
      const key = `${line.kind}\u0000${line.status}`;
      const counted = this.counted.get(key) ?? { kind: line.kind, status: line.status, files: 0 };
      this.counted.set(key, { ...counted, files: counted.files + 1 });
    });
  }

  /** The report with what is summarised so far. */
  build(): Report {
    const kept = <T extends ArtifactEntry['entry']>(entries: T[]): T[] =>
      entries.filter((entry) => !this.out.has(entry));
    const summarised: Summarised = {
      maxBytes: this.maxBytes,
      fullBytes: this.fullBytes,
      artifacts: [...this.lines.values()],
      counted: [...this.counted.values()],
      findings: this.cutFindings,
      ...(this.changedFiles.length < this.report.changedFiles.length
        ? { changedFiles: this.report.changedFiles.length }
        : {}),
      ...(this.omittedEvalResults > 0 ? { evalResults: this.omittedEvalResults } : {}),
    };
    const fitted: Report = {
      ...this.report,
      changedFiles: this.changedFiles,
      findings: this.findings,
      datasets: kept(this.report.datasets),
      params: kept(this.report.params),
      metrics: kept(this.report.metrics),
      training: kept(this.report.training),
      summarised,
    };
    if (this.evalResults) fitted.evalResults = this.evalResults;
    else delete fitted.evalResults;
    return fitted;
  }

  private measure(): number {
    return measureReport(this.build());
  }

  /**
   * Applies changes in order until the report fits: as many as its estimated savings call for, then
   * measures the report, and goes on while it is still over and changes are left.
   */
  private shrink<T extends { saving: number }>(ranked: readonly T[], apply: (change: T) => void): number {
    let bytes = this.measure();
    let next = 0;
    while (bytes > this.maxBytes && next < ranked.length) {
      let estimate = bytes;
      for (; estimate > this.maxBytes && next < ranked.length; next += 1) {
        const change = ranked[next] as T;
        apply(change);
        estimate -= change.saving;
      }
      bytes = this.measure();
    }
    return bytes;
  }
}

function artifactEntries(report: Report): ArtifactEntry[] {
  return [
    ...report.datasets.map((entry) => ({ kind: 'dataset' as const, entry })),
    ...report.params.map((entry) => ({ kind: 'params' as const, entry })),
    ...report.metrics.map((entry) => ({ kind: 'metrics' as const, entry })),
    ...report.training.map((entry) => ({ kind: 'training-log' as const, entry })),
  ];
}

/** Every path a finding names: its location and the other places of the same cause. */
function namedPaths(findings: readonly Finding[]): Set<string> {
  const paths = new Set<string>();
  for (const finding of findings) {
    if (finding.location) paths.add(finding.location.path);
    for (const place of finding.also ?? []) paths.add(place.path);
  }
  return paths;
}

/** Whether a finding names the artifact: its path, one of its files, or its base path. */
function isNamed(artifact: ArtifactEntry, named: ReadonlySet<string>): boolean {
  const { entry } = artifact;
  const files = 'files' in entry ? (entry.files ?? []) : [];
  return [entry.path, ...files, ...(entry.comparedWith ? [entry.comparedWith.path] : [])].some((path) =>
    named.has(path),
  );
}

/**
 * The bytes `value` takes in the report's JSON as an element of an array nested `depth` levels deep:
 * its text, every line indented by two spaces a level, and the `,` and newline that separate it.
 */
function bytesAt(value: unknown, depth: number): number {
  const text = JSON.stringify(value, null, 2);
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines += 1;
  return Buffer.byteLength(text) + lines * 2 * depth + 2;
}
