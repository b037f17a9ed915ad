"""Segment images by class name and show where the model is unsure.

``python tools/demo.py IMAGE CONFIG CHECKPOINT --classes "sofa" "potted plant"``

IMAGE is an image file or a folder of images (a progress bar runs over it).
Any word or phrase of the model's word vectors works, not only its training
classes; a word missing from them fails in one line that names it and the
closest vocabulary words. For every image and name it writes into --out-dir

* ``<image>_<name>.png``: the mask sigmoid(mu_p) > 0.5 over the image;
* ``<image>_<name>_sigma_p.png``: the pixel uncertainty sigma_p as a heat
  map, pixel for pixel, with its colour bar (one scale for all names of the
  image, so they can be compared);

and prints, per name, the mask's area, the mean sigma_p and the image-level
uncertainty sigma_i. A model trained without a variance branch has no
sigma_p (or sigma_i): the demo says so and writes the masks only.
"""
import argparse
import importlib.util
import os.path as osp
import sys

if importlib.util.find_spec('mmseg_zss') is None:  # uninstalled checkout
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import mmcv  # noqa: E402
from mmengine.config import DictAction  # noqa: E402
from mmengine.utils import ProgressBar, scandir  # noqa: E402

import mmseg_zss  # noqa: E402,F401  (registers the package's modules)
from mmseg_zss.apis import embed_class_names, init_segmentor, segment  # noqa: E402
from mmseg_zss.apis.drawing import (  # noqa: E402
    NAME_COLORS,
    heatmap_with_colorbar,
    mask_overlay,
    slug,
    write_png,
)
from mmseg_zss.errors import DatasetError  # noqa: E402
from mmseg_zss.utils import load_config, run_tool  # noqa: E402

IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Zero-shot segmentation of any class name, with the '
        "model's pixel (sigma_p) and image-level (sigma_i) uncertainty")
    parser.add_argument('img', help='image file, or a folder of images')
    parser.add_argument('config', help='model config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--classes', nargs='+', required=True, metavar='NAME',
        help='class names to segment: words or phrases, e.g. sofa '
        '"potted plant" (quote phrases)')
    parser.add_argument('--out-dir', default='outputs',
                        help='folder for the PNGs (default: outputs)')
    parser.add_argument('--device', default=None,
                        help='e.g. cpu, cuda:0 (default: cuda:0 if available)')
    parser.add_argument(
        '--source', nargs='+', default=None,
        help='word-vector source(s) for new names (default: the ones the '
        "model's class embeddings were built from)")
    parser.add_argument('--threshold', type=float, default=0.5,
                        help='mask = sigmoid(mu_p) > threshold (default 0.5)')
    parser.add_argument('--opacity', type=float, default=0.5,
                        help='opacity of the masks (default 0.5)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value (as tools/test.py)')
    return parser.parse_args(argv)


def list_images(path):
    """The image files of ``path`` (a file, or a folder scanned for images)."""
    if osp.isfile(path):
        return [path]
    if not osp.isdir(path):
        raise DatasetError(f'image {path} does not exist; pass an image file '
                           'or a folder of images')
    files = sorted(scandir(path, IMAGE_SUFFIXES, case_sensitive=False))
    if not files:
        raise DatasetError(f'no images ({", ".join(IMAGE_SUFFIXES)}) in '
                           f'folder {path}')
    return [osp.join(path, f) for f in files]


def name_kinds(model, names):
    """How each name relates to the training split: seen, unseen, new."""
    meta = getattr(model, 'dataset_meta', None) or {}
    seen = set(meta.get('seen_classes') or ())
    unseen = set(meta.get('unseen_classes') or ())
    classes = set(meta.get('classes') or ())
    return {n: 'seen class' if n in seen else 'unseen class'
            if n in unseen else 'class list' if n in classes else 'new word'
            for n in names}


def save_pictures(result, image_rgb, out_dir, opacity):
    """The overlay and sigma_p PNGs of one image; returns their paths."""
    stem = osp.splitext(osp.basename(result.img_path))[0]
    paths = []
    for k, name in enumerate(result.class_names):
        overlay = mask_overlay(image_rgb, result.masks[k], name,
                               NAME_COLORS[k % len(NAME_COLORS)], opacity)
        paths.append(write_png(
            osp.join(out_dir, f'{stem}_{slug(name)}.png'), overlay))
    if result.sigma_p is not None:
        lo, hi = float(result.sigma_p.min()), float(result.sigma_p.max())
        for k, name in enumerate(result.class_names):
            heat = heatmap_with_colorbar(result.sigma_p[k], lo, hi,
                                         label=r'$\sigma_p$')
            paths.append(write_png(
                osp.join(out_dir, f'{stem}_{slug(name)}_sigma_p.png'), heat))
    return paths


def report(result, kinds):
    """One line per name: kind, mask area, mean sigma_p, sigma_i."""
    h, w = result.masks.shape[1:]
    width = max(len(n) for n in result.class_names + ('class', ))
    lines = [f'{osp.basename(result.img_path)} ({w}x{h}):',
             f'  {"class":<{width}}  {"kind":<12}  mask %  mean sigma_p  '
             'sigma_i']
    for k, name in enumerate(result.class_names):
        sigma_p = '-' if result.sigma_p is None else \
            f'{result.sigma_p[k].mean():.4g}'
        sigma_i = '-' if result.sigma_i is None else \
            f'{result.sigma_i[k]:.4g}'
        lines.append(f'  {name:<{width}}  {kinds[name]:<12}  '
                     f'{100 * result.masks[k].mean():6.2f}  {sigma_p:>12}  '
                     f'{sigma_i:>7}')
    return '\n'.join(lines)


def missing_branches(result):
    notes = []
    if result.sigma_p is None:
        notes.append('no sigma_p: the model has no pixel-variance branch '
                     '(trained without StochasticBCELoss); no heat maps')
    if result.sigma_i is None:
        notes.append('no sigma_i: the model has no image-level branch '
                     '(trained without BayesianDiceLoss)')
    return notes


@run_tool
def main(argv=None):
    args = parse_args(argv)
    images = list_images(args.img)
    cfg = load_config(args.config, args.cfg_options)
    # words first: an unknown word fails before the model is built
    embeddings = embed_class_names(cfg, args.classes, args.source)
    model = init_segmentor(cfg, args.checkpoint, device=args.device)
    kinds = name_kinds(model, args.classes)
    bar = ProgressBar(len(images), file=sys.stderr) if len(images) > 1 \
        else None
    written, lines = [], []
    for path in images:
        result = segment(model, path, args.classes, source=args.source,
                         threshold=args.threshold, embeddings=embeddings)
        image_rgb = mmcv.imread(path, channel_order='rgb')
        written += save_pictures(result, image_rgb, args.out_dir,
                                 args.opacity)
        lines.append(report(result, kinds))
        if bar is not None:
            bar.update()
    if bar is not None:
        sys.stderr.write('\n')
    print('\n'.join(lines + missing_branches(result)))
    print(f'wrote {len(written)} PNG files to {args.out_dir}')
    return written


if __name__ == '__main__':
    main()
