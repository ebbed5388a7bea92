import { computeChiSquared } from '../stats/compute-chi-squared.js';
import { MIN_SHARED_NGRAMS, NGRAM_WORDS, type PassageOverlap } from '../profile/dataset/index.js';
import type { DatasetProfile, Finding, RowRef, Side } from '../model/report-schema.js';
import { isHeldOutSplit, isTrainSplit } from '../model/splits.js';
import { isTouched, type CheckContext, type DatasetEntry } from './check-context.js';
import { asNotice, createFinding, isCheckOff } from './create-finding.js';
import { formatNumber } from '../text/format-number.js';
import { formatPercent } from '../text/format-percent.js';
import { nounFor } from '../text/plural.js';

/**
 * Data-quality checks beyond counts and shapes, each reporting only what the pull request makes worse
 * than on base:
 * - `data-lfs-pointer`: a dataset is a Git LFS pointer whose content was not fetched;
 * - `data-format`: rows breaking the rules of the dataset's record format (roles, turn order, empty
 *   turns, the last turn not the assistant's…), by kind with example rows;
 * - `data-placeholder-outputs`: empty or placeholder answers, template variables half replaced;
 * - `data-conflicting-labels`: the same input with different outputs or labels;
 * - `data-near-duplicates`: near-duplicate rows (MinHash), exact duplicates aside;
 * - `data-label-shift`: the class distribution moved (chi-squared test and total variation distance);
 * - `data-min-size`: a split below a sane minimum;
 * - `data-truncation`: rows longer than the max sequence length of the hyperparameters (the smallest
 *   `max_seq_length` alias found in a params file on head: `sequence_len`, `cutoff_len`…);
 * - `data-leakage`: held-out rows sharing a 13-word passage or their whole prompt with a train split
 *   (lm-evaluation-harness-style decontamination), beyond exact copies.
 */
export function checkDataQuality(context: CheckContext): Finding[] {
  const findings: (Finding | undefined)[] = [];
  for (const entry of context.datasets) {
    const head = entry.report.head;
    if (!head || entry.report.status === 'removed') continue;
    if (head.lfs) {
      if (isTouched(entry.report.status)) findings.push(checkLfs(entry, head, context));
      continue;
    }
    if (head.rows === 0) continue;
    if (isTouched(entry.report.status)) {
      findings.push(
        checkRecordFormat(entry, head, context),
        ...checkPlaceholders(entry, head, context),
        checkConflicts(entry, head, context),
        entry.report.split === 'all' ? undefined : checkNearDuplicates(entry, head, context),
        checkLabelShift(entry, head, context),
        entry.report.split === 'all' ? undefined : checkMinSize(entry, head, context),
      );
    }
    const maxLength = findMaxSequenceLength(context, 'head', entry.report.path);
    const baseMaxLength = findMaxSequenceLength(context, 'base', entry.report.path);
    if (maxLength && (isTouched(entry.report.status) || maxLength.value !== baseMaxLength?.value)) {
      findings.push(checkTruncation(entry, head, context, maxLength, baseMaxLength));
    }
  }
  findings.push(...checkNgramLeakage(context));
  return findings.filter((f): f is Finding => f !== undefined);
}

function where(entry: DatasetEntry, row?: RowRef): { path: string; line?: number } {
  // A row of a folder of shards is located in its own file.
  return { path: row?.file ?? entry.report.path, ...(row ? { line: row.line } : {}) };
}

function describeRow(row: RowRef): string {
  return row.file === undefined ? `line ${row.line}` : `${row.file} line ${row.line}`;
}

