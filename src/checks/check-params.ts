import type { ParamValue } from '../loaders/parse-params.js';
import { asNumber, type CanonicalParam } from '../profile/compute-canonical-params.js';
import type { Finding, ParamChange } from '../model/report-schema.js';
import { isTouched, type CheckContext, type ParamsEntry } from './check-context.js';
import { checkHeldOutTraining } from './check-held-out-training.js';
import { checkTextNumbers } from './check-text-numbers.js';
import { FRAMEWORK_TRAITS, type Framework } from '../profile/param-vocabulary.js';
import { findTrainingDataChange } from './find-training-data-change.js';
import { asNotice, createFinding } from './create-finding.js';
import { folderOf, isUnderFolder } from '../model/paths.js';
import { formatNumber } from '../text/format-number.js';

/**
 * Hyperparameter checks: `params-changed` (one notice per changed file), `params-risky-change`
 * (large jumps in sensitive values, a shorter context, a new base model, evaluation turned off),
 * `params-text-number` (a number the trainer gets as a string) and `params-stale-eval` (data or
 * hyperparameters changed while a results file tied to them stayed byte-identical).
 */
export function checkParams(context: CheckContext): Finding[] {
  const findings: (Finding | undefined)[] = [];
  for (const entry of context.params) {
    // `2.0e-05` → `2e-05` is no change of value, but the trainer may now get a string.
    findings.push(checkTextNumbers(entry, context));
    if (entry.report.changes.length === 0) continue;
    findings.push(
      describeChanges(entry, context),
      ...checkRisky(entry, context),
      ...checkHeldOutTraining(entry, context),
    );
  }
  findings.push(...checkStaleEval(context));
  return findings.filter((f): f is Finding => f !== undefined);
}

function describeChanges(entry: ParamsEntry, context: CheckContext): Finding | undefined {
  const { changes, path, status } = entry.report;
  const first = changes.find((c) => c.line !== undefined);
  const verb =
    status === 'added' ? 'new file' : status === 'removed' ? 'file deleted' : `${changes.length} changed`;
  return createFinding('params-changed', context.config, {
    title: `Hyperparameters in ${path}: ${verb}`,
    details: changes.slice(0, 20).map(describeChange),
    location: { path, ...(first?.line !== undefined ? { line: first.line } : {}) },
  });
}

/** One line per change: `learning_rate: 0.0002 → 0.002`. */
export function describeChange(change: ParamChange): string {
  const show = (value: unknown): string => (value === undefined ? '∅' : JSON.stringify(value));
  switch (change.kind) {
    case 'added':
      return `${change.key}: added ${show(change.head)}`;
    case 'removed':
      return `${change.key}: removed (was ${show(change.base)})`;
    case 'renamed':
      return `${change.baseKey ?? '?'} → ${change.key}: ${show(change.base)} → ${show(change.head)}`;
    case 'changed':
      return `${change.key}: ${show(change.base)} → ${show(change.head)}`;
  }
}

interface RatioRule {
  param: CanonicalParam;
  label: string;
  factor: number;
}

