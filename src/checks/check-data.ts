import { isHeldOutSplit, isTrainSplit } from '../model/splits.js';
import type { DatasetProfile, FileStatus, Finding, RowRef } from '../model/report-schema.js';
import { isTouched, type CheckContext, type DatasetEntry } from './check-context.js';
import { asNotice, createFinding, isCheckOff } from './create-finding.js';
import { formatNumber } from '../text/format-number.js';
import { formatPercent } from '../text/format-percent.js';
import { nounFor } from '../text/plural.js';

/**
 * Data checks over the datasets the PR touched: `data-shrink`, `data-duplicates`,
 * `data-missing-values`, `data-format`, and `data-leakage` (held-out rows inside a train split, on head).
 * Only what the PR makes worse is reported: counts are compared with the base, so a dataset that already
 * had 14 duplicates and still has 14 is not flagged again, and a leak already on base is not re-flagged.
 */
export function checkData(context: CheckContext): Finding[] {
  const findings: (Finding | undefined)[] = [];
  for (const entry of context.datasets.filter((d) => isTouched(d.report.status))) {
    // A Git LFS pointer holds no rows: comparing its counts would call it a 100% shrink
    // (data-lfs-pointer says what is missing instead).
    if (entry.report.base?.lfs || entry.report.head?.lfs) continue;
    // A union of the splits (all.jsonl = train + valid) repeats the rows of both: its repeats are theirs.
    const union = entry.report.split === 'all';
    findings.push(...checkShrink(entry, context), union ? undefined : checkDuplicates(entry, context));
    findings.push(...checkMissingValues(entry, context), ...checkFormat(entry, context));
  }
  findings.push(...checkLeakage(context));
  return findings.filter((f): f is Finding => f !== undefined);
}

function checkShrink(entry: DatasetEntry, context: CheckContext): (Finding | undefined)[] {
  const { report } = entry;
  const settings = context.config.checks['data-shrink'];
  const location = { path: report.path };
  if (report.status === 'removed' && report.base) {
    // Deleting a file is deliberate: it matters when a config on head still trains or evaluates on it.
    const users = context.lineage.get(report.path) ?? [];
    const finding = createFinding('data-shrink', context.config, {
      title: `The ${report.split} dataset ${report.path} was deleted (${formatNumber(report.base.rows)} rows)${users.length > 0 ? `, but ${users.join(', ')} still ${users.length === 1 ? 'uses' : 'use'} it` : ''}`,
      details: [
        users.length > 0
          ? 'Training or evaluation will fail to find it, or use something else under its name.'
          : 'No config on head trains or evaluates on it.',
      ],
      evidence: { base: report.base.rows, head: 0, delta: -report.base.rows },
      location: { ...location, side: 'base' },
    });
    return [users.length > 0 ? finding : asNotice(finding)];
  }
  if (!report.base || !report.head || report.base.rows === 0) return [];
  // A head with no readable record is a broken file, not a smaller dataset: input-unreadable reports it.
  if (report.head.rows === 0 && report.head.malformedRows > 0) return [];
  const drop = (report.base.rows - report.head.rows) / report.base.rows;
  if (drop <= settings['max-drop']) return [];
  return [
    createFinding('data-shrink', context.config, {
      title: `The ${report.split} split ${report.path} shrank by ${formatPercent(drop)}: ${formatNumber(report.base.rows)} → ${formatNumber(report.head.rows)} rows`,
      details: [`Allowed drop: ${formatPercent(settings['max-drop'])} (checks.data-shrink.max-drop).`],
      evidence: {
        base: report.base.rows,
        head: report.head.rows,
        delta: report.head.rows - report.base.rows,
      },
      location,
    }),
  ];
}

