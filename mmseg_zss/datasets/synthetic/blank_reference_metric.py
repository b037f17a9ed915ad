"""ZeroShotIoUMetric that also reports the paper's "Blank" reference.

Shape key: k = evaluated classes present in one image, N = valid pixels.

Blank (paper Tables 1-2) predicts every pixel as foreground for every test
pair. Under the paper protocol a pair (image, present class c) then has
intersection |gt_c| and union N, so Blank's IoU_c = sum |gt_c| / sum N over
the pairs of c: the mean foreground fraction, which is what a model must
clearly beat to show that it segments at all. Reporting it from the same
validation pass guarantees that it is computed on exactly the same pairs.
"""
from collections import OrderedDict
from typing import Dict

import numpy as np
from mmseg.registry import METRICS

from ...evaluation import ZeroShotIoUMetric


@METRICS.register_module()
class ZeroShotIoUBlankMetric(ZeroShotIoUMetric):
    """:class:`ZeroShotIoUMetric` + ``blank.mIoU`` / ``_seen`` / ``_unseen`` /
    ``hIoU`` (every pixel foreground, paper protocol) and ``unseen_vs_blank``
    (the model's unseen mIoU divided by Blank's). Same arguments."""

    def _image_stats(self, logits, pred, gt, sample) -> dict:
        stats = super()._image_stats(logits, pred, gt, sample)
        labels = gt.long()[gt != self._ignore]  # (N,)
        present = np.asarray(stats['present'])  # (k,)
        counts = np.bincount(labels.cpu().numpy(), minlength=len(self._classes))
        stats['blank_inter'] = counts[present]
        stats['blank_union'] = np.full(present.shape, labels.numel(), np.int64)
        return stats

    def compute_metrics(self, results: list) -> Dict[str, float]:
        metrics = super().compute_metrics(results)
        if self.format_only:
            return metrics
        n = len(self._classes)
        inter, union = np.zeros(n, np.int64), np.zeros(n, np.int64)
        for r in results:
            np.add.at(inter, r['present'], r['blank_inter'])
            np.add.at(union, r['present'], r['blank_union'])
        with np.errstate(divide='ignore', invalid='ignore'):
            iou = np.where(union > 0, inter / union, np.nan)
        out = OrderedDict(metrics)
        out.update(self._summarise(iou, 'blank.'))
        blank = out['blank.mIoU_unseen']
        out['unseen_vs_blank'] = round(out['mIoU_unseen'] / blank, 2) \
            if blank > 0 else float('nan')
        return out