function checkRisky(entry: ParamsEntry, context: CheckContext): (Finding | undefined)[] {
  const settings = context.config.checks['params-risky-change'];
  const { base, head } = entry.report.canonical;
  if (entry.report.status !== 'modified') return [];
  const lineOf = (params: readonly CanonicalParam[]): { line?: number } => {
    const change = entry.report.changes.find(
      (c) => c.line !== undefined && params.includes((c.canonical ?? c.key) as CanonicalParam),
    );
    return change?.line !== undefined ? { line: change.line } : {};
  };
  const at = (...params: CanonicalParam[]) => ({ path: entry.report.path, ...lineOf(params) });
  const findings: (Finding | undefined)[] = [];

  const rules: RatioRule[] = [
    { param: 'learning_rate', label: 'Learning rate', factor: settings['lr-factor'] },
    { param: 'num_epochs', label: 'Epochs', factor: settings['epochs-factor'] },
    { param: 'lora_r', label: 'LoRA rank', factor: settings['rank-factor'] },
    { param: 'pref_beta', label: 'Preference beta', factor: settings['beta-factor'] },
  ];
  for (const rule of rules) {
    const before = asNumber(base[rule.param] as ParamValue | undefined);
    const after = asNumber(head[rule.param] as ParamValue | undefined);
    const ratio = computeRatio(before, after);
    if (ratio === undefined || !reaches(ratio, rule.factor)) continue;
    findings.push(
      createFinding('params-risky-change', context.config, {
        title: `${rule.label} ${describeJump(before as number, after as number)} in ${entry.report.path}`,
        details: [`Jumps of ×${rule.factor} or more are flagged (checks.params-risky-change).`],
        evidence: { base: before as number, head: after as number },
        location: at(rule.param),
      }),
    );
  }

  const batchBefore = entry.report.derived.base.effectiveBatchSize;
  const batchAfter = entry.report.derived.head.effectiveBatchSize;
  const batchRatio = computeRatio(batchBefore, batchAfter);
  const lrBefore = asNumber(base.learning_rate as ParamValue | undefined);
  const lrAfter = asNumber(head.learning_rate as ParamValue | undefined);
  const sameLr = lrBefore === lrAfter;
  const batchFactor = sameLr
    ? Math.min(settings['batch-factor'], settings['batch-factor-same-lr'])
    : settings['batch-factor'];
  if (batchRatio !== undefined && reaches(batchRatio, batchFactor)) {
    const lr = lrAfter === undefined ? 'the default' : formatNumber(lrAfter);
    findings.push(
      createFinding('params-risky-change', context.config, {
        title: `Effective batch size ${describeJump(batchBefore as number, batchAfter as number)} in ${entry.report.path}${sameLr ? `, learning rate unchanged (${lr})` : ''}`,
        details: [
          entry.report.derived.head.effectiveBatchNote ?? '',
          sameLr
            ? `The learning rate usually moves with the batch size; jumps of ×${formatNumber(batchFactor)} with the same learning rate are flagged (checks.params-risky-change.batch-factor-same-lr), ×${formatNumber(settings['batch-factor'])} otherwise.`
            : 'The learning rate usually needs to move with it.',
        ].filter((line) => line !== ''),
        evidence: { base: batchBefore as number, head: batchAfter as number },
        location: at('micro_batch_size', 'gradient_accumulation_steps', 'batch_size', 'num_gpus'),
      }),
    );
  }

  const otherData = findTrainingDataChange(entry);
  const jumps =
    otherData === undefined
      ? findings
      : findings.map((finding) =>
          asNotice(
            finding && {
              ...finding,
              details: [
                `Compared with ${entry.report.comparedWith?.path ?? ''}, which trained on other data (${otherData}): a value chosen for other data, told rather than flagged.`,
                ...finding.details,
              ],
            },
          ),
        );
  return [...jumps, ...checkRiskySettings(entry, context, at)];
}

/** The sequence length cut, the base model swapped, evaluation during training turned off. */
function checkRiskySettings(
  entry: ParamsEntry,
  context: CheckContext,
  at: (...params: CanonicalParam[]) => NonNullable<Finding['location']>,
): (Finding | undefined)[] {
  const { base, head } = entry.report.canonical;
  const findings: (Finding | undefined)[] = [];
  const seqBefore = asNumber(base.max_seq_length as ParamValue | undefined);
  const seqAfter = asNumber(head.max_seq_length as ParamValue | undefined);
  if (seqBefore !== undefined && seqAfter !== undefined && seqAfter < seqBefore) {
    findings.push(
      createFinding('params-risky-change', context.config, {
        title: `Maximum sequence length cut from ${formatNumber(seqBefore)} to ${formatNumber(seqAfter)} tokens in ${entry.report.path}`,
        details: ['Longer examples will now be truncated.'],
        evidence: { base: seqBefore, head: seqAfter },
        location: at('max_seq_length'),
      }),
    );
  }

  const baseModel = base.base_model === undefined ? undefined : showValue(base.base_model);
  const headModel = head.base_model === undefined ? undefined : showValue(head.base_model);
  if (baseModel !== undefined && headModel !== undefined && baseModel !== headModel) {
    findings.push(
      createFinding('params-risky-change', context.config, {
        title: `Base model changed from ${baseModel} to ${headModel} in ${entry.report.path}`,
        details: ['Results from the old base model do not carry over; re-run every evaluation.'],
        evidence: { base: baseModel, head: headModel },
        location: at('base_model'),
      }),
    );
  }

  const evalOff = checkEvalOff(entry, context);
  if (evalOff) findings.push(evalOff);
  return findings;
}

/** The canonical evaluation settings: one that is on (or off) decides whether evaluation runs. */
const EVAL_PARAMS = ['eval_strategy', 'eval_steps', 'val_set_size', 'do_eval', 'eval_dataset'] as const;

/**
 * Evaluation during training turned off, by value (`eval_strategy: no`, `val_size: 0`, `do_eval: false`)
 * or by removal: every evaluation setting of a base that evaluated is gone from head (deleted or
 * commented out), in a framework that does not evaluate without them. The title is the same either
 * way, so a commit that does it to many configs is one grouped finding.
 */