function checkDuplicates(entry: DatasetEntry, context: CheckContext): Finding | undefined {
  const head = entry.report.head;
  if (!head || head.rows === 0) return undefined;
  const before = entry.report.base?.duplicateRows ?? 0;
  const share = head.duplicateRows / head.rows;
  const settings = context.config.checks['data-duplicates'];
  if (head.duplicateRows <= before || share <= settings['max-share']) return undefined;
  // Point at a duplicate the change added, not one the base already had: examples seen on base are old.
  const key = (d: DuplicateExample): string =>
    `${d.file ?? ''}:${d.line}:${d.firstFile ?? ''}:${d.firstLine}`;
  const old = new Set((entry.report.base?.duplicateExamples ?? []).map(key));
  const fresh = head.duplicateExamples.filter((d) => !old.has(key(d)));
  const first = fresh[0];
  const added = head.duplicateRows - before;
  const repeat = head.duplicateRepeat;
  const minor = share < settings['notice-below'] || repeat !== undefined;
  const finding = createFinding('data-duplicates', context.config, {
    title: `${formatNumber(added)} duplicate ${nounFor(added, 'row')} added to ${entry.report.path} (${formatNumber(before)} → ${formatNumber(head.duplicateRows)}, ${formatPercent(share)} of rows)`,
    details: [
      ...(fresh.length > 0 ? fresh : head.duplicateExamples).map(
        (d) => `${inFile(d.file)}line ${d.line} repeats ${inFile(d.firstFile)}line ${d.firstLine}`,
      ),
      ...(repeat !== undefined
        ? [
            `A notice: every one of its ${formatNumber(head.rows / repeat)} distinct rows stands exactly ${formatNumber(repeat)} times, so the file is its rows repeated on purpose (upsampling), not stray copies.`,
          ]
        : minor
          ? [
              `A notice: under ${formatPercent(settings['notice-below'])} of rows (checks.data-duplicates.notice-below), the repeats barely change what the model sees.`,
            ]
          : []),
    ],
    evidence: { base: before, head: head.duplicateRows, delta: added },
    location: { path: first?.file ?? entry.report.path, ...(first ? { line: first.line } : {}) },
  });
  return minor ? asNotice(finding) : finding;
}

function checkMissingValues(entry: DatasetEntry, context: CheckContext): (Finding | undefined)[] {
  const head = entry.report.head;
  if (!head || head.rows === 0) return [];
  const settings = context.config.checks['data-missing-values'];
  const optional = new Set(settings['optional-fields']);
  const baseFields = new Map((entry.report.base?.fields ?? []).map((f) => [f.name, f]));
  // Fields outside the dominant record shape come from off-shape rows, which data-format reports: every
  // other row "misses" them, and saying so would only repeat that finding in a misleading way.
  const shapeFields = new Set(head.recordShape.split(','));
  return head.fields
    .filter((field) => shapeFields.has(field.name) && !optional.has(field.name))
    .map((field) => {
      const bad = field.empty + field.missing;
      const baseField = baseFields.get(field.name);
      const before = baseField ? baseField.empty + baseField.missing : 0;
      if (bad <= before || bad / head.rows <= settings['max-share']) return undefined;
      return createFinding('data-missing-values', context.config, {
        title: `Field "${field.name}" is empty or missing in ${formatNumber(bad)} ${nounFor(bad, 'row')} of ${entry.report.path} (was ${formatNumber(before)})`,
        details: [
          `empty: ${field.empty}, missing: ${field.missing}, of ${formatNumber(head.rows)} ${nounFor(head.rows, 'row')}`,
        ],
        evidence: { base: before, head: bad, delta: bad - before },
        location: { path: entry.report.path },
      });
    });
}