function checkLfs(entry: DatasetEntry, head: DatasetProfile, context: CheckContext): Finding | undefined {
  const lfs = head.lfs;
  if (!lfs) return undefined;
  const pointers = (head.files ?? []).filter((file) => file.lfs);
  const title =
    pointers.length > 0
      ? `${formatNumber(pointers.length)} of the ${formatNumber(head.files?.length ?? 0)} files of ${entry.report.path} are Git LFS pointers whose content was not fetched: the dataset was not analysed`
      : `${entry.report.path} is a Git LFS pointer (${formatBytes(lfs.size)}): its content was not fetched, so it was not analysed`;
  return createFinding('data-lfs-pointer', context.config, {
    title,
    details: [
      pointers.length > 0
        ? `Not fetched: ${pointers
            .slice(0, 5)
            .map((file) => file.path)
            .join(', ')}${pointers.length > 5 ? ', …' : ''} (the first is LFS object sha256:${lfs.oid}).`
        : `LFS object sha256:${lfs.oid}.`,
      'Fetch LFS content before tuneguard runs (actions/checkout with `lfs: true`, or `git lfs pull`), or the dataset checks cannot see this file.',
    ],
    location: { path: pointers[0]?.path ?? entry.report.path },
  });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} bytes`;
}

function checkRecordFormat(
  entry: DatasetEntry,
  head: DatasetProfile,
  context: CheckContext,
): Finding | undefined {
  const stats = head.recordFormat;
  if (!stats || stats.errors.length === 0) return undefined;
  const base = entry.report.base?.recordFormat;
  const before = new Map(
    base && base.format === stats.format ? base.errors.map((error) => [error.kind, error.rows]) : [],
  );
  const worse = stats.errors.filter((error) => error.rows > (before.get(error.kind) ?? 0));
  if (worse.length === 0) return undefined;
  const rows = worse.reduce((sum, error) => sum + error.rows, 0);
  const first = worse[0]?.examples[0];
  const baseRows = worse.reduce((sum, error) => sum + (before.get(error.kind) ?? 0), 0);
  return createFinding('data-format', context.config, {
    title: `${formatNumber(rows)} ${stats.format} format ${rows === 1 ? 'problem' : 'problems'} in ${entry.report.path}: ${worse
      .map((error) => `${formatNumber(error.rows)} ${error.kind}`)
      .join(', ')}`,
    details: worse.map(
      (error) =>
        `${error.kind}: ${formatNumber(error.rows)} ${nounFor(error.rows, 'row')} (was ${formatNumber(before.get(error.kind) ?? 0)}), first at ${error.examples.map(describeRow).join(', ')}`,
    ),
    evidence: { base: baseRows, head: rows, delta: rows - baseRows },
    location: where(entry, first),
  });
}

function checkPlaceholders(
  entry: DatasetEntry,
  head: DatasetProfile,
  context: CheckContext,
): (Finding | undefined)[] {
  const outputs = head.outputs;
  if (!outputs) return [];
  const base = entry.report.base?.outputs;
  const findings: (Finding | undefined)[] = [];
  const bad = outputs.empty + outputs.placeholder + outputs.placeholderInputs;
  const before = base ? base.empty + base.placeholder + base.placeholderInputs : 0;
  if (bad > before) {
    const first = outputs.examples[0];
    findings.push(
      createFinding('data-placeholder-outputs', context.config, {
        title: `${formatNumber(bad)} ${nounFor(bad, 'row')} of ${entry.report.path} ${bad === 1 ? 'has' : 'have'} an empty or placeholder answer or input (was ${formatNumber(before)})`,
        details: [
          `empty answers: ${outputs.empty}, placeholder answers: ${outputs.placeholder}, placeholder inputs: ${outputs.placeholderInputs}`,
          ...outputs.examples.map((e) => `${describeRow(e.row)}: ${e.kind} ${JSON.stringify(e.value)}`),
          'A model trained on them learns to answer with nothing, or with the placeholder.',
        ],
        evidence: { base: before, head: bad, delta: bad - before },
        location: where(entry, first?.row),
      }),
    );
  }
  findings.push(checkTemplates(entry, head, outputs, context));
  return findings;
}

/** A dataset with a template variable in at least this share of its rows is parametrised by design. */
const PARAMETRISED_SHARE = 0.9;
/** A new variable in fewer than this share of a parametrised dataset's variable rows is a stray. */
const STRAY_SHARE = 0.1;

type Outputs = NonNullable<DatasetProfile['outputs']>;

/**
 * Template variables (`{{name}}`, in text rather than in code or markup). Half replaced (fewer rows hold a
 * variable than on base, beyond the rows deleted) or new in a dataset that is not parametrised: a
 * warning. A dataset with a variable in (nearly) every row is parametrised by design, filled before
 * training as LLaMA-Factory's identity.json is: its new variables are a notice naming them, except a
 * stray one in a handful of its rows.
 */
function checkTemplates(
  entry: DatasetEntry,
  head: DatasetProfile,
  outputs: Outputs,
  context: CheckContext,
): Finding | undefined {
  const base = entry.report.base;
  const baseTemplates = new Map((base?.outputs?.templates ?? []).map((t) => [t.name, t.rows]));
  const rowsDeleted = Math.max(0, (base?.rows ?? 0) - head.rows);
  const partial = outputs.templates.filter((t) => {
    const was = baseTemplates.get(t.name);
    return was !== undefined && was - t.rows > rowsDeleted;
  });
  const added =
    entry.report.status === 'unchanged' ? [] : outputs.templates.filter((t) => !baseTemplates.has(t.name));
  if (partial.length === 0 && added.length === 0) return undefined;
  const parametrised = outputs.templateRows >= PARAMETRISED_SHARE * head.rows;
  const stray = parametrised ? added.filter((t) => t.rows < STRAY_SHARE * outputs.templateRows) : added;
  const listed = (templates: readonly Outputs['templates'][number][]): string[] =>
    templates.map(
      (t) =>
        `{{${t.name}}}: ${formatNumber(t.rows)} ${nounFor(t.rows, 'row')}, first at ${describeRow(t.example)}`,
    );
  if (partial.length === 0 && stray.length === 0) {
    return asNotice(
      createFinding('data-placeholder-outputs', context.config, {
        title: `${entry.report.path} is parametrised: ${added.map((t) => `{{${t.name}}}`).join(', ')} in ${formatNumber(outputs.templateRows)} of its ${formatNumber(head.rows)} rows, to be filled before training`,
        details: [
          ...listed(added),
          `A variable in ${formatPercent(PARAMETRISED_SHARE)} of rows or more is deliberate; train on the filled-in copy, not on this file.`,
        ],
        evidence: { base: base?.outputs?.templateRows ?? 0, head: outputs.templateRows },
        location: where(entry, added[0]?.example),
      }),
    );
  }
  const parts = [
    ...partial.map(
      (t) =>
        `{{${t.name}}} is left in ${formatNumber(t.rows)} of the ${formatNumber(baseTemplates.get(t.name) ?? 0)} ${nounFor(baseTemplates.get(t.name) ?? 0, 'row')} that had it`,
    ),
    ...(stray.length > 0 ? [`new template variables ${stray.map((t) => `{{${t.name}}}`).join(', ')}`] : []),
  ];
  return createFinding('data-placeholder-outputs', context.config, {
    title: `Template variables in ${entry.report.path}: ${parts.join('; ')}`,
    details: [
      ...listed([...partial, ...stray]),
      'Variables replaced in some rows and not others, or misspelt ones, reach training as literal text.',
    ],
    evidence: { base: base?.outputs?.templateRows ?? 0, head: outputs.templateRows },
    location: where(entry, (partial[0] ?? stray[0])?.example),
  });
}

/**
 * Datasets where one input with several answers is the format, not a mistake: KTO's desirable and
 * undesirable completions of one prompt (a true/false `label` on conversation records), preference pairs,
 * and a union of splits (its rows are the splits' rows again).
 */
function severalAnswersByDesign(entry: DatasetEntry, head: DatasetProfile): boolean {
  if (entry.report.split === 'all' || head.recordFormat?.format === 'preference') return true;
  const labels = head.labels?.classes.map((c) => c.label) ?? [];
  return (
    head.recordFormat?.format !== 'classification' &&
    labels.length > 0 &&
    labels.every((label) => label === 'true' || label === 'false')
  );
}

function checkConflicts(
  entry: DatasetEntry,
  head: DatasetProfile,
  context: CheckContext,
): Finding | undefined {
  const conflicts = head.conflicts;
  if (!conflicts || conflicts.rows === 0 || severalAnswersByDesign(entry, head)) return undefined;
  const before = entry.report.base?.conflicts?.rows ?? 0;
  const share = conflicts.rows / head.rows;
  if (conflicts.rows <= before || share <= context.config.checks['data-conflicting-labels']['max-share']) {
    return undefined;
  }
  const classification = head.recordFormat?.format === 'classification';
  const first = conflicts.examples[0];
  return createFinding('data-conflicting-labels', context.config, {
    title: `${formatNumber(conflicts.inputs)} ${conflicts.inputs === 1 ? 'input stands' : 'inputs stand'} with different ${classification ? 'labels' : 'short answers'} in ${entry.report.path}: ${formatNumber(conflicts.rows)} ${nounFor(conflicts.rows, 'row')} (was ${formatNumber(before)})${conflicts.estimated ? ', estimated' : ''}`,
    details: [
      `The same ${classification ? 'text' : 'prompt'} (after case and whitespace normalisation) with a different ${classification ? 'label' : 'answer'} teaches the model two answers to one question.`,
      'Only label-like answers count: a label field, or answers of at most 32 characters on both sides ("positive", "B", "42"). Different free-text answers to one prompt are paraphrases or samples (augmentation), not conflicts.',
      ...conflicts.examples.map((e) => `${describeRow(e.row)} contradicts ${describeRow(e.conflictsWith)}`),
    ],
    evidence: { base: before, head: conflicts.rows, delta: conflicts.rows - before },
    location: where(entry, first?.row),
  });
}

/** Near-duplicate rows that are not exact duplicates. */
function nearOnly(profile: DatasetProfile | undefined): number {
  if (!profile?.nearDuplicates) return 0;
  return Math.max(0, profile.nearDuplicates.rows - profile.duplicateRows);
}

function checkNearDuplicates(
  entry: DatasetEntry,
  head: DatasetProfile,
  context: CheckContext,
): Finding | undefined {
  const near = head.nearDuplicates;
  if (!near) return undefined;
  const rows = nearOnly(head);
  const before = nearOnly(entry.report.base);
  const settings = context.config.checks['data-near-duplicates'];
  const share = rows / head.rows;
  if (rows <= before || share <= settings['max-share']) return undefined;
  const baseRows = entry.report.base?.rows ?? 0;
  // Instruction data and paraphrase sets hold near-duplicates by nature: a warning needs a large share,
  // and one the pull request made larger.
  const minor = share < settings['notice-below'] || (baseRows > 0 && share <= before / baseRows);
  const first = near.examples[0];
  const finding = createFinding('data-near-duplicates', context.config, {
    title: `${formatNumber(rows)} near-duplicate ${nounFor(rows, 'row')} in ${entry.report.path} (was ${formatNumber(before)}, ${formatPercent(share)} of rows)${near.estimated ? ', estimated from a sample' : ''}`,
    details: [
      `Rows with an earlier row of MinHash similarity ≥ ${near.threshold} over word 5-grams, exact duplicates aside (checks.data-near-duplicates.threshold).`,
      ...near.examples.map((e) => `${describeRow(e.row)} is nearly ${describeRow(e.similarTo)}`),
      ...(minor
        ? [
            `A notice: a warning takes ${formatPercent(settings['notice-below'])} of rows or more (checks.data-near-duplicates.notice-below), and a share larger than on base.`,
          ]
        : []),
    ],
    evidence: { base: before, head: rows, delta: rows - before },
    location: where(entry, first?.row),
  });
  return minor ? asNotice(finding) : finding;
}

function checkLabelShift(
  entry: DatasetEntry,
  head: DatasetProfile,
  context: CheckContext,
): Finding | undefined {
  const base = entry.report.base;
  if (!base?.labels || !head.labels) return undefined;
  const settings = context.config.checks['data-label-shift'];
  const names = [...new Set([...base.labels.classes, ...head.labels.classes].map((c) => c.label))].sort();
  const countsOf = (profile: DatasetProfile) => {
    const counts = new Map((profile.labels?.classes ?? []).map((c) => [c.label, c.rows]));
    return names.map((name) => counts.get(name) ?? 0);
  };
  const baseCounts = countsOf(base);
  const headCounts = countsOf(head);
  const baseTotal = baseCounts.reduce((a, b) => a + b, 0);
  const headTotal = headCounts.reduce((a, b) => a + b, 0);
  if (baseTotal === 0 || headTotal === 0) return undefined;
  const shares = (counts: number[], total: number) => counts.map((count) => count / total);
  const baseShares = shares(baseCounts, baseTotal);
  const headShares = shares(headCounts, headTotal);
  const distance =
    0.5 * baseShares.reduce((sum, share, index) => sum + Math.abs(share - (headShares[index] ?? 0)), 0);
  const gone = names.filter((_, index) => (baseCounts[index] ?? 0) > 0 && headCounts[index] === 0);
  const test = computeChiSquared(baseCounts, headCounts);
  const significant =
    test !== undefined && test.pValue < settings.significance && distance >= settings['min-shift'];
  if (!significant && gone.length === 0) return undefined;
  const describe = (counts: number[], total: number) =>
    names.map((name, index) => `${name} ${formatPercent((counts[index] ?? 0) / total)}`).join(', ');
  return createFinding('data-label-shift', context.config, {
    title:
      gone.length > 0
        ? `Label ${gone.map((name) => JSON.stringify(name)).join(', ')} disappeared from ${entry.report.path}`
        : `The label distribution of ${entry.report.path} shifted by ${formatPercent(distance)} (chi-squared p = ${formatNumber(test?.pValue ?? 1)})`,
    details: [
      `base: ${describe(baseCounts, baseTotal)} (${formatNumber(baseTotal)} ${nounFor(baseTotal, 'row')})`,
      `head: ${describe(headCounts, headTotal)} (${formatNumber(headTotal)} ${nounFor(headTotal, 'row')})`,
      ...(test
        ? [
            `Chi-squared test of homogeneity: χ² = ${formatNumber(test.statistic)}, ${test.degreesOfFreedom} degrees of freedom, p = ${formatNumber(test.pValue)}; total variation distance ${formatPercent(distance)} (flagged at p < ${settings.significance} and a shift of ${formatPercent(settings['min-shift'])} or more).`,
          ]
        : []),
    ],
    evidence: {
      base: describe(baseCounts, baseTotal),
      head: describe(headCounts, headTotal),
      delta: distance,
    },
    location: where(entry),
  });
}

/**
 * Blames only the change: a split the pull request takes below the minimum (at or above it on base) is a
 * warning; one already below it on base is not the pull request's doing. A new small file (a demo, a
 * smoke-test set) is a notice, and only when a config on head trains or evaluates on it.
 */
function checkMinSize(entry: DatasetEntry, head: DatasetProfile, context: CheckContext): Finding | undefined {
  const settings = context.config.checks['data-min-size'];
  const heldOut = isHeldOutSplit(entry.report.split);
  const minimum = heldOut ? settings['min-eval-rows'] : settings['min-rows'];
  if (head.rows >= minimum) return undefined;
  const base = entry.report.base && entry.report.base.rows > 0 ? entry.report.base : undefined;
  if (base && base.rows < minimum) return undefined;
  const users = context.lineage.get(entry.report.path) ?? [];
  if (!base && users.length === 0) return undefined;
  const finding = createFinding('data-min-size', context.config, {
    title: `The ${entry.report.split} split ${entry.report.path} has ${formatNumber(head.rows)} ${head.rows === 1 ? 'row' : 'rows'}, below the minimum of ${formatNumber(minimum)}${base ? ` (was ${formatNumber(base.rows)})` : ''}`,
    details: [
      heldOut
        ? `An evaluation on so few rows cannot tell a real change from noise (checks.data-min-size.min-eval-rows).`
        : `Fine-tuning on so few examples rarely generalises (checks.data-min-size.min-rows).`,
      ...(base ? [] : [`A new file, used by ${users.join(', ')}: a notice.`]),
    ],
    evidence: {
      ...(base ? { base: base.rows } : {}),
      head: head.rows,
      ...(base ? { delta: head.rows - base.rows } : {}),
    },
    location: where(entry),
  });
  return base ? finding : asNotice(finding);
}

/** A max sequence length and the params file that sets it. */
export interface MaxSequenceLength {
  value: number;
  path: string;
}

/**
 * The max sequence length a dataset is trained with on one side: the smallest of the configs that name
 * it (lineage: `context.lineage`). A dataset no config names is not judged at all: the length of a
 * config that trains on something else says nothing about it, so none is guessed.
 */
export function findMaxSequenceLength(
  context: CheckContext,
  side: Side,
  dataset: string,
): MaxSequenceLength | undefined {
  const users = context.lineage.get(dataset) ?? [];
  let found: MaxSequenceLength | undefined;
  for (const params of context.params) {
    if (!users.includes(params.report.path)) continue;
    const value = params.report.canonical[side]['max_seq_length'];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) continue;
    if (found === undefined || value < found.value) found = { value, path: params.report.path };
  }
  return found;
}

function checkTruncation(
  entry: DatasetEntry,
  head: DatasetProfile,
  context: CheckContext,
  maxLength: MaxSequenceLength,
  baseMaxLength: MaxSequenceLength | undefined,
): Finding | undefined {
  const now = entry.head?.sketch.rowsOver(maxLength.value);
  if (!now || now.rows === 0) return undefined;
  const settings = context.config.checks['data-truncation'];
  if (now.share <= settings['max-share']) return undefined;
  const before = baseMaxLength ? entry.base?.sketch.rowsOver(baseMaxLength.value) : undefined;
  if (before && before.share >= now.share && baseMaxLength?.value === maxLength.value) return undefined;
  const estimated = head.tokenizer?.estimated ?? false;
  return createFinding('data-truncation', context.config, {
    title: `${formatPercent(now.share)} of ${entry.report.path} (${formatNumber(now.rows)} ${nounFor(now.rows, 'row')}) is longer than the max sequence length ${formatNumber(maxLength.value)} of ${maxLength.path}${before ? ` (was ${formatPercent(before.share)})` : ''}${estimated ? ', estimated' : ''}`,
    details: [
      `Tokens counted with ${head.tokenizer?.name ?? 'the tokenizer'}${estimated ? ` on a sample of ${formatNumber(head.tokenizer?.sampledRows ?? 0)} ${nounFor(head.tokenizer?.sampledRows ?? 0, 'row')}` : ''}, plus 3 per chat turn for the template; these rows are cut during training, often losing the answer.`,
      `Raise the max sequence length, or split or drop the longest rows (allowed share: ${formatPercent(settings['max-share'])}, checks.data-truncation.max-share).`,
    ],
    evidence: {
      ...(before ? { base: before.rows } : {}),
      head: now.rows,
      ...(before ? { delta: now.rows - before.rows } : {}),
    },
    location: where(entry),
  });
}

/**
 * Share of a held-out row's n-grams found in the train set from which the row counts as contaminated.
 * Any shared 13-gram (GPT-3's rule) flags templated data whose rows share boilerplate (WikiSQL's splits
 * share table headers: up to 42% of a row's 13-grams, with no question in common), so the rule is
 * PaLM's instead: 70% of the row's n-grams.
 */
const CONTAMINATED_SHARE = 0.7;
/**
 * Share of a row's n-grams in the train set from which it is a near copy (a row with a few words changed
 * or added), not just a row sharing a template with train.
 */
const NEAR_COPY_SHARE = 0.9;

function checkNgramLeakage(context: CheckContext): (Finding | undefined)[] {
  if (isCheckOff('data-leakage', context.config)) return [];
  const onHead = context.datasets.filter(
    (d) => d.head && d.report.status !== 'removed' && !d.report.head?.lfs,
  );
  const train = onHead.filter((d) => isTrainSplit(d.report.split));
  const heldOut = onHead.filter((d) => isHeldOutSplit(d.report.split));
  const findings: (Finding | undefined)[] = [];
  for (const held of heldOut) {
    for (const trainSet of train) {
      if (!isTouched(held.report.status) && !isTouched(trainSet.report.status)) continue;
      const heldSketch = held.head?.sketch;
      const trainSketch = trainSet.head?.sketch;
      if (!heldSketch || !trainSketch) continue;
      const now = heldSketch.findPassageOverlap(trainSketch, CONTAMINATED_SHARE);
      // Exact copies are check-data's finding; this one is about what only passages and prompts reveal.
      if (now.rows <= now.exact) continue;
      const before =
        held.base && trainSet.base
          ? held.base.sketch.findPassageOverlap(trainSet.base.sketch, CONTAMINATED_SHARE).rows
          : 0;
      if (now.rows <= before) continue;
      // Certain: a prompt stands in train, or (counted exactly) a row is a near copy of a train row.
      const near =
        now.prompts === 0 && !now.estimated
          ? heldSketch.findPassageOverlap(trainSketch, NEAR_COPY_SHARE)
          : undefined;
      const certain = now.prompts > 0 || (near !== undefined && near.rows > near.exact);
      findings.push(describePassageLeak(held, trainSet, now, before, certain, context));
    }
  }
  return findings;
}

function describePassageLeak(
  held: DatasetEntry,
  trainSet: DatasetEntry,
  now: PassageOverlap,
  before: number,
  certain: boolean,
  context: CheckContext,
): Finding | undefined {
  const rows = held.report.head?.rows ?? 0;
  // A row of a folder of shards is located in its own file, not at the split's glob.
  const first = now.first;
  const finding = createFinding('data-leakage', context.config, {
    title: `${formatNumber(now.rows)} of ${formatNumber(rows)} ${held.report.split} rows of ${held.report.path} share their prompt or most of their text with the train set ${trainSet.report.path} (was ${formatNumber(before)})${now.estimated ? ', estimated' : ''}`,
    details: [
      `${formatNumber(now.exact)} of them are exact copies, ${formatNumber(now.prompts)} reuse a prompt; the others have most of their ${NGRAM_WORDS}-word passages in the train set (${NGRAM_WORDS}-grams as in lm-evaluation-harness's decontamination, at least ${formatPercent(CONTAMINATED_SHARE)} of a row's as in PaLM's, and at least ${MIN_SHARED_NGRAMS} sampled ones; passages recurring across the ${held.report.split} rows are their template and do not count).`,
      'Evaluation on text the model trained on overstates its quality.',
      ...(certain
        ? []
        : [
            `A warning, not a failure: no prompt and no near copy (${formatPercent(NEAR_COPY_SHARE)} of a row's passages${now.estimated ? ', which sampling cannot tell' : ''}) stands in train, only most of some rows' passages.`,
          ]),
      ...(first !== undefined ? [`first at ${first.file ?? held.report.path} line ${first.line}`] : []),
    ],
    evidence: { base: before, head: now.rows, delta: now.rows - before },
    location: where(held, first),
  });
  return !certain && finding?.severity === 'failure' ? { ...finding, severity: 'warning' } : finding;
}
