from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

from ...errors import ConfigError

BINARY_IGNORE = 255


@TRANSFORMS.register_module()
class SampleZeroShotTarget(BaseTransform):
    """Pick one *seen* class present in the image; binarise the label map.

    A training sample of the paper (§3, Fig. 2) is an image, one class tag
    and that class's binary mask. The tag is drawn uniformly among the seen
    classes present in the (already augmented) label map, so an unseen class
    can never become a target. ``gt_seg_map`` becomes: 1 = target class,
    0 = any other labelled pixel (seen, unseen or unevaluated class),
    255 = ignore. Returns ``None`` when no seen class is left (e.g. a crop
    of unseen pixels only): mmengine's dataset then draws another image.

    Put it after every geometric/photometric transform (crop, flip, ...)
    and before ``PackZeroShotInputs``. Place ``RandomCrop`` with
    ``cat_max_ratio`` before it so that crops rarely lose every seen class.

    Required keys: ``gt_seg_map`` (H, W) dense labels, ``seen_labels``
    (label values of the seen classes; set by the zero-shot datasets),
    optional ``ignore_index`` (default 255).
    Modified keys: ``gt_seg_map`` (H, W) uint8 in {0, 1, 255}.
    Added keys: ``target_class`` (int, index into the dataset's classes).

    Args:
        min_pixels (int): a class must cover at least this many pixels of the
            augmented map to be drawn. Default 1.
        absent_prob (float): probability of drawing instead a seen class
            absent from the image, with an all-zero mask (PAPER_NOTES 7; the
            paper does not mention it). Default 0 (off).
    """

    def __init__(self, min_pixels: int = 1, absent_prob: float = 0.0) -> None:
        if min_pixels < 1:
            raise ConfigError(f'min_pixels must be >= 1, got {min_pixels}')
        if not 0.0 <= absent_prob <= 1.0:
            raise ConfigError(f'absent_prob must be in [0, 1], got '
                              f'{absent_prob}')
        self.min_pixels = min_pixels
        self.absent_prob = absent_prob

    def transform(self, results: dict) -> Optional[dict]:
        if 'seen_labels' not in results:
            raise ConfigError(
                'SampleZeroShotTarget needs `seen_labels` in the results: use '
                'a zero-shot dataset (e.g. ZeroShotPascalContext59Dataset)')
        gt = results['gt_seg_map']
        ignore = results.get('ignore_index', BINARY_IGNORE)
        seen = np.asarray(results['seen_labels'], dtype=np.int64)
        values, counts = np.unique(gt, return_counts=True)
        keep = (values != ignore) & (counts >= self.min_pixels)
        candidates = np.intersect1d(values[keep].astype(np.int64), seen)

        target = None
        if self.absent_prob > 0 and np.random.rand() < self.absent_prob:
            absent = np.setdiff1d(seen, values.astype(np.int64))
            if absent.size:
                target = int(absent[np.random.randint(absent.size)])
        if target is None:
            if candidates.size == 0:
                return None
            target = int(candidates[np.random.randint(candidates.size)])

        mask = (gt == target).astype(np.uint8)
        mask[gt == ignore] = BINARY_IGNORE
        results['gt_seg_map'] = mask
        results['target_class'] = target
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(min_pixels={self.min_pixels}, '
                f'absent_prob={self.absent_prob})')
