"""Fig. 4(a) of the paper: class tag | image | prediction | ground truth |
pixel uncertainty, one row per (image, class) sample of a dataset.

``python tools/visualize_uncertainty.py CONFIG CHECKPOINT [--split val]
[--group unseen] [--num-samples 8]``

Samples are the (image, class) pairs of the chosen split whose label map
contains a class of the group (default: the unseen classes, as in the
paper), in dataset order (or ``--shuffle``). The model scores all those
classes of an image in one pass (:func:`mmseg_zss.apis.segment_data`). The
prediction is sigmoid(mu_p) > 0.5 (white); the ground truth is the class's
region (white; unlabelled pixels grey); the uncertainty is
sigma_p = exp(s_p / 2), on one colour scale per page. Each tag says the
class, its group, the sample's IoU and sigma_i. Pages of ``--rows`` rows are written to
``OUT_DIR/uncertainty_<page>.png``; a line per sample is printed.
"""
import argparse
import importlib.util
import os.path as osp
import sys
from dataclasses import dataclass
from typing import Optional

if importlib.util.find_spec('mmseg_zss') is None:  # uninstalled checkout
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import numpy as np  # noqa: E402
from matplotlib import colormaps  # noqa: E402
from matplotlib.cm import ScalarMappable  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from mmengine.config import DictAction  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.utils import ProgressBar  # noqa: E402

import mmseg_zss  # noqa: E402,F401  (registers the package's modules)
from mmseg_zss.apis import init_segmentor, segment_data  # noqa: E402
from mmseg_zss.apis.drawing import (  # noqa: E402
    HEATMAP_CMAP,
    figure_to_rgb,
    write_png,
)
from mmseg_zss.apis.samples import (  # noqa: E402
    GROUPS,
    SPLITS,
    build_split_dataset,
    group_class_ids,
    image_and_label,
    iter_items,
    present_classes,
    sample_order,
)
from mmseg_zss.errors import DatasetError  # noqa: E402
from mmseg_zss.utils import load_config, run_tool  # noqa: E402

COLUMNS = ('class tag', 'image', 'prediction', 'ground truth',
           r'uncertainty $\sigma_p$')


@dataclass
class Row:
    """One (image, class) sample of the figure."""
    img_path: str
    name: str
    group: str
    image: np.ndarray  # (H, W, 3) RGB
    pred: np.ndarray  # (H, W) bool
    gt: np.ndarray  # (H, W) bool
    ignore: np.ndarray  # (H, W) bool
    sigma_p: Optional[np.ndarray]  # (H, W) or None
    sigma_i: Optional[float]

    @property
    def iou(self) -> float:
        """IoU of the prediction with the class region on labelled pixels."""
        pred = self.pred & ~self.ignore
        union = (pred | self.gt).sum()
        return float((pred & self.gt).sum() / union) if union else float('nan')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Fig. 4(a): tag, image, prediction, ground truth and '
        'pixel uncertainty of (image, class) samples')
    parser.add_argument('config', help='model config file (with a dataset)')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--split', choices=SPLITS, default='val',
                        help='dataset split to sample (default val)')
    parser.add_argument('--group', choices=GROUPS, default='unseen',
                        help='classes to show (default unseen)')
    parser.add_argument('--num-samples', type=int, default=8,
                        help='(image, class) rows in all (default 8)')
    parser.add_argument('--rows', type=int, default=8,
                        help='rows per PNG page (default 8)')
    parser.add_argument('--min-pixels', type=int, default=16,
                        help='a class must cover this many pixels of an '
                        'image to be a sample (default 16)')
    parser.add_argument('--shuffle', action='store_true',
                        help='visit the images in a random order')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of --shuffle (default 0)')
    parser.add_argument('--out-dir', default='outputs/uncertainty',
                        help='folder for the PNGs')
    parser.add_argument('--device', default=None,
                        help='e.g. cpu, cuda:0 (default: cuda:0 if available)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value (as tools/test.py)')
    return parser.parse_args(argv)


