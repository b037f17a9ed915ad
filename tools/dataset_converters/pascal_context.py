"""Convert the official Pascal-Context full labels to mmseg-zss label maps.

``python tools/dataset_converters/pascal_context.py DEVKIT CONTEXT [-o OUT]``

Inputs:
    DEVKIT   the VOCdevkit folder of VOC2010 (``VOC2010/JPEGImages``,
             ``VOC2010/ImageSets/Main/{train,val}.txt``)
    CONTEXT  the extracted Pascal-Context ``trainval.tar.gz``
             (``trainval/<image>.mat`` with field ``LabelMap``, ``labels.txt``)

Outputs (under OUT, default ``DEVKIT/VOC2010``):
    SegmentationClassContext/<image>.png     uint8, 59 classes, mmseg layout
        (0 = background/other, k = k-th class of PascalContextDataset59:
        the values of mmseg's converter, without the `detail` package)
    SegmentationClassContext459/<image>.png  16-bit, the LabelMap itself
        (0 = unlabelled, i = id i of labels.txt)
    ImageSets/SegmentationContext/{train,val}.txt
        kept if they already exist (e.g. from mmseg's converter); otherwise
        the VOC2010 Main train/val images that have a .mat file.

Every PNG is written to a temporary file and renamed, so an interrupted run
leaves no half-written map; a rerun converts again.
"""
import argparse
import importlib.util
import os
import os.path as osp
import sys
from functools import partial

if importlib.util.find_spec('mmseg_zss') is None:  # uninstalled checkout
    sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(
        osp.abspath(__file__)))))

import numpy as np  # noqa: E402
import scipy.io  # noqa: E402
from mmengine.utils import track_parallel_progress, track_progress  # noqa
from PIL import Image  # noqa: E402

import mmseg_zss  # noqa: E402,F401
from mmseg_zss.datasets.class_names import get_classes  # noqa: E402
from mmseg_zss.datasets.pascal_context_labels import (  # noqa: E402
    NUM_FULL_LABELS,
    full_to_59_lut,
    read_labels_txt,
)
from mmseg_zss.errors import DatasetError  # noqa: E402
from mmseg_zss.utils import run_tool  # noqa: E402
from mmseg_zss.utils.io import atomic_open, atomic_write  # noqa: E402

DIR_59 = 'SegmentationClassContext'
DIR_459 = 'SegmentationClassContext459'
LIST_DIR = osp.join('ImageSets', 'SegmentationContext')


def read_label_map(mat_path: str) -> np.ndarray:
    """(H, W) uint16 ``LabelMap`` of one official ``.mat`` file."""
    try:
        mat = scipy.io.loadmat(mat_path)
    except Exception as e:  # scipy raises several types for broken files
        raise DatasetError(f'{mat_path} is not a readable .mat file: '
                           f'{type(e).__name__}: {e}') from e
    if 'LabelMap' not in mat:
        raise DatasetError(f'{mat_path} has no LabelMap field (fields: '
                           f'{", ".join(k for k in mat if not k.startswith("__"))})')
    label = np.asarray(mat['LabelMap'])
    if label.ndim != 2 or not np.issubdtype(label.dtype, np.integer):
        raise DatasetError(f'{mat_path}: LabelMap must be a 2-D integer array,'
                           f' got {label.dtype} {label.shape}')
    if label.size and (label.min() < 0 or label.max() > NUM_FULL_LABELS):
        raise DatasetError(f'{mat_path}: LabelMap values must be in 0..'
                           f'{NUM_FULL_LABELS}, got {label.min()}..'
                           f'{label.max()}')
    return label.astype(np.uint16)


def save_png(array: np.ndarray, path: str) -> None:
    """Write ``array`` as PNG through a temporary file and a rename."""
    with atomic_open(path) as f:
        Image.fromarray(array).save(f, format='PNG')