function checkEvalOff(entry: ParamsEntry, context: CheckContext): Finding | undefined {
  const { base, head } = entry.report.canonical;
  const framework = (entry.report.framework ?? 'generic') as Framework;
  const offByValue = !isEvalOffByValue(base) && isEvalOffByValue(head);
  const written = (params: Record<string, unknown>): string[] =>
    EVAL_PARAMS.filter((param) => params[param] !== undefined && params[param] !== null);
  const offByRemoval =
    !offByValue &&
    !(FRAMEWORK_TRAITS[framework]?.evaluatesByDefault ?? false) &&
    isEvalOn(base) &&
    written(head).length === 0;
  if (!offByValue && !offByRemoval) return undefined;
  const removed = entry.report.changes
    .filter(
      (change) =>
        change.kind === 'removed' && EVAL_PARAMS.some((p) => p === (change.canonical ?? change.key)),
    )
    .map((change) => change.key);
  const line = entry.report.changes.find(
    (change) => change.line !== undefined && EVAL_PARAMS.some((p) => p === (change.canonical ?? change.key)),
  )?.line;
  return createFinding('params-risky-change', context.config, {
    title: `Evaluation during training was turned off in ${entry.report.path}`,
    details: [
      ...(offByRemoval
        ? [
            `Removed or commented out: ${(removed.length > 0 ? removed : written(base)).join(', ')}; without them the trainer does not evaluate.`,
          ]
        : []),
      'Without eval loss, overfitting cannot be seen in the training log.',
    ],
    location: { path: entry.report.path, ...(offByValue && line !== undefined ? { line } : {}) },
  });
}

function isEvalOffByValue(params: Record<string, unknown>): boolean {
  return (
    params['eval_strategy'] === 'no' ||
    params['do_eval'] === false ||
    asNumber(params['val_set_size'] as ParamValue | undefined) === 0
  );
}

/** Whether a side's settings evaluate: a strategy other than `no`, a validation split, `do_eval`, an eval dataset or eval steps. */
function isEvalOn(params: Record<string, unknown>): boolean {
  if (isEvalOffByValue(params)) return false;
  const strategy = params['eval_strategy'];
  const size = asNumber(params['val_set_size'] as ParamValue | undefined);
  return (
    (typeof strategy === 'string' && strategy !== 'no') ||
    (size !== undefined && size > 0) ||
    params['do_eval'] === true ||
    (params['eval_dataset'] !== undefined &&
      params['eval_dataset'] !== null &&
      params['eval_dataset'] !== '') ||
    asNumber(params['eval_steps'] as ParamValue | undefined) !== undefined
  );
}

/** The larger of after/before and before/after, for two positive numbers; undefined otherwise. */
function computeRatio(before: number | undefined, after: number | undefined): number | undefined {
  if (before === undefined || after === undefined || before <= 0 || after <= 0) return undefined;
  return Math.max(after / before, before / after);
}

/** `ratio ≥ factor`, forgiving floating-point crumbs: 0.0006 / 0.0002 is 2.9999999999999996, a jump of ×3. */
function reaches(ratio: number, factor: number): boolean {
  return ratio >= factor * (1 - 1e-9);
}

function describeJump(before: number, after: number): string {
  const ratio = after / before;
  const factor = ratio >= 1 ? `×${formatNumber(ratio)}` : `÷${formatNumber(1 / ratio)}`;
  return `went ${factor}: ${formatNumber(before)} → ${formatNumber(after)}`;
}

/**
 * Results files that stayed byte-identical while hyperparameters or data changed. A warning when
 * something ties the results to the change (see `isTiedToConfig`, and for data the configs that train
 * on it, or the results sitting beside it); otherwise a notice: results of another experiment say
 * nothing about this one.
 */
function checkStaleEval(context: CheckContext): (Finding | undefined)[] {
  const changedParams = context.params.filter((p) => p.report.changes.length > 0);
  const changedData = context.datasets.filter((d) => isTouched(d.report.status)).map((d) => d.report.path);
  if (changedParams.length === 0 && changedData.length === 0) return [];
  const stale = context.metrics
    .filter((m) => m.report.status === 'unchanged')
    .map((m) => {
      const results = m.report.path;
      const params = changedParams.filter((p) => isTiedToConfig(results, p)).map((p) => p.report.path);
      const data = changedData.filter((d) => isTiedToData(results, d, context));
      const tied = params.length + data.length > 0;
      const cause = tied
        ? { params, data }
        : { params: changedParams.map((p) => p.report.path), data: changedData };
      const causes = [...cause.params, ...cause.data];
      const finding = createFinding('params-stale-eval', context.config, {
        title: `${results} not re-run though ${describeCause(cause.params.length > 0, cause.data.length > 0)} changed`,
        details: [
          `Changed: ${causes.slice(0, 5).join(', ')}${causes.length > 5 ? ', …' : ''}.`,
          tied
            ? 'Its numbers describe the old setup; re-run the evaluation and commit the new results.'
            : 'A notice: nothing ties these results to the change (no changed config in their folder or project or writing to it, no config training on the changed data there), so they may be another experiment’s.',
        ],
        location: { path: results },
      });
      return tied ? finding : asNotice(finding);
    });
  return [...stale, ...checkEvaluatedModel(context)];
}

