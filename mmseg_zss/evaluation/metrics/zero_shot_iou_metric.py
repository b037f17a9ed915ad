"""Zero-shot IoU: the paper's per-class binary protocol + generalized mIoU.

Shape key: C = classes of the dataset, E = evaluated classes (seen +
unseen of the split), k = evaluated classes present in one image's ground
truth, H x W = label map, N = valid (non-ignored) pixels.

Paper protocol (§4.1, PAPER_NOTES 8): a test pair is (image, class present
in its ground truth). Its prediction is sigmoid(mu_c) > 0.5, i.e. logit
mu_c > 0, compared with the binary ground truth over valid pixels;
intersection and union are summed per class over all its pairs, and
IoU_c = I_c / U_c. A class that is in no test image has no pair: its IoU is
NaN ("absent") and it is left out of every mean.

Generalized (dense) protocol (Table 2 right): per pixel, the argmax over
the E evaluated classes; the usual per-class IoU over pixels whose ground
truth is an evaluated class. A class absent from every ground truth is NaN
here too (mmseg's IoUMetric would report 0 for it if it was predicted).

Means: mIoU over all evaluated / seen / unseen classes, hIoU = harmonic
mean of seen and unseen mIoU; optional named class groups (PC-215 IMN+ /
IMN-). All values are percentages rounded to 2 decimals, like mmseg.
"""
import math
import os.path as osp
from collections import OrderedDict
from typing import Dict, Optional, Sequence

import numpy as np
import torch
from mmengine.dist import is_main_process
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger, print_log
from mmengine.utils import mkdir_or_exist
from mmseg.registry import METRICS
from PIL import Image
from prettytable import PrettyTable

from ...errors import ConfigError, DatasetError


def _nanmean(values: np.ndarray) -> float:
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else float('nan')


def harmonic_mean(seen: float, unseen: float) -> float:
    """2su / (s + u); NaN if either is NaN, 0 if both are 0."""
    if math.isnan(seen) or math.isnan(unseen):
        return float('nan')
    return 0.0 if seen + unseen == 0 else 2 * seen * unseen / (seen + unseen)


