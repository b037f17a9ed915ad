"""A stand-in for the user's ``data/`` tree and tiny ZSS-Shapes runs.

:func:`write_standin_data` writes, under ``root``, what the paper configs
(``configs/zss``, ``configs/baselines``, ``configs/ablations``) read, in the
real on-disk layouts but tiny:

* ``data/VOCdevkit/VOC2010``: one set of images with both the 59-class maps
  (``SegmentationClassContext``, uint8, mmseg's values) and the full-label
  maps (``SegmentationClassContext459``, 16-bit labels.txt ids) derived from
  the same drawing, the image lists, and the PC-215 split computed from the
  validation maps by the PC-215 rule at the path the configs name;
* ``data/ade/ADEChallengeData2016``: ADE20K's tree (uint8, 0 = other);
* ``data/embeddings/{word2vec,fasttext}/<class list>.npy`` (+ ``.json``):
  random 300-d unit rows, where the configs expect the files the user builds
  with ``tools/build_class_embeddings.py``.

Every other training image holds seen classes only (of the K=30 / K=75 /
PC-215 splits), so that ``exclude_unseen_images=True`` (Fig. 3c) keeps some.
"""
import os
import os.path as osp

import mmengine.config.utils as config_utils
import numpy as np
from fixture_data import write_image
from fixture_datasets import full_label_pool, rect_label_map
from fixture_embeddings import write_class_embeddings
from mmengine.config import Config
from PIL import Image

from mmseg_zss.datasets import get_classes, save_split
from mmseg_zss.datasets.full_label_split import make_pascal_context_215_split
from mmseg_zss.datasets.pascal_context_labels import PC59_LABEL_IDS
from mmseg_zss.datasets.zero_shot_split import load_split

REPO_CONFIGS = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))),
                        'configs')
VOC = 'data/VOCdevkit/VOC2010'
ADE = 'data/ade/ADEChallengeData2016'
PC215_SPLIT = 'zss_splits/pascal_context_215_unseen156.json'
EMBED_DIM = 300
CLASS_LISTS = ('pascal_context_59', 'pascal_context_459', 'ade20k_150')


def seen_values(split, offset=1):
    """Label values (index + ``offset``) of a shipped split's seen classes."""
    zs = load_split(split)
    return np.array(zs.indices(zs.seen_classes)) + offset


def _write_list(path, names):
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write('\n'.join(names) + '\n')


def write_pascal_context(root, num_train, num_val, size, rng):
    """VOC2010 with 59- and 459-class maps of the same images + PC-215."""
    voc = osp.join(root, VOC)
    for sub in ('JPEGImages', 'SegmentationClassContext',
                'SegmentationClassContext459'):
        os.makedirs(osp.join(voc, sub), exist_ok=True)
    pool = np.concatenate([full_label_pool(num_other=8), [0]])
    # validation: mostly the 8 other classes, so that some are in >= 2
    # images and the PC-215 rule finds unseen classes
    others = np.setdiff1d(pool, PC59_LABEL_IDS)
    val_pool = np.concatenate([others, PC59_LABEL_IDS[:4]])
    seen_ids = np.array(PC59_LABEL_IDS)[seen_values(
        'pascal_context_59_unseen30', offset=0)]
    to59 = np.zeros(65536, np.uint8)
    to59[list(PC59_LABEL_IDS)] = np.arange(1, 60)
    names, counts = {'train': [], 'val': []}, np.zeros(459, np.int64)
    for i in range(num_train + num_val):
        split = 'train' if i < num_train else 'val'
        name = f'2010_{i:06d}'
        names[split].append(name)
        write_image(osp.join(voc, 'JPEGImages', name + '.jpg'), rng, size)
        draw = val_pool if split == 'val' else (
            seen_ids if i % 2 == 0 else pool)
        full = rect_label_map(rng, size, draw, num_rects=6).astype(np.uint16)
        Image.fromarray(full).save(
            osp.join(voc, 'SegmentationClassContext459', name + '.png'))
        Image.fromarray(to59[full]).save(
            osp.join(voc, 'SegmentationClassContext', name + '.png'))
        if split == 'val':
            present = np.unique(full[full > 0]).astype(np.int64)
            counts[present - 1] += 1
    for split, items in names.items():
        _write_list(osp.join(voc, 'ImageSets', 'SegmentationContext',
                             split + '.txt'), items)
    save_split(make_pascal_context_215_split(counts),
               osp.join(voc, PC215_SPLIT))


