"""Fig. 4(b) of the paper: t-SNE of image-level samples, coloured by sigma_i.

``python tools/tsne_uncertainty.py CONFIG CHECKPOINT [--split train]
[--seen-class NAME] [--max-samples 1000]``

An image-level sample is an (image, class) pair whose class is present in
the image, as in training. Its point is the class region's mean feature:
the feature head's output f (what the classifier compares with the class
embedding), averaged over the pixels of the class (area weights on the
feature grid). The samples of one seen class (``--seen-class``, default the
most frequent; ``all`` for every seen class) are circles coloured by the
model's image-level uncertainty sigma_i for that class; the other seen
classes are grey dots, and the unseen classes crosses, one colour each, as
in the paper ("a seen class against other unseen classes"). The embedding
is an exact t-SNE (:mod:`mmseg_zss.apis.tsne`).

Writes ``OUT_DIR/tsne_sigma_i.png`` and ``OUT_DIR/tsne_samples.json`` (one
record per sample: image, class, group, sigma_i, t-SNE x, y). Needs a model
with the image-level branch (trained with ``BayesianDiceLoss``).
"""
import argparse
import importlib.util
import json
import os.path as osp
import sys
from collections import Counter

if importlib.util.find_spec('mmseg_zss') is None:  # uninstalled checkout
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from matplotlib import colormaps  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from mmengine.config import DictAction  # noqa: E402
from mmengine.dataset import pseudo_collate  # noqa: E402
from mmengine.utils import ProgressBar  # noqa: E402

import mmseg_zss  # noqa: E402,F401  (registers the package's modules)
from mmseg_zss.apis import init_segmentor  # noqa: E402
from mmseg_zss.apis.drawing import (  # noqa: E402
    HEATMAP_CMAP,
    figure_to_rgb,
    write_bytes,
    write_png,
)
from mmseg_zss.apis.samples import (  # noqa: E402
    SPLITS,
    build_split_dataset,
    group_class_ids,
    image_and_label,
    iter_items,
    present_classes,
    region_weights,
    sample_order,
)
from mmseg_zss.apis.tsne import tsne  # noqa: E402
from mmseg_zss.errors import ConfigError, DatasetError  # noqa: E402
from mmseg_zss.utils import load_config, run_tool  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Fig. 4(b): t-SNE of image-level samples coloured by '
        'the image-level uncertainty sigma_i')
    parser.add_argument('config', help='model config file (with a dataset)')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--split', choices=SPLITS, default='train',
                        help='dataset split (default train: sigma_i weighs '
                        'training samples)')
    parser.add_argument('--seen-class', default=None,
                        help='seen class drawn as circles coloured by sigma_i'
                        ' (default: the most frequent; "all": every seen '
                        'class)')
    parser.add_argument('--max-samples', type=int, default=1000,
                        help='stop after this many samples (default 1000)')
    parser.add_argument('--min-pixels', type=int, default=16,
                        help='a class must cover this many pixels of an '
                        'image to be a sample (default 16)')
    parser.add_argument('--perplexity', type=float, default=30.0,
                        help='t-SNE perplexity (default 30)')
    parser.add_argument('--iters', type=int, default=1000,
                        help='t-SNE iterations (default 1000)')
    parser.add_argument('--shuffle', action='store_true',
                        help='visit the images in a random order')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of --shuffle (default 0)')
    parser.add_argument('--out-dir', default='outputs/tsne',
                        help='folder for the PNG and the JSON')
    parser.add_argument('--device', default=None,
                        help='e.g. cpu, cuda:0 (default: cuda:0 if available)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value (as tools/test.py)')
    return parser.parse_args(argv)


@torch.no_grad()
def image_samples(model, item, class_ids):
    """(K, F) region-mean features and (K,) sigma_i of one image's classes."""
    head = model.decode_head
    data = model.data_preprocessor(pseudo_collate([item]), False)
    feats = model.extract_feat(data['inputs'])
    features = head.extract_features(feats)[0]  # (F, h, w)
    _, label, _ = image_and_label(item)
    weights = region_weights(label, class_ids, data['data_samples'][0].metainfo,
                             features.shape[1:]).to(features)  # (K, h, w)
    area = weights.sum(dim=(1, 2))
    pooled = torch.einsum('khw,fhw->kf', weights, features) / area.clamp_min(
        1e-12)[:, None]
    # the image branch on the same features: [avgpool(f); e] -> log sigma_i
    log_sigma = head.classifier.forward_all(
        features[None], head.class_embeddings[class_ids],
        outputs=('log_sigma', ))['log_sigma'][0]
    keep = (area > 0).cpu().numpy()
    return pooled.cpu().numpy()[keep], log_sigma.exp().cpu().numpy()[keep], \
        keep


