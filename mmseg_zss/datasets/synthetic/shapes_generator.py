"""Writing ZSS-Shapes to disk in mmseg's layout, atomically and reproducibly.

Layout of a data root (what ``ZeroShotShapesDataset`` and mmseg read)::

    <root>/img_dir/{train,val}/00000.png   RGB images
    <root>/ann_dir/{train,val}/00000.png   uint8 label maps (0 = background,
                                           i = class i of ``shapes_classes()``)
    <root>/meta.json                       settings, class list, statistics

Image ``i`` of a split is drawn from random streams seeded by
``(seed, split, i)`` alone, so the same settings give byte-identical files
(PNG through Pillow with fixed options) and the validation images do not
depend on the training noise at all: the clean and the noisy variant of a
seed share the same validation set. The folder is written under a temporary
name beside ``<root>`` and renamed when complete, so an interrupted run leaves
no half-written dataset.
"""
import json
import os
import os.path as osp
import shutil
import tempfile
from collections import Counter
from typing import Optional, Sequence

import numpy as np
from mmengine.logging import print_log
from mmengine.utils import ProgressBar
from PIL import Image

from ...errors import DatasetError
from .shapes_render import render_scene
from .shapes_spec import ShapesNoise, ShapesSettings, shapes_classes

GENERATOR_VERSION = 1
SPLITS = ('train', 'val')
META_FILE = 'meta.json'
PNG_OPTIONS = dict(format='PNG', compress_level=6, optimize=False)


def image_streams(seed: int, split: str, index: int):
    """The (scene, noise) random streams of image ``index`` of ``split``."""
    code = SPLITS.index(split)
    return (np.random.default_rng([seed, code, index, 0]),
            np.random.default_rng([seed, code, index, 1]))


def expected_meta(settings: ShapesSettings,
                  unseen_classes: Sequence[str]) -> dict:
    """The part of ``meta.json`` that must match for a root to be reused."""
    classes = shapes_classes()
    unknown = [c for c in unseen_classes if c not in classes[1:]]
    if unknown:
        raise DatasetError(f'ZSS-Shapes has no class {unknown[0]!r}; classes: '
                           f'{", ".join(classes[1:])}')
    return dict(
        generator='mmseg_zss.datasets.synthetic ZSS-Shapes',
        version=GENERATOR_VERSION,
        settings=settings.to_dict(),
        classes=list(classes),
        unseen_classes=[c for c in classes if c in set(unseen_classes)])


def render_image(settings: ShapesSettings, split: str, index: int,
                 unseen_classes: Sequence[str]):
    """Image ``index`` of ``split``: (image (H, W, 3), label (H, W), records)."""
    classes = shapes_classes()
    seen = [i > 0 and c not in set(unseen_classes)
            for i, c in enumerate(classes)]
    scene, noise = image_streams(settings.seed, split, index)
    corruption = settings.noise if split == 'train' else ShapesNoise()
    return render_scene(scene, noise, settings.image_size, settings.objects,
                        settings.radius, classes, seen, settings.confusers,
                        corruption)


def _write_split(folder: str, settings: ShapesSettings, split: str,
                 unseen_classes: Sequence[str], progress) -> dict:
    img_dir = osp.join(folder, 'img_dir', split)
    ann_dir = osp.join(folder, 'ann_dir', split)
    os.makedirs(img_dir)
    os.makedirs(ann_dir)
    count = settings.num_train if split == 'train' else settings.num_val
    classes, noise, outliers = Counter(), Counter(), Counter()
    for index in range(count):
        image, label, records = render_image(settings, split, index,
                                             unseen_classes)
        name = f'{index:05d}.png'
        Image.fromarray(image, 'RGB').save(osp.join(img_dir, name),
                                           **PNG_OPTIONS)
        Image.fromarray(label, 'L').save(osp.join(ann_dir, name),
                                         **PNG_OPTIONS)
        for rec in records:
            classes[shapes_classes()[rec['label']]] += 1
            noise[rec['label_noise'] or 'none'] += 1
            outliers[rec['outlier'] or 'none'] += 1
        if progress is not None:
            progress.update()
    return dict(images=count, objects=sum(classes.values()),
                objects_per_class=dict(sorted(classes.items())),
                label_noise=dict(sorted(noise.items())),
                outliers=dict(sorted(outliers.items())))