def write_ade20k(root, num_train, num_val, size, rng):
    """ADEChallengeData2016: images/ and annotations/ (0 = other)."""
    ade = osp.join(root, ADE)
    seen = seen_values('ade20k_150_unseen75')
    for split, count in (('training', num_train), ('validation', num_val)):
        for sub in ('images', 'annotations'):
            os.makedirs(osp.join(ade, sub, split), exist_ok=True)
        for i in range(count):
            name = f'ADE_{split[:5]}_{i:08d}'
            write_image(osp.join(ade, 'images', split, name + '.jpg'), rng,
                        size)
            pool = seen if split == 'training' and i % 2 == 0 \
                else np.arange(151)
            label = rect_label_map(rng, size, pool, num_rects=5)
            Image.fromarray(label.astype(np.uint8)).save(
                osp.join(ade, 'annotations', split, name + '.png'))


def write_embeddings(root, rng):
    """Random unit 300-d rows for every class list, word2vec and fastText."""
    for source in ('word2vec', 'fasttext'):
        folder = osp.join(root, 'data', 'embeddings', source)
        os.makedirs(folder, exist_ok=True)
        for key in CLASS_LISTS:
            names = get_classes(key)
            emb = rng.standard_normal((len(names), EMBED_DIM))
            emb /= np.linalg.norm(emb, axis=1, keepdims=True)
            write_class_embeddings(osp.join(folder, key),
                                   emb.astype(np.float32), names)


def write_standin_data(root, num_train=6, num_val=4, size=40, seed=0):
    """Write the stand-in ``data/`` tree under ``root``; returns ``root``."""
    rng = np.random.default_rng(seed)
    write_pascal_context(str(root), num_train, num_val, size, rng)
    write_ade20k(str(root), num_train, num_val, size, rng)
    write_embeddings(str(root), rng)
    return str(root)


LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def tiny_data_options(data_root, num_val=4, image_size=32, loaders=LOADERS):
    """Overrides (for ``Config.merge_from_dict``) that point a ZSS-Shapes
    config at a tiny data root, generated on first use."""
    options = {}
    for loader in loaders:
        for key, value in (('num_workers', 0), ('persistent_workers', False),
                           ('batch_size', 2),
                           # no gc.collect() per dataset (0.5 s here)
                           ('dataset.serialize_data', False),
                           ('dataset.data_root', str(data_root)),
                           ('dataset.generate.num_train', 8),
                           ('dataset.generate.num_val', num_val),
                           ('dataset.generate.image_size', image_size)):
            options[f'{loader}.{key}'] = value
    return options


def tiny_training_options(data_root, work_dir, image_size=32):
    """:func:`tiny_data_options` + 2 training iterations, then validation."""
    return dict(
        tiny_data_options(data_root, image_size=image_size), **{
            'train_cfg.max_iters': 2, 'train_cfg.val_interval': 2,
            'default_hooks.checkpoint.interval': 2,
            'default_hooks.logger.interval': 1, 'param_scheduler': [],
            'model.data_preprocessor.size': (image_size, image_size),
            'work_dir': str(work_dir)})


def speed_up_mmengine(monkeypatch):
    """Skip what costs seconds per config or Runner here and that no test
    reads: mmengine parses mmseg's 106 metafiles for every ``mmseg::`` base
    (~0.4 s; cached here, the files do not change) and the Runner formats its
    config with yapf for the log and the dump (~0.8 s a time, 5 times)."""
    load, cache = config_utils.load, {}

    def cached_load(path, *args, **kwargs):
        if not str(path).endswith(('model-index.yml', 'metafile.yaml',
                                   'metafile.yml')):
            return load(path, *args, **kwargs)
        if path not in cache:
            cache[path] = load(path, *args, **kwargs)
        return cache[path]

    monkeypatch.setattr(config_utils, 'load', cached_load)
    monkeypatch.setattr(Config, 'pretty_text',
                        property(lambda self: self.text))
