import { describe, expect, it } from '@jest/globals';
import { nameLogColumns } from '../../src/loaders/name-log-columns.js';

describe('nameLogColumns', () => {
  it.each([
    // HF-style CSV: kept as written.
    [
      ['step', 'loss', 'eval_loss', 'eval_ood_loss'],
      ['step', 'loss', 'eval_loss', 'eval_ood_loss'],
    ],
    // A plain train_loss is the per-step loss unless `loss` is there too.
    [
      ['step', 'train_loss'],
      ['step', 'loss'],
    ],
    [
      ['step', 'loss', 'train_loss'],
      ['step', 'loss', undefined],
    ],
    // W&B names.
    [
      ['train/global_step', 'train/loss', 'eval/loss'],
      ['global_step', 'loss', 'eval_loss'],
    ],
    // PyTorch Lightning's CSVLogger with on_step and on_epoch: the per-step loss, never the epoch mean.
    [
      ['epoch', 'step', 'train_loss_epoch', 'train_loss_step', 'val_loss'],
      ['epoch', 'step', undefined, 'loss', 'eval_loss'],
    ],
    // Lightning's slash names and a named validation loss.
    [
      ['epoch', 'step', 'train/loss', 'val/loss', 'val_ood_loss'],
      ['epoch', 'step', 'loss', 'eval_loss', 'eval_ood_loss'],
    ],
    // NeMo's loss averaged over data-parallel ranks.
    [
      ['epoch', 'step', 'reduced_train_loss', 'val_loss', 'lr'],
      ['epoch', 'step', 'loss', 'eval_loss', 'lr'],
    ],
    // A validation loss logged per step and per epoch: the epoch value.
    [
      ['step', 'val_loss_step', 'val_loss_epoch'],
      ['step', 'val_loss_step', 'eval_loss'],
    ],
    // The same key twice: the first column wins.
    [
      ['step', 'Loss', 'loss'],
      ['step', 'loss', undefined],
    ],
  ])('%j → %j', (header, keys) => {
    expect(nameLogColumns(header)).toEqual(keys);
  });
});