function checkFormat(entry: DatasetEntry, context: CheckContext): (Finding | undefined)[] {
  const { report } = entry;
  const head = report.head;
  if (!head) return [];
  const findings: (Finding | undefined)[] = [];
  const malformedBefore = report.base?.malformedRows ?? 0;
  if (head.rows === 0 && head.malformedRows === 0 && report.status === 'added') {
    findings.push(
      createFinding('data-format', context.config, {
        title: `The new ${report.split} dataset ${report.path} holds no record`,
        details: ['An empty file trains or evaluates on nothing; add its rows or leave it out.'],
        evidence: { head: 0 },
        location: { path: report.path },
      }),
    );
  }
  if (isNewlyUnreadable(report.status, report.base, head, entry.head?.problems ?? []))
    findings.push(checkUnreadable(entry, context));
  // A file with no readable record that the pull request did not make so is input-unreadable's.
  if (head.malformedRows > malformedBefore && head.rows > 0) {
    const problems = entry.head?.problems ?? [];
    const first = problems[0];
    findings.push(
      createFinding('data-format', context.config, {
        title: `${formatNumber(head.malformedRows)} malformed ${nounFor(head.malformedRows, 'row')} in ${report.path} (was ${formatNumber(malformedBefore)})`,
        details: problems.slice(0, 5).map((p) => `${inFile(p.file)}line ${p.line}: ${p.reason}`),
        evidence: {
          base: malformedBefore,
          head: head.malformedRows,
          delta: head.malformedRows - malformedBefore,
        },
        location: { path: first?.file ?? report.path, ...(first ? { line: first.line } : {}) },
      }),
    );
  }
  const offBefore =
    report.base && report.base.recordShape === head.recordShape ? report.base.offShapeRows : 0;
  if (head.offShapeRows > offBefore) findings.push(checkOffShape(entry, head, offBefore, context));
  if (report.base && report.base.rows > 0 && head.rows > 0 && report.base.recordShape !== head.recordShape) {
    findings.push(
      createFinding('data-format', context.config, {
        title: `The record shape of ${report.path} changed: {${report.base.recordShape}} → {${head.recordShape}}`,
        evidence: { base: report.base.recordShape, head: head.recordShape },
        location: { path: report.path },
      }),
    );
  }
  return findings;
}

/**
 * Whether the pull request leaves a dataset it adds or changes with no readable record, where the base
 * had some (or no file), for a fault of the file: the data-format failure below reports it, not
 * input-unreadable. Rows tuneguard itself declines (too large, too deep, compressed: "not read") are
 * no such fault, since a trainer may still load them.
 */
export function isNewlyUnreadable(
  status: FileStatus,
  base: DatasetProfile | undefined,
  head: DatasetProfile,
  problems: readonly { reason: string }[],
): boolean {
  const unreadable = (profile: DatasetProfile): boolean => profile.rows === 0 && profile.malformedRows > 0;
  return (
    status !== 'unchanged' &&
    unreadable(head) &&
    !(base !== undefined && unreadable(base)) &&
    !problems.some((problem) => problem.reason.includes('not read'))
  );
}

/**
 * A dataset no line of which can be read trains or evaluates on nothing, and no trainer loads it: a
 * failure (unless the config sets data-format's severity), with the first lines' diagnoses.
 */
function checkUnreadable(entry: DatasetEntry, context: CheckContext): Finding | undefined {
  const { report } = entry;
  const rows = report.head?.malformedRows ?? 0;
  const problems = entry.head?.problems ?? [];
  const first = problems[0];
  const finding = createFinding('data-format', context.config, {
    title: `No row of ${report.path} can be read: ${formatNumber(rows)} malformed ${nounFor(rows, 'row')} and none other`,
    details: [
      // One line per distinct reason: a file written wrong is mostly the same mistake on every line.
      ...problems
        .filter((p, index) => problems.findIndex((q) => q.reason === p.reason) === index)
        .slice(0, 3)
        .map((p) => `${inFile(p.file)}line ${p.line}: ${p.reason}`),
      `A trainer cannot load this ${report.split} dataset as it is: fix how it is written, then push again.`,
    ],
    evidence: { base: report.base?.rows ?? 0, head: 0 },
    location: { path: first?.file ?? report.path, ...(first ? { line: first.line } : {}) },
  });
  const configured = context.config.checks['data-format'].severity;
  return finding && configured === undefined ? { ...finding, severity: 'failure' } : finding;
}

