"""Make the zero-shot split files.

``python tools/make_splits.py seeded [--check] [--out-dir DIR]``
    (Re)writes the shipped seeded splits into mmseg_zss/datasets/splits/:
    Pascal-Context-59 with K = 10, 20, 30 unseen, ZS3Net's published 10
    unseen classes, ADE20K-150 with K = 25, 50, 75. The output is a pure
    function of the class lists and the seed, byte for byte; ``--check``
    only compares with the shipped files and exits 1 on any difference.

``python tools/make_splits.py pascal-context-215 --data-root data/VOCdevkit/VOC2010``
    Computes the Pascal-Context-215 split (59 seen, the other full-label
    classes present in >= 2 validation images unseen; IMN+/IMN- groups) from
    your 459-class label maps (tools/dataset_converters/pascal_context.py
    writes them) and writes it to <data-root>/zss_splits/<name>.json.
"""
import argparse
import importlib.util
import os.path as osp
import sys
import tempfile

if importlib.util.find_spec('mmseg_zss') is None:  # uninstalled checkout
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import numpy as np  # noqa: E402

import mmseg_zss  # noqa: E402,F401
from mmseg_zss.datasets.class_names import get_classes  # noqa: E402
from mmseg_zss.datasets.full_label_split import (  # noqa: E402
    file_sha256,
    make_pascal_context_215_split,
)
from mmseg_zss.datasets.label_io import scan_class_presence  # noqa: E402
from mmseg_zss.datasets.zero_shot_split import (  # noqa: E402
    SPLIT_DIR,
    ZeroShotSplit,
    make_seeded_split,
    save_split,
)
from mmseg_zss.datasets.zs_pascal_context_459 import FULL_LABEL_IGNORE_INDEX  # noqa: E402
from mmseg_zss.errors import DatasetError  # noqa: E402
from mmseg_zss.utils import run_tool  # noqa: E402

SEED = 0
SEEDED = (('pascal_context_59', 'pascal_context', (10, 20, 30)),
          ('ade20k_150', 'ade20k', (25, 50, 75)))
# ZS3Net (Bucher et al., NeurIPS 2019), §4: the unseen classes of its
# Pascal-Context splits, in the published order (2, 4, 6, 8, 10 = prefixes)
ZS3NET_UNSEEN = ('cow', 'motorbike', 'sofa', 'cat', 'boat', 'fence', 'bird',
                 'tvmonitor', 'keyboard', 'aeroplane')


def zs3net_split() -> ZeroShotSplit:
    classes = get_classes('pascal_context_59')
    return ZeroShotSplit(
        name='pascal_context_59_unseen10_zs3net',
        dataset='pascal_context_59',
        seen_classes=tuple(c for c in classes if c not in ZS3NET_UNSEEN),
        unseen_classes=tuple(c for c in classes if c in ZS3NET_UNSEEN),
        info=dict(
            rule='the 10 unseen Pascal-Context classes of ZS3Net (Bucher et '
            'al., NeurIPS 2019), published order: ' + ', '.join(ZS3NET_UNSEEN),
            seed=None,
            generator='tools/make_splits.py seeded'))


def seeded_splits():
    for dataset, family, ks in SEEDED:
        for k in ks:
            yield make_seeded_split(dataset, family, k, seed=SEED)
    yield zs3net_split()


def cmd_seeded(args):
    different = []
    for split in seeded_splits():
        target = osp.join(args.out_dir, split.name + '.json')
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                fresh = save_split(split, osp.join(tmp, 'split.json'))
                with open(fresh, 'rb') as f:
                    same = osp.isfile(target) and open(target, 'rb').read() \
                        == f.read()
            print(f'{"same" if same else "DIFFERENT"}  {target}')
            if not same:
                different.append(target)
        else:
            save_split(split, target)
            print(f'wrote {target} ({len(split.unseen_classes)} unseen)')
    if different:
        sys.exit(1)


def read_list(path):
    if not osp.isfile(path):
        raise DatasetError(f'image list {path} does not exist; run '
                           'tools/dataset_converters/pascal_context.py first')
    with open(path, encoding='utf-8') as f:
        return [line.strip() for line in f if line.strip()]


def cmd_pc215(args):
    root = args.data_root
    val_list = osp.join(root, args.val_list)
    ann_dir = osp.join(root, args.ann_dir)
    if not osp.isdir(ann_dir):
        raise DatasetError(f'label folder {ann_dir} does not exist; run '
                           'tools/dataset_converters/pascal_context.py first')
    names = read_list(val_list)
    paths = [osp.join(ann_dir, n + '.png') for n in names]
    num_classes = len(get_classes('pascal_context_459'))
    presence = scan_class_presence(
        paths,
        dict(reduce_zero_label=True, ignore_index=FULL_LABEL_IGNORE_INDEX,
             num_classes=num_classes),
        cache_file=args.cache)
    counts = np.zeros(num_classes, dtype=np.int64)
    for values in presence:
        counts[values] += 1
    split = make_pascal_context_215_split(
        counts, args.min_val_images,
        provenance=dict(
            data=dict(val_list=args.val_list, val_images=len(names),
                      val_list_sha256=file_sha256(val_list),
                      label_dir=args.ann_dir)))
    out = args.out or osp.join(root, 'zss_splits', split.name + '.json')
    save_split(split, out)
    print(f'\nwrote {out}: {len(split.seen_classes)} seen, '
          f'{len(split.unseen_classes)} unseen ({len(split.groups["IMN+"])} '
          f'IMN+, {len(split.groups["IMN-"])} IMN-)')
    if split.name != 'pascal_context_215_unseen156':
        print('note: the paper reports 215 classes (156 unseen); set the '
              f'dataset split= to {out}')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = parser.add_subparsers(dest='command', required=True)
    seeded = sub.add_parser('seeded', help='the shipped seeded splits')
    seeded.add_argument('--out-dir', default=SPLIT_DIR)
    seeded.add_argument('--check', action='store_true',
                        help='compare with the files, write nothing')
    seeded.set_defaults(func=cmd_seeded)
    pc = sub.add_parser('pascal-context-215', help='PC-215 from your data')
    pc.add_argument('--data-root', default='data/VOCdevkit/VOC2010')
    pc.add_argument('--ann-dir', default='SegmentationClassContext459')
    pc.add_argument('--val-list',
                    default='ImageSets/SegmentationContext/val.txt')
    pc.add_argument('--min-val-images', type=int, default=2)
    pc.add_argument('--out', help='output JSON (default: under data-root)')
    pc.add_argument('--cache', help='JSON cache of per-image classes')
    pc.set_defaults(func=cmd_pc215)
    return parser.parse_args(argv)


@run_tool
def main(argv=None):
    args = parse_args(argv)
    args.func(args)


if __name__ == '__main__':
    main()
