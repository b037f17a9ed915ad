"""Pascal-Context full-label ids: ``labels.txt`` and the 59-class subset.

The official release (``trainval.tar.gz``) labels every pixel of
``trainval/<image>.mat`` (field ``LabelMap``, uint16) with an id of
``labels.txt`` (``<id>: <name>``, ids 1..459); 0 is unlabelled.

* 459-class maps (this package): the ``LabelMap`` itself, saved as a 16-bit
  PNG; ``reduce_zero_label=True`` turns id ``i`` into class ``i - 1`` and 0
  into the ignore value.
* 59-class maps (mmseg layout): id ``PC59_LABEL_IDS[k]`` -> ``k + 1``, every
  other id and 0 -> 0 (background, ignored by ``reduce_zero_label=True``).
  ``PC59_LABEL_IDS`` is ``_mapping`` of mmseg's own converter
  (``mmseg/.mim/tools/dataset_converters/pascal_context.py``) without its
  leading 0; that converter paints only these 59 categories of the PASCAL in
  Detail annotations onto zeros, so both give the same values.
"""
import os.path as osp
from typing import Tuple

import numpy as np

from ..errors import DatasetError

NUM_FULL_LABELS = 459
PC59_LABEL_IDS = (2, 9, 18, 19, 22, 23, 25, 31, 33, 34, 44, 45, 46, 59, 65, 68,
                  72, 80, 85, 98, 104, 105, 113, 115, 144, 158, 159, 162, 187,
                  189, 207, 220, 232, 258, 259, 260, 284, 295, 296, 308, 324,
                  326, 347, 349, 354, 355, 360, 366, 368, 397, 415, 416, 420,
                  424, 427, 440, 445, 454, 458)


def read_labels_txt(path: str) -> Tuple[str, ...]:
    """Names of ``labels.txt`` in id order (index ``i`` = id ``i + 1``)."""
    if not osp.isfile(path):
        raise DatasetError(f'{path} does not exist; it comes with the '
                           'Pascal-Context full-label release (trainval.tar.gz)')
    names = {}
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            idx, sep, name = line.partition(':')
            if not sep or not idx.strip().isdigit():
                raise DatasetError(f'{path}:{n}: expected "<id>: <name>", '
                                   f'got {line.strip()!r}')
            names[int(idx)] = name.strip()
    if sorted(names) != list(range(1, NUM_FULL_LABELS + 1)):
        raise DatasetError(f'{path} must list ids 1..{NUM_FULL_LABELS} once '
                           f'each; it has {len(names)} ids')
    return tuple(names[i] for i in range(1, NUM_FULL_LABELS + 1))


def full_to_59_lut() -> np.ndarray:
    """(65536,) uint8 look-up table: full-label id -> mmseg PC-59 value."""
    lut = np.zeros(65536, dtype=np.uint8)
    lut[list(PC59_LABEL_IDS)] = np.arange(1, len(PC59_LABEL_IDS) + 1)
    return lut