/**
 * Rows lacking a field that (nearly) every row has, or not records at all: rows with extra optional
 * fields are on shape (the profile's `recordShape` is the fields of nearly every row). A share below
 * `notice-below` is a notice.
 */
function checkOffShape(
  entry: DatasetEntry,
  head: DatasetProfile,
  offBefore: number,
  context: CheckContext,
): Finding | undefined {
  const { report } = entry;
  const line = head.offShapeExamples[0];
  const file = head.offShapeFiles?.[0];
  const noticeBelow = context.config.checks['data-format']['notice-below'];
  const minor = head.offShapeRows / head.rows < noticeBelow;
  const finding = createFinding('data-format', context.config, {
    title: `${formatNumber(head.offShapeRows)} ${nounFor(head.offShapeRows, 'row')} off the dataset's shape {${head.recordShape}} in ${report.path}`,
    details: [
      head.offShapeFiles
        ? `first at ${head.offShapeExamples
            .map((example, index) => `${inFile(head.offShapeFiles?.[index])}line ${example}`)
            .join(', ')}`
        : `first at lines ${head.offShapeExamples.join(', ')}`,
      'They lack a field that (nearly) every row has, or are not records; extra fields alone are no problem.',
      ...(minor
        ? [`A notice: under ${formatPercent(noticeBelow)} of rows (checks.data-format.notice-below).`]
        : []),
    ],
    evidence: { base: offBefore, head: head.offShapeRows, delta: head.offShapeRows - offBefore },
    location: { path: file ?? report.path, ...(line !== undefined ? { line } : {}) },
  });
  return minor ? asNotice(finding) : finding;
}

function checkLeakage(context: CheckContext): (Finding | undefined)[] {
  if (isCheckOff('data-leakage', context.config)) return [];
  const onHead = context.datasets.filter((d) => d.head && d.report.status !== 'removed');
  const train = onHead.filter((d) => isTrainSplit(d.report.split));
  const heldOut = onHead.filter((d) => isHeldOutSplit(d.report.split));
  const findings: (Finding | undefined)[] = [];
  for (const evalSet of heldOut) {
    for (const trainSet of train) {
      const overlap = findOverlap(evalSet, trainSet, 'head');
      const before = findOverlap(evalSet, trainSet, 'base').length;
      // Only leakage the change adds: a leak already on base is not the pull request's doing.
      if (overlap.length <= before) continue;
      const rows = evalSet.report.head?.rows ?? 0;
      findings.push(
        createFinding('data-leakage', context.config, {
          title: `${formatNumber(overlap.length)} of ${formatNumber(rows)} ${evalSet.report.split} rows of ${evalSet.report.path} also stand in the train set ${trainSet.report.path} (was ${formatNumber(before)})`,
          details: [
            'Evaluation on rows the model trained on overstates its quality.',
            ...overlap
              .slice(0, 5)
              .map(
                ([evalRow, trainRow]) =>
                  `${evalRow.file ?? evalSet.report.path} line ${evalRow.line} = ${trainRow.file ?? trainSet.report.path} line ${trainRow.line}`,
              ),
          ],
          evidence: { base: before, head: overlap.length, delta: overlap.length - before },
          location: overlap[0]
            ? { path: overlap[0][1].file ?? trainSet.report.path, line: overlap[0][1].line }
            : { path: trainSet.report.path },
        }),
      );
    }
  }
  return findings;
}

/** Held-out rows whose normalised record stands in the train set: [held-out row, train row], in held-out order. */
function findOverlap(
  evalSet: DatasetEntry,
  trainSet: DatasetEntry,
  side: 'base' | 'head',
): [RowRef, RowRef][] {
  const held = evalSet[side]?.sketch;
  const train = trainSet[side]?.sketch;
  return held && train ? held.findExactOverlap(train) : [];
}

/** `<file> ` before a line number, for a dataset of several files; nothing for a single file. */
function inFile(file: string | undefined): string {
  return file === undefined ? '' : `${file} `;
}

type DuplicateExample = DatasetProfile['duplicateExamples'][number];