def read_meta(root: str) -> Optional[dict]:
    """``<root>/meta.json`` as a dict, or None if there is none."""
    path = osp.join(root, META_FILE)
    if not osp.isfile(path):
        return None
    try:
        with open(path, encoding='utf-8') as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise DatasetError(f'{path} is not valid JSON ({e}); delete {root} '
                           'to regenerate ZSS-Shapes') from e


def _matches(meta: Optional[dict], expected: dict) -> bool:
    return meta is not None and all(meta.get(k) == v
                                    for k, v in expected.items())


def generate_shapes(root: str,
                    settings: ShapesSettings,
                    unseen_classes: Sequence[str],
                    progress: bool = True) -> dict:
    """Write a new ZSS-Shapes data root; returns its meta (``meta.json``).

    Raises :class:`DatasetError` if ``root`` already exists. Written into a
    temporary folder beside ``root`` and renamed at the end; on any error or
    interruption the temporary folder is removed.
    """
    root = osp.abspath(root)
    if osp.exists(root):
        raise DatasetError(f'{root} already exists; delete it to regenerate')
    meta = expected_meta(settings, unseen_classes)
    parent = osp.dirname(root)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=parent, prefix=f'.{osp.basename(root)}.tmp-')
    try:
        total = settings.num_train + settings.num_val
        bar = ProgressBar(total) if progress else None
        meta['statistics'] = {
            split: _write_split(tmp, settings, split, meta['unseen_classes'],
                                bar) for split in SPLITS}
        if progress:
            print()
        with open(osp.join(tmp, META_FILE), 'w', encoding='utf-8') as f:
            json.dump(meta, f, indent=2)
            f.write('\n')
        os.chmod(tmp, 0o755)
        try:
            os.rename(tmp, root)
        except OSError:
            # another process (e.g. another rank) finished first: keep its
            # copy if it is the same dataset
            if not _matches(read_meta(root), expected_meta(
                    settings, unseen_classes)):
                raise
    finally:
        if osp.exists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    return meta


def ensure_shapes(root: str,
                  settings: ShapesSettings,
                  unseen_classes: Sequence[str],
                  progress: bool = True) -> dict:
    """Generate ``root`` unless it already holds exactly this dataset.

    A root generated with other settings (or by another generator version)
    is never overwritten: :class:`DatasetError` names the difference.
    """
    expected = expected_meta(settings, unseen_classes)
    meta = read_meta(root)
    if meta is None and osp.exists(root):
        raise DatasetError(
            f'{root} exists but has no {META_FILE}, so it is not a ZSS-Shapes '
            'data root; delete it or choose another data_root')
    if meta is None:
        print_log(f'ZSS-Shapes: generating {settings.num_train} train + '
                  f'{settings.num_val} val images into {root} (seed '
                  f'{settings.seed}, noise {settings.noise})', logger='current')
        return generate_shapes(root, settings, unseen_classes, progress)
    if not _matches(meta, expected):
        diff = [k for k in expected if meta.get(k) != expected[k]]
        if 'settings' in diff:
            mine, theirs = expected['settings'], meta.get('settings') or {}
            diff = [f'settings.{k}: {theirs.get(k)} on disk, {v} asked'
                    for k, v in mine.items() if theirs.get(k) != v]
        raise DatasetError(
            f'{root} holds a ZSS-Shapes dataset made with other settings ('
            f'{"; ".join(diff)}); delete it to regenerate, or give this '
            'config its own data_root')
    return meta
