"""(image, class) samples of a dataset config, for the uncertainty figures.

Shape key: H x W original image size, h x w feature resolution, F feature
channels.

The figure tools read a split of the config's dataset with its *test*
pipeline (dense labels, no augmentation; for the train split the train
pipeline would sample one binary target per image), and pair each image with
the classes of a group (seen / unseen) present in its label map.
"""
import copy
from typing import Iterator, List, Sequence, Tuple

import mmcv
import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS
from torch import Tensor

from ..errors import ConfigError, DatasetError

SPLITS = ('train', 'val', 'test')
GROUPS = ('seen', 'unseen', 'all')


def build_split_dataset(cfg: Config, split: str = 'val'):
    """The dataset of ``cfg.<split>_dataloader`` with the test pipeline.

    Dataset wrappers with one ``dataset`` (e.g. ``RepeatDataset``) are
    unwrapped.
    """
    if split not in SPLITS:
        raise ConfigError(f'split must be one of {SPLITS}, got {split!r}')
    loader = cfg.get(f'{split}_dataloader')
    if not loader or 'dataset' not in loader:
        raise ConfigError(f'the config has no {split}_dataloader.dataset')
    dataset = copy.deepcopy(loader['dataset'])
    while 'dataset' in dataset:
        dataset = dataset['dataset']
    if split == 'train':
        pipeline = cfg.get('test_pipeline') or cfg.get(
            'val_dataloader', {}).get('dataset', {}).get('pipeline')
        if not pipeline:
            raise ConfigError('the config has no test_pipeline to read the '
                              'train split with')
        dataset['pipeline'] = copy.deepcopy(pipeline)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    return DATASETS.build(dataset)


def group_class_ids(metainfo: dict, group: str) -> List[int]:
    """Indices into ``metainfo['classes']`` of the seen / unseen / all
    (seen + unseen) classes."""
    if group not in GROUPS:
        raise ConfigError(f'group must be one of {GROUPS}, got {group!r}')
    classes = list(metainfo['classes'])
    names = []
    for part in (('seen', 'unseen') if group == 'all' else (group, )):
        key = f'{part}_classes'
        if key not in metainfo:
            raise DatasetError(f'the dataset has no {key} in its metainfo; '
                               'use a zero-shot dataset (with a split)')
        names += list(metainfo[key])
    return sorted(classes.index(n) for n in names)


def sample_order(num_images: int, shuffle: bool, seed: int) -> np.ndarray:
    """Image indices in dataset order, or shuffled by ``seed``."""
    order = np.arange(num_images)
    if shuffle:
        np.random.default_rng(seed).shuffle(order)
    return order


def image_and_label(item: dict) -> Tuple[np.ndarray, np.ndarray, str]:
    """``(image RGB (H, W, 3), label map (H, W), path)`` of a test-pipeline
    output, the label at the original image size."""
    sample = item['data_samples']
    path = sample.metainfo['img_path']
    image = mmcv.imread(path, channel_order='rgb')
    label = sample.gt_sem_seg.data[0].numpy()
    if label.shape != image.shape[:2]:  # a pipeline that resized the label
        label = mmcv.imresize(label, image.shape[1::-1],
                              interpolation='nearest')
    return image, label, path


def present_classes(label: np.ndarray, class_ids: Sequence[int],
                    min_pixels: int = 1) -> List[int]:
    """The ``class_ids`` covering at least ``min_pixels`` of ``label``."""
    counts = np.bincount(label.ravel().astype(np.int64),
                         minlength=max(class_ids, default=0) + 1)
    return [c for c in class_ids if counts[c] >= min_pixels]


def region_weights(label: np.ndarray, class_ids: Sequence[int],
                   meta: dict, size: Tuple[int, int]) -> Tensor:
    """Each class's region as (K, h, w) area weights on the feature grid.

    The label (original size) is resized to the network input's
    ``img_shape``, zero-padded to its ``pad_shape`` (the data preprocessor
    pads bottom / right) and area-pooled to the feature size, so that a
    weight is the fraction of a feature cell the class covers.
    """
    img_h, img_w = meta['img_shape'][:2]
    pad_h, pad_w = meta.get('pad_shape', meta['img_shape'])[:2]
    label = mmcv.imresize(label, (img_w, img_h), interpolation='nearest')
    masks = torch.stack([torch.from_numpy(label == c) for c in class_ids])
    masks = F.pad(masks.float(), (0, pad_w - img_w, 0, pad_h - img_h))
    return F.interpolate(masks[None], size=size, mode='area')[0]


def iter_items(dataset, order: Sequence[int]) -> Iterator[Tuple[int, dict]]:
    """``(index, pipeline output)`` in ``order``."""
    for idx in order:
        yield int(idx), dataset[int(idx)]