def collect_rows(model, dataset, args):
    """The first ``args.num_samples`` (image, class) rows."""
    meta = dataset.metainfo
    classes = list(meta['classes'])
    unseen = set(meta.get('unseen_classes') or ())
    class_ids = group_class_ids(meta, args.group)
    embeddings = model.decode_head.class_embeddings
    rows, bar = [], ProgressBar(args.num_samples, file=sys.stderr)
    order = sample_order(len(dataset), args.shuffle, args.seed)
    for _, item in iter_items(dataset, order):
        image, label, path = image_and_label(item)
        ids = present_classes(label, class_ids, args.min_pixels)
        ids = ids[:args.num_samples - len(rows)]
        if not ids:
            continue
        names = [classes[c] for c in ids]
        result = segment_data(model, pseudo_collate([item]), names,
                              embeddings[ids])[0]
        for k, c in enumerate(ids):
            rows.append(Row(
                path, names[k], 'unseen' if names[k] in unseen else 'seen',
                image, result.masks[k], label == c,
                label == meta.get('ignore_index', 255),
                None if result.sigma_p is None else result.sigma_p[k],
                None if result.sigma_i is None else float(result.sigma_i[k])))
            bar.update()
        if len(rows) >= args.num_samples:
            break
    sys.stderr.write('\n')
    if not rows:
        raise DatasetError(
            f'no image of the {args.split} split contains a {args.group} '
            f'class on >= {args.min_pixels} pixels')
    return rows


def tag_text(row: Row) -> str:
    lines = [row.name, f'({row.group})', f'IoU {row.iou:.2f}']
    if row.sigma_i is not None:
        lines.append(rf'$\sigma_i$ {row.sigma_i:.3g}')
    return '\n'.join(lines)


def binary_panel(mask: np.ndarray,
                 ignore: Optional[np.ndarray] = None) -> np.ndarray:
    """(H, W) mask -> RGB: white = the class, black = not, grey = no label."""
    panel = np.where(mask, 255, 0).astype(np.uint8)
    if ignore is not None:
        panel[ignore & ~mask] = 128
    return np.repeat(panel[..., None], 3, axis=2)


def draw_page(rows, cell: float = 1.8) -> np.ndarray:
    """One page: a row of panels per sample, one sigma_p scale (colour bar)."""
    with_sigma = rows[0].sigma_p is not None
    columns = COLUMNS if with_sigma else COLUMNS[:-1]
    fig = Figure(figsize=(cell * len(columns), cell * len(rows)), dpi=100,
                 facecolor='white', layout='constrained')
    axes = fig.subplots(len(rows), len(columns), squeeze=False)
    norm = None
    if with_sigma:
        values = np.concatenate([r.sigma_p.ravel() for r in rows])
        norm = Normalize(float(values.min()), float(values.max()))
    for r, row in enumerate(rows):
        axes[r, 0].text(0.5, 0.5, tag_text(row), ha='center', va='center',
                        fontsize=8, transform=axes[r, 0].transAxes)
        axes[r, 1].imshow(row.image)
        axes[r, 2].imshow(binary_panel(row.pred))
        axes[r, 3].imshow(binary_panel(row.gt, row.ignore))
        if with_sigma:
            axes[r, 4].imshow(row.sigma_p, cmap=HEATMAP_CMAP, norm=norm,
                              interpolation='nearest')
        for ax in axes[r]:
            ax.set_axis_off()
    for c, title in enumerate(columns):
        axes[0, c].set_title(title, fontsize=9)
    if with_sigma:
        fig.colorbar(ScalarMappable(norm=norm, cmap=colormaps[HEATMAP_CMAP]),
                     ax=list(axes[:, -1]), shrink=0.8)
    return figure_to_rgb(fig)


@run_tool
def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    model = init_segmentor(cfg, args.checkpoint, device=args.device)
    dataset = build_split_dataset(model.cfg, args.split)
    rows = collect_rows(model, dataset, args)
    written = []
    for page, start in enumerate(range(0, len(rows), args.rows)):
        written.append(write_png(
            osp.join(args.out_dir, f'uncertainty_{page:03d}.png'),
            draw_page(rows[start:start + args.rows])))
    for row in rows:
        sigma_p = '-' if row.sigma_p is None else f'{row.sigma_p.mean():.4g}'
        sigma_i = '-' if row.sigma_i is None else f'{row.sigma_i:.4g}'
        print(f'{osp.basename(row.img_path)}  {row.name} ({row.group})  '
              f'IoU {row.iou:.3f}  mean sigma_p {sigma_p}  sigma_i {sigma_i}')
    print(f'wrote {len(written)} PNG page(s) with {len(rows)} samples to '
          f'{args.out_dir}')
    return written


if __name__ == '__main__':
    main()
