"""Test (and evaluate) a zero-shot segmentor.

``python tools/test.py CONFIG CHECKPOINT [--out DIR] [--show-dir DIR]``:
mmseg's ``tools/test.py``, importing ``mmseg_zss`` itself and refusing, in one
line, a checkpoint that is unreadable or belongs to another model. A model
without weights (the Blank and Random predictors) is tested from its config
alone: ``python tools/test.py CONFIG``.
"""
import argparse
import importlib.util
import os.path as osp
import sys

if importlib.util.find_spec('mmseg_zss') is None:  # uninstalled checkout
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import DictAction  # noqa: E402

import mmseg_zss  # noqa: E402,F401  (registers the package's modules)
from mmseg_zss.errors import CheckpointError, ConfigError  # noqa: E402
from mmseg_zss.utils import (  # noqa
    check_checkpoint_matches,
    finish_distributed,
    load_config,
    run_tool,
    set_work_dir,
    setup_distributed,
)
from mmseg_zss.utils.runner import build_model, local_rank_env  # noqa


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='MMSeg test (and eval) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument(
        'checkpoint', nargs='?',
        help='checkpoint file; may be left out only for a model without '
        'weights (Blank, Random)')
    parser.add_argument(
        '--work-dir',
        help='if specified, the evaluation metric results will be dumped '
        'into the directory as json')
    parser.add_argument(
        '--out',
        type=str,
        help='the directory to save output predictions for offline '
        'evaluation')
    parser.add_argument(
        '--show', action='store_true', help='show prediction results')
    parser.add_argument(
        '--show-dir',
        help='directory where painted images (ground truth | prediction, '
        'each over the image, drawn by SegLocalVisualizer) are saved, under '
        'SHOW_DIR/vis_data/vis_image/')
    parser.add_argument(
        '--show-interval',
        type=int,
        default=1,
        help='with --show/--show-dir, draw every N-th test batch (mmseg '
        "hook's default is 50, which draws nothing on a small test set)")
    parser.add_argument(
        '--wait-time', type=float, default=2, help='the interval of show (s)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override some settings in the used config, the key-value pair '
        'in xxx=yyy format will be merged into config file.')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument(
        '--tta', action='store_true', help='Test time augmentation')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    local_rank_env(args.local_rank)
    return args


def trigger_visualization_hook(cfg, args):
    hooks = cfg.default_hooks
    if 'visualization' not in hooks:
        raise ConfigError(
            f'{args.config}: --show/--show-dir need a visualization hook: '
            "default_hooks.visualization=dict(type='SegVisualizationHook')")
    hooks['visualization']['draw'] = True
    hooks['visualization']['interval'] = args.show_interval
    if args.show:
        hooks['visualization']['show'] = True
        hooks['visualization']['wait_time'] = args.wait_time
    if args.show_dir:
        cfg.visualizer['save_dir'] = args.show_dir
    return cfg


@run_tool
def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    set_work_dir(cfg, args.work_dir, args.config)
    setup_distributed(cfg, args.launcher)
    cfg.load_from = args.checkpoint

    if args.show or args.show_dir:
        cfg = trigger_visualization_hook(cfg, args)
    if args.tta:
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model
    if args.out is not None:
        cfg.test_evaluator['output_dir'] = args.out
        cfg.test_evaluator['keep_results'] = True

    model = build_model(cfg)
    if args.checkpoint is not None:
        check_checkpoint_matches(model, args.checkpoint, args.config)
    elif model.state_dict():
        raise CheckpointError(
            f'{args.config}: no checkpoint given, and this model has '
            f'{len(model.state_dict())} weight tensors to load; pass the '
            'checkpoint its training wrote: tools/test.py CONFIG CHECKPOINT')

    from mmengine.runner import Runner
    runner = Runner.from_cfg(cfg)
    runner.test()
    if cfg.launcher != 'none':
        finish_distributed()


if __name__ == '__main__':
    main()