function describeCause(params: boolean, data: boolean): string {
  if (params && data) return 'hyperparameters and data';
  return params ? 'hyperparameters' : 'data';
}

/**
 * Whether a results file belongs to what a config trains: it lies in the config's folder, under the
 * folder holding it (a project's `configs/` beside its `results/`), or under the config's `output_dir`
 * on either side.
 */
function isTiedToConfig(results: string, config: ParamsEntry): boolean {
  const folder = folderOf(config.report.path);
  const project = folderOf(folder);
  const outputs = [config.base?.values.get('output_dir'), config.head?.values.get('output_dir')];
  return (
    folderOf(results) === folder ||
    isUnderFolder(results, project) ||
    outputs.some((dir) => typeof dir === 'string' && isUnderFolder(results, dir.replace(/^\.\//, '')))
  );
}

/** Whether changed data bears on a results file: a config trains on it that the results belong to, or they sit beside it. */
function isTiedToData(results: string, dataset: string, context: CheckContext): boolean {
  if (folderOf(results) === folderOf(dataset)) return true;
  const users = context.lineage.get(dataset) ?? [];
  return context.params.some((p) => users.includes(p.report.path) && isTiedToConfig(results, p));
}

/** Keys under which a training config names what it produces. */
const OUTPUT_KEYS = ['output_dir', 'hub_model_id'] as const;

/**
 * Results files that record which model they evaluated (lm-eval's `model_args: pretrained=…`) and
 * name a model the head does not train: the output the PR moved away from, or the untuned base model.
 */
function checkEvaluatedModel(context: CheckContext): (Finding | undefined)[] {
  const findings: (Finding | undefined)[] = [];
  for (const entry of context.metrics) {
    if (entry.report.status === 'removed' || !entry.head) continue;
    const evaluated = findPretrained(entry.head.evaluator.modelArgs);
    if (evaluated === undefined) continue;
    for (const params of context.params) {
      for (const key of OUTPUT_KEYS) {
        const before = params.base?.values.get(key);
        const after = params.head?.values.get(key);
        if (typeof before !== 'string' || typeof after !== 'string' || before === after) continue;
        if (sameModel(evaluated, before) && !sameModel(evaluated, after)) {
          findings.push(
            createFinding('params-stale-eval', context.config, {
              title: `${entry.report.path} evaluates ${evaluated}, the old ${key} of ${params.report.path}; head trains into ${after}`,
              details: [
                'The results describe the model this pull request no longer produces: evaluate the new output.',
              ],
              location: { path: entry.report.path },
            }),
          );
        }
      }
      const baseModel = params.report.canonical.head['base_model'];
      const trainsSomething = OUTPUT_KEYS.some((key) => typeof params.head?.values.get(key) === 'string');
      if (
        trainsSomething &&
        typeof baseModel === 'string' &&
        sameModel(evaluated, baseModel) &&
        isTouched(entry.report.status)
      ) {
        findings.push(
          createFinding('params-stale-eval', context.config, {
            title: `${entry.report.path} evaluates the base model ${evaluated}, not the model ${params.report.path} fine-tunes from it`,
            details: [
              'Results of the untuned base model say nothing about this change: evaluate the fine-tuned output.',
            ],
            location: { path: entry.report.path },
          }),
        );
      }
    }
  }
  return findings;
}

/** `pretrained=org/model,dtype=…` → `org/model`. */
function findPretrained(modelArgs: string | undefined): string | undefined {
  const match = /(?:^|,)\s*pretrained=([^,]+)/.exec(modelArgs ?? '');
  return match?.[1]?.trim();
}

/** Same model path or hub id, ignoring `./` and trailing slashes. */
function sameModel(a: string, b: string): boolean {
  const clean = (s: string): string => s.trim().replace(/^\.\//, '').replace(/\/+$/, '');
  return clean(a) === clean(b);
}

/** A hyperparameter's value as text: a string as it is, anything else (a list, a mapping) as JSON. */
function showValue(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
}
