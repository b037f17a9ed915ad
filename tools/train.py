"""Train a zero-shot segmentor: ``python tools/train.py CONFIG [options]``.

mmseg's ``tools/train.py`` with three additions: it imports ``mmseg_zss``
itself (configs need no ``custom_imports``), runs distributed on CPU with gloo,
and reports bad configs / checkpoints in one line instead of a traceback.
"""
import argparse
import importlib.util
import logging
import os.path as osp
import sys

if importlib.util.find_spec('mmseg_zss') is None:  # uninstalled checkout
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import DictAction  # noqa: E402
from mmengine.logging import print_log  # noqa: E402

import mmseg_zss  # noqa: E402,F401  (registers the package's modules)
from mmseg_zss.utils import (  # noqa
    check_checkpoint_matches,
    finish_distributed,
    load_config,
    run_tool,
    set_work_dir,
    setup_distributed,
)
from mmseg_zss.utils.runner import (  # noqa: E402
    build_model,
    local_rank_env,
    resume_checkpoint_path,
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a segmentor')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        const='auto',
        default=None,
        help='resume from the latest checkpoint in the work_dir, or from the '
        'given checkpoint file')
    parser.add_argument(
        '--amp',
        action='store_true',
        default=False,
        help='enable automatic-mixed-precision training')
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
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    local_rank_env(args.local_rank)
    return args


@run_tool
def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    set_work_dir(cfg, args.work_dir, args.config)
    setup_distributed(cfg, args.launcher)

    if args.amp:
        optim_wrapper = cfg.optim_wrapper.type
        if optim_wrapper == 'AmpOptimWrapper':
            print_log('AMP training is already enabled in your config.',
                      logger='current', level=logging.WARNING)
        else:
            assert optim_wrapper == 'OptimWrapper', (
                '`--amp` is only supported when the optimizer wrapper type is '
                f'`OptimWrapper` but got {optim_wrapper}.')
            cfg.optim_wrapper.type = 'AmpOptimWrapper'
            cfg.optim_wrapper.loss_scale = 'dynamic'

    cfg.resume = args.resume is not None
    if args.resume not in (None, 'auto'):
        cfg.load_from = args.resume

    if cfg.resume:
        ckpt = resume_checkpoint_path(cfg)
        if ckpt is not None:
            check_checkpoint_matches(build_model(cfg), ckpt, args.config)

    from mmengine.runner import Runner
    from mmseg.registry import RUNNERS
    runner = Runner.from_cfg(cfg) if 'runner_type' not in cfg \
        else RUNNERS.build(cfg)
    runner.train()
    if cfg.launcher != 'none':
        rank, world_size = finish_distributed()
        print(f'rank {rank}/{world_size}: training finished', flush=True)


if __name__ == '__main__':
    main()