def convert_one(name: str, mat_dir: str, out_dir: str) -> str:
    """Write the 59- and 459-class maps of image ``name``; return ``name``."""
    label = read_label_map(osp.join(mat_dir, name + '.mat'))
    save_png(full_to_59_lut()[label], osp.join(out_dir, DIR_59, name + '.png'))
    save_png(label, osp.join(out_dir, DIR_459, name + '.png'))
    return name


def check_labels_txt(path: str) -> None:
    """The release's labels.txt must name the classes this package uses."""
    names = read_labels_txt(path)
    for i, (got, want) in enumerate(zip(names, get_classes(
            'pascal_context_459')), 1):
        if got != want:
            raise DatasetError(f'{path}: id {i} is {got!r}, expected {want!r}'
                               ' (mmseg_zss.datasets.get_classes('
                               '"pascal_context_459"))')


def image_lists(devkit: str, out_dir: str, mat_dir: str) -> dict:
    """{'train': names, 'val': names}: existing lists, else VOC Main ∩ .mat."""
    lists = {}
    for split in ('train', 'val'):
        existing = osp.join(out_dir, LIST_DIR, split + '.txt')
        source = existing if osp.isfile(existing) else osp.join(
            devkit, 'VOC2010', 'ImageSets', 'Main', split + '.txt')
        if not osp.isfile(source):
            raise DatasetError(f'{source} does not exist; DEVKIT must be the '
                               'VOCdevkit folder holding VOC2010/')
        with open(source, encoding='utf-8') as f:
            names = [line.split()[0] for line in f if line.strip()]
        if source == existing:
            missing = [n for n in names
                       if not osp.isfile(osp.join(mat_dir, n + '.mat'))]
            if missing:
                raise DatasetError(
                    f'{existing} lists {missing[0]}, but '
                    f'{osp.join(mat_dir, missing[0] + ".mat")} does not exist'
                    f' ({len(missing)} listed images have no .mat)')
        else:
            names = [n for n in names
                     if osp.isfile(osp.join(mat_dir, n + '.mat'))]
        lists[split] = sorted(names)
    return lists


def write_list(names, path):
    atomic_write(path, ''.join(n + '\n' for n in names))


def convert(devkit: str, context: str, out_dir=None, nproc: int = 1) -> dict:
    """Convert every listed image; return the image lists."""
    for folder, what in ((devkit, 'DEVKIT (VOCdevkit)'),
                         (osp.join(context, 'trainval'), 'CONTEXT/trainval')):
        if not osp.isdir(folder):
            raise DatasetError(f'{what} folder {folder} does not exist; see '
                               'docs/datasets.md')
    check_labels_txt(osp.join(context, 'labels.txt'))
    mat_dir = osp.join(context, 'trainval')
    out_dir = out_dir or osp.join(devkit, 'VOC2010')
    for sub in (DIR_59, DIR_459, LIST_DIR):
        os.makedirs(osp.join(out_dir, sub), exist_ok=True)
    lists = image_lists(devkit, out_dir, mat_dir)
    work = partial(convert_one, mat_dir=mat_dir, out_dir=out_dir)
    names = lists['train'] + lists['val']
    if nproc > 1:
        track_parallel_progress(work, names, nproc)
    else:
        track_progress(work, names)
    for split, items in lists.items():
        write_list(items, osp.join(out_dir, LIST_DIR, split + '.txt'))
    return lists


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Pascal-Context full labels -> 59-class (mmseg) and '
        '459-class (16-bit) label maps')
    parser.add_argument('devkit', help='VOCdevkit folder (holds VOC2010/)')
    parser.add_argument('context', help='extracted Pascal-Context '
                        'trainval.tar.gz (trainval/*.mat, labels.txt)')
    parser.add_argument('-o', '--out-dir', help='default: DEVKIT/VOC2010')
    parser.add_argument('--nproc', type=int, default=1,
                        help='worker processes')
    return parser.parse_args(argv)


@run_tool
def main(argv=None):
    args = parse_args(argv)
    lists = convert(args.devkit, args.context, args.out_dir, args.nproc)
    print(f'\nconverted {len(lists["train"])} train and {len(lists["val"])} '
          'val images')


if __name__ == '__main__':
    main()
