"""Tiny ZSS-Shapes data roots and config overrides for the shapes tests.

The data is written by the real generator (the layout the dataset reads), at
a size that takes milliseconds.
"""
import os.path as osp

from mmseg_zss.datasets.synthetic import ShapesSettings, generate_shapes
from mmseg_zss.datasets.synthetic.zs_shapes import shapes_split_path
from mmseg_zss.datasets.zero_shot_split import load_split

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
MAIN_CONFIG = osp.join(
    REPO, 'configs', 'zss_shapes',
    'deeplabv3plus_r18s_uloss_1xb16-1k_shapes-noisy-64x64.py')
SPLIT = load_split(shapes_split_path('zss_shapes_30_unseen6'), 'zss_shapes')
TINY = dict(num_train=8, num_val=4, image_size=32)
NOISY = dict(jitter=0.2, drop=0.1, swap=0.1, outlier=0.15)


def tiny_settings(**overrides):
    """Small, fast settings; ``overrides`` replace any field."""
    return ShapesSettings(**{**TINY, **overrides})


def write_tiny_shapes(root, **overrides):
    """Generate a tiny data root at ``root``; returns its meta dict."""
    return generate_shapes(str(root), tiny_settings(**overrides),
                           SPLIT.unseen_classes, progress=False)


def tiny_training_options(data_root, work_dir):
    """``--cfg-options`` that shrink the main job to 2 iterations on a tiny
    dataset generated at ``data_root`` on first use."""
    options = ['train_cfg.max_iters=2', 'train_cfg.val_interval=2',
               'default_hooks.checkpoint.interval=2',
               'default_hooks.logger.interval=1',
               'train_dataloader.batch_size=2', 'val_dataloader.batch_size=2',
               'param_scheduler.0.end=1', 'param_scheduler.1.begin=1',
               'param_scheduler.1.end=2', f'work_dir={work_dir}']
    for loader in ('train_dataloader', 'val_dataloader'):
        options += [f'{loader}.num_workers=0',
                    f'{loader}.persistent_workers=False',
                    f'{loader}.dataset.data_root={data_root}',
                    f'{loader}.dataset.generate.num_train=8',
                    f'{loader}.dataset.generate.num_val=4']
    return options