@METRICS.register_module()
class ZeroShotIoUMetric(BaseMetric):
    """Zero-shot segmentation metric (paper §4.1 + generalized mIoU).

    ``dataset_meta`` must hold ``classes``; ``seen_classes`` /
    ``unseen_classes`` (names; the zero-shot datasets set them) choose the
    evaluated classes and default to all classes seen. ``process`` reads
    ``seg_logits`` (C, H, W) logits of every class and ``gt_sem_seg``
    (1, H, W) dense labels of each data sample.

    Result keys: ``mIoU``, ``mIoU_seen``, ``mIoU_unseen``, ``hIoU`` (paper
    protocol), ``gzsl.mIoU``, ``gzsl.mIoU_seen``, ``gzsl.mIoU_unseen``,
    ``gzsl.hIoU`` (argmax protocol) and ``mIoU_<group>`` /
    ``gzsl.mIoU_<group>`` per class group.

    Args:
        ignore_index (int, optional): label value to ignore. None: the
            dataset's ``metainfo['ignore_index']``, else 255.
        threshold (float): sigmoid probability above which a pixel is the
            class (paper: 0.5, i.e. logit > 0). Default 0.5.
        class_groups (dict, optional): {group name: class names}; added to
            ``metainfo['class_groups']`` (the PC-215 split ships IMN+/IMN-).
        output_dir (str, optional): write each image's argmax prediction as
            a PNG there (label values, +1 when ``reduce_zero_label``, 16-bit
            when needed), like mmseg's ``IoUMetric``.
        keep_results (bool): accepted for ``tools/test.py --out``; the PNGs
            in ``output_dir`` are always kept.
        format_only (bool): only write predictions, compute nothing.
        collect_device (str): 'cpu' or 'gpu' for distributed collection.
        prefix (str, optional): metric name prefix.
    """

    def __init__(self,
                 ignore_index: Optional[int] = None,
                 threshold: float = 0.5,
                 class_groups: Optional[Dict[str, Sequence[str]]] = None,
                 output_dir: Optional[str] = None,
                 keep_results: bool = False,
                 format_only: bool = False,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if not 0.0 < threshold < 1.0:
            raise ConfigError(f'threshold is a probability in (0, 1), got '
                              f'{threshold}')
        if format_only and not output_dir:
            raise ConfigError('format_only=True needs an output_dir')
        self.ignore_index = ignore_index
        self.threshold = threshold
        self.logit_threshold = math.log(threshold / (1.0 - threshold))
        self.class_groups = dict(class_groups or {})
        self.output_dir = output_dir
        self.keep_results = keep_results
        self.format_only = format_only
        if output_dir and is_main_process():
            mkdir_or_exist(output_dir)

    # -- dataset-dependent settings ---------------------------------------
    def _setup(self):
        meta = self.dataset_meta or {}
        if 'classes' not in meta:
            raise ConfigError('ZeroShotIoUMetric needs dataset_meta.classes '
                              '(set by the dataset)')
        classes = tuple(meta['classes'])
        unseen = set(meta.get('unseen_classes') or ())
        seen = set(meta.get('seen_classes') or set(classes) - unseen)
        for name in sorted((seen | unseen) - set(classes)):
            raise ConfigError(f'split class {name!r} is not in the dataset')
        self._classes = classes
        self._is_seen = np.array([c in seen for c in classes])
        self._is_unseen = np.array([c in unseen for c in classes])
        self._eval_ids = torch.tensor(
            np.flatnonzero(self._is_seen | self._is_unseen))
        self._is_eval = torch.zeros(len(classes), dtype=torch.bool)
        self._is_eval[self._eval_ids] = True
        self._ignore = self.ignore_index if self.ignore_index is not None \
            else meta.get('ignore_index', 255)
        groups = dict(meta.get('class_groups') or {})
        groups.update(self.class_groups)
        order = {c: i for i, c in enumerate(classes)}
        for group, names in groups.items():
            for name in names:
                if name not in order:
                    raise ConfigError(f'class group {group}: {name!r} is not'
                                      ' a class of the dataset')
        self._groups = {g: np.array([order[n] for n in names], np.int64)
                        for g, names in groups.items()}
        self._ready_for = meta

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        """Accumulate per-image counts (only classes the image involves)."""
        if getattr(self, '_ready_for', None) is not self.dataset_meta:
            self._setup()
        for sample in data_samples:
            logits = sample['seg_logits']['data']
            if logits.dim() != 3 or logits.shape[0] != len(self._classes):
                raise ConfigError(
                    f'seg_logits of {sample.get("img_path")} have shape '
                    f'{tuple(logits.shape)}; expected (C={len(self._classes)},'
                    ' H, W): one logit map per dataset class')
            pred = self._argmax(logits)
            if self.output_dir:
                self._write_prediction(pred, sample)
            if not self.format_only:
                gt = sample['gt_sem_seg']['data'].squeeze(0).to(logits.device)
                self.results.append(self._image_stats(logits, pred, gt, sample))

    def _argmax(self, logits: torch.Tensor) -> torch.Tensor:
        """(H, W) class index of the highest logit among evaluated classes."""
        if len(self._eval_ids) == len(self._classes):
            return logits.argmax(0)
        ids = self._eval_ids.to(logits.device)
        return ids[logits.index_select(0, ids).argmax(0)]

    def _image_stats(self, logits, pred, gt, sample) -> dict:
        if gt.shape != logits.shape[1:]:
            raise ConfigError(
                f'{sample.get("img_path")}: logits {tuple(logits.shape[1:])} '
                f'and ground truth {tuple(gt.shape)} differ in size')
        gt = gt.long()
        valid = gt != self._ignore
        labels = gt[valid]  # (N,)
        bad = labels[(labels < 0) | (labels >= len(self._classes))]
        if bad.numel():
            raise DatasetError(
                f'label map {sample.get("seg_map_path")} holds value '
                f'{int(bad[0])}, not a class (0..{len(self._classes) - 1}) '
                f'nor ignore ({self._ignore})')
        is_eval = self._is_eval.to(gt.device)[labels]
        present = torch.unique(labels[is_eval])  # (k,)

        # paper protocol: one binary decision map per present class
        scores = logits.index_select(0, present)[:, valid]  # (k, N)
        hit = scores > self.logit_threshold
        truth = labels[None] == present[:, None]
        inter = (hit & truth).sum(1)
        union = (hit | truth).sum(1)

        # generalized protocol: argmax over evaluated classes
        p, t = pred[valid][is_eval], labels[is_eval]
        n = len(self._classes)
        gz = torch.stack([
            torch.bincount(t[p == t], minlength=n),
            torch.bincount(p, minlength=n),
            torch.bincount(t, minlength=n)])  # (3, C): inter, pred, label
        nz = torch.nonzero(gz.sum(0)).squeeze(1)
        return dict(
            present=present.cpu().numpy(),
            inter=inter.cpu().numpy(), union=union.cpu().numpy(),
            gz_ids=nz.cpu().numpy(), gz=gz[:, nz].cpu().numpy())

    def _write_prediction(self, pred: torch.Tensor, sample: dict) -> None:
        out = pred.cpu().numpy().astype(np.int64)
        if sample.get('reduce_zero_label', False):
            out = out + 1
        dtype = np.uint8 if out.max(initial=0) < 256 else np.uint16
        name = osp.splitext(osp.basename(sample['img_path']))[0]
        Image.fromarray(out.astype(dtype)).save(
            osp.join(self.output_dir, name + '.png'))

    # -- reduction ------------------------------------------------------------
    def compute_metrics(self, results: list) -> Dict[str, float]:
        logger: MMLogger = MMLogger.get_current_instance()
        if self.format_only:
            logger.info(f'predictions are saved to {self.output_dir}')
            return OrderedDict()
        if getattr(self, '_ready_for', None) is not self.dataset_meta:
            self._setup()
        n = len(self._classes)
        inter, union, pairs = (np.zeros(n, np.int64) for _ in range(3))
        gz = np.zeros((3, n), np.int64)
        for r in results:
            np.add.at(inter, r['present'], r['inter'])
            np.add.at(union, r['present'], r['union'])
            np.add.at(pairs, r['present'], 1)
            np.add.at(gz, (slice(None), r['gz_ids']), r['gz'])
        with np.errstate(divide='ignore', invalid='ignore'):
            iou = np.where(union > 0, inter / union, np.nan)
            gz_union = gz[1] + gz[2] - gz[0]
            gz_iou = np.where(gz[2] > 0, gz[0] / gz_union, np.nan)
        metrics = OrderedDict()
        for prefix, values in (('', iou), ('gzsl.', gz_iou)):
            metrics.update(self._summarise(values, prefix))
        self._log_table(iou, gz_iou, pairs, logger)
        return metrics

    def _summarise(self, iou: np.ndarray, prefix: str) -> Dict[str, float]:
        is_eval = self._is_eval.numpy()
        seen = _nanmean(iou[self._is_seen])
        unseen = _nanmean(iou[self._is_unseen])
        out = {
            'mIoU': _nanmean(iou[is_eval]),
            'mIoU_seen': seen,
            'mIoU_unseen': unseen,
            'hIoU': harmonic_mean(seen, unseen),
        }
        for group, ids in self._groups.items():
            out[f'mIoU_{group}'] = _nanmean(iou[ids])
        return {prefix + k: round(v * 100, 2) for k, v in out.items()}

    def _log_table(self, iou, gz_iou, pairs, logger) -> None:
        table = PrettyTable()
        ids = self._eval_ids.numpy()
        table.add_column('Class', [self._classes[i] for i in ids])
        table.add_column('Split', ['seen' if self._is_seen[i] else 'unseen'
                                   for i in ids])
        table.add_column('Images', pairs[ids].tolist())
        table.add_column('IoU', np.round(iou[ids] * 100, 2).tolist())
        table.add_column('gzsl IoU', np.round(gz_iou[ids] * 100, 2).tolist())
        print_log('per class results (IoU: sigmoid > '
                  f'{self.threshold} per class present; gzsl: argmax):',
                  logger)
        print_log('\n' + table.get_string(), logger=logger)
        absent = [self._classes[i] for i in ids if pairs[i] == 0]
        if absent:
            print_log(f'{len(absent)} classes are absent from the test '
                      f'ground truth (IoU nan, not averaged): '
                      f'{", ".join(absent)}', logger=logger)
