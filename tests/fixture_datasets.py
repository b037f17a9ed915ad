"""Writers of tiny zero-shot datasets in their real on-disk layouts.

* :func:`write_pascal_context_459`: 16-bit full-label PNGs (0 = unlabelled,
  ``i`` = labels.txt id ``i``), mmseg-style lists;
* :func:`write_ade20k`: the ADEChallengeData2016 tree (uint8, 0 = other);
* :func:`write_pascal_context_release`: VOC2010 + the official full-label
  release (``trainval/*.mat`` with ``LabelMap``, ``labels.txt``).

Label maps are rectangles of classes drawn from a small pool so that
classes repeat across images, like real data.
"""
import os
import os.path as osp

import numpy as np
import scipy.io
from fixture_data import write_image
from PIL import Image

from mmseg_zss.datasets import get_classes
from mmseg_zss.datasets.pascal_context_labels import PC59_LABEL_IDS


def rect_label_map(rng, size, pool, num_rects=4, background=0):
    """(size, size) int64 map of ``num_rects`` rectangles of pool values."""
    label = np.full((size, size), background, dtype=np.int64)
    for _ in range(num_rects):
        value = int(rng.choice(pool))
        y0, x0 = rng.integers(0, size - 8, size=2)
        h, w = rng.integers(8, size // 2 + 8, size=2)
        label[y0:y0 + h, x0:x0 + w] = value
    return label


def _write_lists(list_dir, names):
    os.makedirs(list_dir, exist_ok=True)
    for split, items in names.items():
        with open(osp.join(list_dir, split + '.txt'), 'w') as f:
            f.write('\n'.join(items) + '\n')


def full_label_pool(num_other=30, seed=1):
    """labels.txt ids: the 59 standard ones + ``num_other`` others (incl. 256
    = class 255 'monkey', and 401) so that 16-bit values and the class that
    collides with 255 both occur."""
    rng = np.random.default_rng(seed)
    others = sorted(set(range(1, 460)) - set(PC59_LABEL_IDS) - {256, 401})
    extra = rng.choice(others, size=num_other - 2, replace=False).tolist()
    return np.array(sorted(list(PC59_LABEL_IDS) + extra + [256, 401]))


def write_pascal_context_459(root, num_train=6, num_val=6, size=40, seed=0):
    """JPEGImages/, SegmentationClassContext459/ (16-bit), ImageSets/..."""
    rng = np.random.default_rng(seed)
    pool = np.concatenate([full_label_pool(), [0]])
    img_dir = osp.join(root, 'JPEGImages')
    ann_dir = osp.join(root, 'SegmentationClassContext459')
    os.makedirs(img_dir, exist_ok=True)
    os.makedirs(ann_dir, exist_ok=True)
    names = {'train': [], 'val': []}
    for i in range(num_train + num_val):
        split = 'train' if i < num_train else 'val'
        name = f'2009_{i:06d}'
        names[split].append(name)
        write_image(osp.join(img_dir, name + '.jpg'), rng, size)
        label = rect_label_map(rng, size, pool, num_rects=6)
        if i % 2 == 0:
            label[:3, :3] = 401  # a value above 255
        Image.fromarray(label.astype(np.uint16)).save(
            osp.join(ann_dir, name + '.png'))
    _write_lists(osp.join(root, 'ImageSets', 'SegmentationContext'), names)
    return root


def write_ade20k(root, num_train=6, num_val=3, size=40, seed=0):
    """images/{training,validation}/*.jpg, annotations/.../*.png (0..150)."""
    rng = np.random.default_rng(seed)
    pool = np.arange(0, 151)
    for split, count in (('training', num_train), ('validation', num_val)):
        img_dir = osp.join(root, 'images', split)
        ann_dir = osp.join(root, 'annotations', split)
        os.makedirs(img_dir, exist_ok=True)
        os.makedirs(ann_dir, exist_ok=True)
        for i in range(count):
            name = f'ADE_{split[:5]}_{i:08d}'
            write_image(osp.join(img_dir, name + '.jpg'), rng, size)
            label = rect_label_map(rng, size, pool, num_rects=5)
            Image.fromarray(label.astype(np.uint8)).save(
                osp.join(ann_dir, name + '.png'))
    return root


def write_labels_txt(path, names=None):
    names = names or get_classes('pascal_context_459')
    with open(path, 'w') as f:
        f.writelines(f'{i}: {n}\n' for i, n in enumerate(names, 1))


def write_pascal_context_release(root, num_train=3, num_val=2, size=24,
                                 seed=0):
    """``root/VOCdevkit/VOC2010`` (images, Main lists, plus a Main image
    without a .mat) and ``root/context`` (trainval/*.mat, labels.txt).

    Returns (devkit, context, {image name: LabelMap}).
    """
    rng = np.random.default_rng(seed)
    voc = osp.join(root, 'VOCdevkit', 'VOC2010')
    mat_dir = osp.join(root, 'context', 'trainval')
    os.makedirs(osp.join(voc, 'JPEGImages'), exist_ok=True)
    os.makedirs(mat_dir, exist_ok=True)
    pool = np.concatenate([full_label_pool(), [0]])
    maps, names = {}, {'train': [], 'val': []}
    for i in range(num_train + num_val):
        split = 'train' if i < num_train else 'val'
        name = f'2008_{i:06d}'
        names[split].append(name)
        write_image(osp.join(voc, 'JPEGImages', name + '.jpg'), rng, size)
        label = rect_label_map(rng, size, pool, num_rects=5)
        label[0, :4] = [400, 2, 0, 459]  # a 16-bit id, a PC-59 id, both ends
        maps[name] = label.astype(np.uint16)
        scipy.io.savemat(osp.join(mat_dir, name + '.mat'),
                         {'LabelMap': maps[name]})
    names['val'].append('2008_999999')  # in VOC Main, but without context
    _write_lists(osp.join(voc, 'ImageSets', 'Main'), names)
    write_labels_txt(osp.join(root, 'context', 'labels.txt'))
    return osp.join(root, 'VOCdevkit'), osp.join(root, 'context'), maps
