"""What every zero-shot dataset adds to an mmseg dataset.

Mixed in front of an mmseg dataset class (``class X(ZeroShotDatasetMixin,
PascalContextDataset59)``), it

* loads a split (``split=`` shipped name or JSON path) and puts
  ``seen_classes`` / ``unseen_classes`` (names), ``split``, ``class_groups``
  and ``ignore_index`` into ``metainfo``; ``classes`` stays the full class
  list in label order (label value ``i`` = ``classes[i]``);
* gives the pipeline ``seen_labels``, ``num_classes`` and ``ignore_index``
  with every sample (for ``SampleZeroShotTarget`` / ``LoadZeroShotAnnotations``);
* refuses images without a label map at construction;
* optionally drops every training image that contains an unseen class
  (``exclude_unseen_images=True``, paper Fig. 3c), exactly: each label map
  is read once (progress bar; ``presence_cache=`` keeps the result).
"""
import os.path as osp
from typing import Optional

import numpy as np
from mmengine.logging import print_log

from ..errors import DatasetError
from .class_names import get_classes
from .label_io import scan_class_presence
from .zero_shot_split import load_split


class ZeroShotDatasetMixin:
    """Zero-shot split handling for an mmseg ``BaseSegDataset`` subclass.

    Args:
        split (str, optional): shipped split name, or split JSON path
            (absolute, relative to the working directory or to
            ``data_root``). None: every class is seen (closed-set).
        exclude_unseen_images (bool): training only; drop every image whose
            label map contains an unseen class, and images with no seen
            class. Default False.
        presence_cache (str, optional): JSON file caching which classes each
            label map contains (used by ``exclude_unseen_images``).
        **kwargs: the mmseg dataset's arguments.
    """

    #: key of :func:`mmseg_zss.datasets.get_classes` for this dataset
    CLASS_LIST = ''

    def __init__(self,
                 *args,
                 split: Optional[str] = None,
                 exclude_unseen_images: bool = False,
                 presence_cache: Optional[str] = None,
                 **kwargs) -> None:
        classes = get_classes(self.CLASS_LIST)
        given = (kwargs.get('metainfo') or {}).get('classes')
        if given is not None and tuple(given) != tuple(classes):
            raise DatasetError(
                f'{type(self).__name__} keeps the full {self.CLASS_LIST} class'
                ' list; choose seen/unseen classes with split=, not '
                'metainfo.classes')
        if split and not osp.isfile(split) and kwargs.get('data_root') and \
                osp.isfile(osp.join(kwargs['data_root'], split)):
            split = osp.join(kwargs['data_root'], split)  # data_root-relative
        self.split = load_split(split, self.CLASS_LIST) if split else None
        seen = self.split.seen_classes if self.split else classes
        unseen = self.split.unseen_classes if self.split else ()
        order = {c: i for i, c in enumerate(classes)}
        self.seen_labels = np.array(sorted(order[c] for c in seen), np.int64)
        self.unseen_labels = np.array(sorted(order[c] for c in unseen),
                                      np.int64)
        self.exclude_unseen_images = exclude_unseen_images
        self.presence_cache = presence_cache
        super().__init__(*args, **kwargs)
        self._metainfo.update(
            seen_classes=tuple(classes[i] for i in self.seen_labels),
            unseen_classes=tuple(classes[i] for i in self.unseen_labels),
            split=self.split.name if self.split else None,
            class_groups=dict(self.split.groups) if self.split else {},
            ignore_index=self.ignore_index)

    def load_data_list(self):
        img_dir = self.data_prefix.get('img_path', '')
        if self.ann_file and not osp.isfile(self.ann_file):
            raise DatasetError(f'image list {self.ann_file} does not exist; '
                               'see docs/datasets.md for the expected tree')
        if img_dir and not osp.isdir(img_dir):
            raise DatasetError(f'image folder {img_dir} does not exist; see '
                               'docs/datasets.md for the expected tree')
        data_list = super().load_data_list()
        if not data_list:
            raise DatasetError(f'no images found for {type(self).__name__} '
                               f'(ann_file={self.ann_file!r}, '
                               f'img_path={img_dir!r})')
        if self.backend_args is None:  # local files: checking costs a stat
            missing = [d for d in data_list
                       if not osp.isfile(d.get('seg_map_path', ''))]
            if missing:
                raise DatasetError(
                    f'{len(missing)} of {len(data_list)} images have no label'
                    f' map, e.g. {missing[0].get("seg_map_path")} for '
                    f'{missing[0]["img_path"]}; check data_prefix.'
                    'seg_map_path or run the dataset converter')
        return data_list

    def filter_data(self):
        data_list = super().filter_data()
        if self.test_mode or not self.exclude_unseen_images:
            return data_list
        presence = scan_class_presence(
            [d['seg_map_path'] for d in data_list],
            dict(reduce_zero_label=self.reduce_zero_label,
                 ignore_index=self.ignore_index,
                 label_map=self.label_map,
                 num_classes=len(self._metainfo['classes']),
                 backend_args=self.backend_args),
            cache_file=self.presence_cache)
        with_unseen = [np.intersect1d(v, self.unseen_labels).size > 0
                       for v in presence]
        with_seen = [np.intersect1d(v, self.seen_labels).size > 0
                     for v in presence]
        kept = [d for d, u, s in zip(data_list, with_unseen, with_seen)
                if s and not u]
        print_log(
            f'{type(self).__name__}: exclude_unseen_images keeps '
            f'{len(kept)} of {len(data_list)} images ({sum(with_unseen)} '
            f'contain an unseen class, {len(presence) - sum(with_seen)} no '
            'seen class)', logger='current')
        if not kept:
            raise DatasetError('exclude_unseen_images left no training image')
        return kept

    def get_data_info(self, idx: int) -> dict:
        info = super().get_data_info(idx)
        info['seen_labels'] = self.seen_labels
        info['num_classes'] = len(self._metainfo['classes'])
        info['ignore_index'] = self.ignore_index
        return info