def collect_samples(model, dataset, args):
    """Samples of every seen and unseen class, up to ``args.max_samples``."""
    meta = dataset.metainfo
    classes, unseen = list(meta['classes']), set(meta['unseen_classes'])
    class_ids = group_class_ids(meta, 'all')
    records, features = [], []
    order = sample_order(len(dataset), args.shuffle, args.seed)
    bar = ProgressBar(len(order), file=sys.stderr)
    for _, item in iter_items(dataset, order):
        label = image_and_label(item)[1]
        ids = present_classes(label, class_ids, args.min_pixels)
        if ids:
            feats, sigma_i, keep = image_samples(model, item, ids)
            ids = [c for c, k in zip(ids, keep) if k]
            for c, f, s in zip(ids, feats, sigma_i):
                records.append(dict(
                    img_path=item['data_samples'].metainfo['img_path'],
                    name=classes[c],
                    group='unseen' if classes[c] in unseen else 'seen',
                    sigma_i=float(s)))
                features.append(f)
        bar.update()
        if len(records) >= args.max_samples:
            break
    sys.stderr.write('\n')
    return records[:args.max_samples], np.stack(features)[:args.max_samples]


def highlighted(records, seen_class):
    """Names of the seen classes drawn as sigma_i circles."""
    seen = Counter(r['name'] for r in records if r['group'] == 'seen')
    if not seen:
        raise DatasetError('the samples contain no seen class')
    if seen_class is None:
        return {seen.most_common(1)[0][0]}
    if seen_class == 'all':
        return set(seen)
    if seen_class not in seen:
        raise DatasetError(
            f'seen class {seen_class!r} has no sample; seen classes with '
            f'samples: {", ".join(sorted(seen))}')
    return {seen_class}


def draw(records, points, circles, title):
    """The scatter plot: circles coloured by sigma_i, grey other seen
    classes, crosses per unseen class."""
    fig = Figure(figsize=(7.5, 6), dpi=100, facecolor='white',
                 layout='constrained')
    ax = fig.subplots()
    groups = np.array([
        'circle' if r['name'] in circles else r['group'] for r in records])
    other = groups == 'seen'
    ax.scatter(*points[other].T, s=8, c='lightgrey', label='other seen classes')
    unseen = sorted({r['name'] for r in records if r['group'] == 'unseen'})
    colors = colormaps['tab10']
    for k, name in enumerate(unseen):
        mask = np.array([r['name'] == name for r in records])
        ax.scatter(*points[mask].T, s=22, marker='x',
                   color=colors(k % 10) if len(unseen) <= 10 else 'dimgrey',
                   label=f'{name} (unseen)' if len(unseen) <= 10 else None)
    mask = groups == 'circle'
    sigma = np.array([r['sigma_i'] for r in records])[mask]
    dots = ax.scatter(*points[mask].T, s=40, c=sigma, cmap=HEATMAP_CMAP,
                      edgecolors='black', linewidths=0.6,
                      label=', '.join(sorted(circles)) if len(circles) <= 3
                      else 'seen classes')
    bar = fig.colorbar(dots, ax=ax,
                       label=r'image-level uncertainty $\sigma_i$')
    bar.formatter.set_useOffset(False)
    ax.legend(fontsize=7, loc='best')
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    return figure_to_rgb(fig)


@run_tool
def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    model = init_segmentor(cfg, args.checkpoint, device=args.device)
    if 'log_sigma' not in model.decode_head.outputs:
        raise ConfigError(
            'the model has no image-level uncertainty branch (trained '
            'without BayesianDiceLoss), so there is no sigma_i to plot')
    dataset = build_split_dataset(model.cfg, args.split)
    records, features = collect_samples(model, dataset, args)
    if len(records) < 4:
        raise DatasetError(f'only {len(records)} samples found; t-SNE needs '
                           'at least 4')
    circles = highlighted(records, args.seen_class)
    print(f't-SNE of {len(records)} samples ({features.shape[1]}-d)',
          file=sys.stderr)
    points, kl = tsne(features, perplexity=args.perplexity,
                      n_iter=args.iters, progress=True)
    for r, (x, y) in zip(records, points):
        r.update(x=float(x), y=float(y))
    title = (f't-SNE of {len(records)} image-level samples ({args.split} '
             f'split), KL {kl:.3f}')
    png = write_png(osp.join(args.out_dir, 'tsne_sigma_i.png'),
                    draw(records, points, circles, title))
    js = write_bytes(osp.join(args.out_dir, 'tsne_samples.json'),
                     json.dumps(records, indent=1).encode('utf-8'))
    sigma = [r['sigma_i'] for r in records if r['name'] in circles]
    print(f'{len(records)} samples; {", ".join(sorted(circles))}: '
          f'{len(sigma)} samples, sigma_i {min(sigma):.4g}..{max(sigma):.4g}')
    print(f'wrote {png} and {js}')
    return png, js


if __name__ == '__main__':
    main()
