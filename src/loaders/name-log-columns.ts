/**
 * Columns that hold the per-step training loss, in order of preference: the plain name, then the names
 * PyTorch Lightning writes (`train_loss`, or `train_loss_step` when the loss is logged both per step and per
 * epoch) and NeMo's `reduced_train_loss` (the loss averaged over data-parallel ranks).
 */
const TRAIN_LOSS = ['loss', 'train_loss', 'train_loss_step', 'reduced_train_loss'];

/**
 * Columns that hold the held-out loss, in order of preference: HF's `eval_loss`, then Lightning's and
 * NeMo's `val_loss` (`validation_loss`, or `val_loss_epoch` when logged per step too).
 */
const EVAL_LOSS = ['eval_loss', 'val_loss', 'validation_loss', 'val_loss_epoch'];

/**
 * Maps the header of a CSV training log to the keys of HF's `log_history`, so one reader takes them all:
 * `train/x` → `x` and `eval/x` or `val/x` → `eval_x` (W&B and Lightning names with a slash); the first
 * train-loss column present (`loss`, `train_loss`, `train_loss_step`, `reduced_train_loss`) → `loss`; the
 * first held-out loss column (`eval_loss`, `val_loss`, `validation_loss`, `val_loss_epoch`) → `eval_loss`;
 * `val_<name>_loss` → `eval_<name>_loss`. Other loss columns of the same kind (Lightning's per-epoch
 * means `train_loss_epoch`, a second spelling) are left out (`undefined`), and so is every column
 * mapped to a key an earlier column already took.
 * @example nameLogColumns(['epoch', 'step', 'train_loss_step', 'train_loss_epoch', 'val_loss'])
 * // ['epoch', 'step', 'loss', undefined, 'eval_loss']
 */
export function nameLogColumns(header: readonly string[]): (string | undefined)[] {
  const names = header.map((name) => {
    const lower = name.trim().toLowerCase();
    if (lower.startsWith('train/')) return lower.slice('train/'.length);
    if (lower.startsWith('eval/')) return `eval_${lower.slice('eval/'.length)}`;
    if (lower.startsWith('val/')) return `eval_${lower.slice('val/'.length)}`;
    return lower;
  });
  const trainLoss = TRAIN_LOSS.find((name) => names.includes(name));
  const evalLoss = EVAL_LOSS.find((name) => names.includes(name));
  const taken = new Set<string>();
  return names.map((name) => {
    const key = renameColumn(name, trainLoss, evalLoss);
    if (key === undefined || taken.has(key)) return undefined;
    taken.add(key);
    return key;
  });
}

function renameColumn(
  name: string,
  trainLoss: string | undefined,
  evalLoss: string | undefined,
): string | undefined {
  if (name === trainLoss) return 'loss';
  if (name === evalLoss) return 'eval_loss';
  if (TRAIN_LOSS.includes(name) || EVAL_LOSS.includes(name) || name === 'train_loss_epoch') return undefined;
  const named = /^val(?:idation)?_(.+)_loss$/.exec(name);
  return named ? `eval_${named[1] ?? ''}_loss` : name;
}
