"""Writers of tiny datasets in the real on-disk formats (used by tests only).

Label maps are drawn as a few axis-aligned rectangles of random classes over a
background, so every image holds several classes, like the real data.
"""
import os
import os.path as osp

import numpy as np
from PIL import Image


def random_label_map(rng, size, num_values, num_rects=4, background=0):
    """(size, size) uint8/uint16-valued map of rectangles on ``background``."""
    label = np.full((size, size), background, dtype=np.int64)
    for _ in range(num_rects):
        value = int(rng.integers(0, num_values))
        y0, x0 = rng.integers(0, size - 8, size=2)
        h, w = rng.integers(8, size // 2 + 8, size=2)
        label[y0:y0 + h, x0:x0 + w] = value
    return label


def write_image(path, rng, size):
    img = rng.integers(0, 256, size=(size, size, 3), dtype=np.uint8)
    Image.fromarray(img).save(path, quality=95)


def write_pascal_context_59(root, num_train=4, num_val=2, size=48, seed=0):
    """mmseg's PC-59 layout: JPEGImages/, SegmentationClassContext/ (uint8,
    0 = background, 1..59 = classes), ImageSets/SegmentationContext/*.txt."""
    rng = np.random.default_rng(seed)
    img_dir = osp.join(root, 'JPEGImages')
    ann_dir = osp.join(root, 'SegmentationClassContext')
    split_dir = osp.join(root, 'ImageSets', 'SegmentationContext')
    for d in (img_dir, ann_dir, split_dir):
        os.makedirs(d, exist_ok=True)
    names = {'train': [], 'val': []}
    for i in range(num_train + num_val):
        split = 'train' if i < num_train else 'val'
        name = f'2008_{i:06d}'
        names[split].append(name)
        write_image(osp.join(img_dir, name + '.jpg'), rng, size)
        label = random_label_map(rng, size, 60)
        Image.fromarray(label.astype(np.uint8)).save(
            osp.join(ann_dir, name + '.png'))
    for split, items in names.items():
        with open(osp.join(split_dir, split + '.txt'), 'w') as f:
            f.write('\n'.join(items) + '\n')
    return root
