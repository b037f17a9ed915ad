"""Generate the ZSS-Shapes data of a config, or draw a preview sheet.

    python tools/generate_shapes.py configs/zss_shapes/<config>.py
    python tools/generate_shapes.py configs/zss_shapes/<config>.py \\
        --preview docs/benchmark_samples.png --num 6

Training generates the data on first use anyway; this tool does it ahead of
time (e.g. before a timed run) and prints what is in it. ``--preview`` draws
training images of the config's settings next to their label maps (no files
written besides the PNG), with the clean labels alongside when the config has
label noise.
"""
import argparse
import importlib.util
import os.path as osp
import sys

if importlib.util.find_spec('mmseg_zss') is None:  # uninstalled checkout
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

import mmseg_zss  # noqa: E402,F401
from mmseg_zss.datasets.synthetic import (  # noqa: E402
    ShapesNoise,
    ShapesSettings,
    ensure_shapes,
    render_image,
    shapes_classes,
)
from mmseg_zss.datasets.synthetic.zs_shapes import (  # noqa: E402
    DEFAULT_SPLIT,
    shapes_split_path,
)
from mmseg_zss.datasets.zero_shot_split import load_split  # noqa: E402
from mmseg_zss.utils import load_config, run_tool  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='a ZSS-Shapes config')
    parser.add_argument('--preview', help='write a PNG sheet here instead')
    parser.add_argument('--num', type=int, default=6,
                        help='images in the preview')
    parser.add_argument('--scale', type=int, default=3,
                        help='pixel zoom of the preview')
    return parser.parse_args(argv)


def shapes_datasets(cfg):
    """The ZSS-Shapes dataset configs of the train and val loaders."""
    out = []
    for key in ('train_dataloader', 'val_dataloader'):
        ds = (cfg.get(key) or {}).get('dataset') or {}
        if ds.get('type') == 'ZeroShotShapesDataset' and ds.get('generate'):
            out.append(ds)
    if not out:
        raise SystemExit(f'error: {cfg.filename} has no ZeroShotShapesDataset'
                         ' with `generate` settings')
    return out


def palette(n):
    """Fixed label colours: background black, classes in their own hue."""
    rng = np.random.default_rng(0)
    colours = rng.integers(60, 256, (max(n, 256), 3)).astype(np.uint8)
    colours[0] = 0
    return colours


def preview(ds, unseen, num, scale):
    settings = ShapesSettings(**ds['generate'])
    clean = ShapesSettings(**{**settings.to_dict(), 'noise': ShapesNoise()})
    colours = palette(len(shapes_classes()))
    rows = []
    for i in range(num):
        image, label, _ = render_image(settings, 'train', i, unseen)
        cells = [image, colours[label]]
        if not settings.noise.is_clean:
            cells.append(colours[render_image(clean, 'train', i, unseen)[1]])
        gap = np.full((image.shape[0], 2, 3), 255, np.uint8)
        rows.append(np.concatenate(
            [c for cell in cells for c in (cell, gap)][:-1], axis=1))
    sheet = np.concatenate(
        [r for row in rows for r in (row, np.full((2, row.shape[1], 3), 255,
                                                  np.uint8))][:-1], axis=0)
    return Image.fromarray(sheet).resize(
        (sheet.shape[1] * scale, sheet.shape[0] * scale), Image.NEAREST)


@run_tool
def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config)
    datasets = shapes_datasets(cfg)
    split = load_split(shapes_split_path(datasets[0].get('split',
                                                         DEFAULT_SPLIT)))
    if args.preview:
        preview(datasets[0], split.unseen_classes, args.num,
                args.scale).save(args.preview)
        columns = 'image | training label' + (
            ' | clean label' if any(datasets[0]['generate']['noise'].values())
            else '')
        print(f'wrote {args.preview} ({args.num} training images; columns: '
              f'{columns})')
        return
    for root in dict.fromkeys(ds['data_root'] for ds in datasets):
        ds = next(d for d in datasets if d['data_root'] == root)
        meta = ensure_shapes(root, ShapesSettings(**ds['generate']),
                             split.unseen_classes)
        stats = meta['statistics']
        print(f'{root}: {stats["train"]["images"]} train images '
              f'({stats["train"]["objects"]} objects; label noise '
              f'{stats["train"]["label_noise"]}; outliers '
              f'{stats["train"]["outliers"]}), {stats["val"]["images"]} '
              f'val images ({stats["val"]["objects"]} objects)')


if __name__ == '__main__':
    main()
