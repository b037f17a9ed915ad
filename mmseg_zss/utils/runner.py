"""Helpers behind ``tools/train.py`` and ``tools/test.py``.

They keep the tools as thin as mmseg's own while adding what this project
promises: short errors for bad input, CPU (gloo) distributed runs, and a
check that a checkpoint belongs to the model it is loaded into.
"""
import functools
import os
import os.path as osp
import sys

import torch
from mmengine.config import Config

from ..compat import load_checkpoint_file
from ..errors import CheckpointError, ConfigError, ZSSError


def run_tool(main):
    """Run a tool's ``main``; print a :class:`ZSSError` as one line, exit 2."""

    @functools.wraps(main)
    def wrapper(*args, **kwargs):
        try:
            return main(*args, **kwargs)
        except ZSSError as e:
            print(f'error: {e}', file=sys.stderr)
            sys.exit(2)

    return wrapper


def load_config(path, cfg_options=None):
    """``Config.fromfile`` with errors that name the file and the problem."""
    if not osp.isfile(path):
        raise ConfigError(f'config {path} does not exist; pass the path of a '
                          'config file, e.g. configs/zss/'
                          'deeplabv3plus_pc59_k30.py')
    try:
        cfg = Config.fromfile(path)
    except (SyntaxError, NameError, KeyError, FileNotFoundError,
            ModuleNotFoundError, TypeError, AttributeError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else ''
        raise ConfigError(f'config {path} could not be loaded: '
                          f'{type(e).__name__}: {first}') from e
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if 'model' not in cfg:
        raise ConfigError(f'config {path} defines no `model`; is it a model '
                          'config?')
    return cfg


def set_work_dir(cfg, work_dir, config_path):
    """CLI ``--work-dir`` > ``work_dir`` in the file > ./work_dirs/<name>."""
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config_path))[0])


def _sync_bn_to_bn(node):
    """Replace SyncBN norm configs by BN in place (SyncBN needs CUDA)."""
    if isinstance(node, dict):
        if node.get('type') in ('SyncBN', 'MMSyncBN'):
            node['type'] = 'BN'
        for value in node.values():
            _sync_bn_to_bn(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _sync_bn_to_bn(value)


def setup_distributed(cfg, launcher):
    """Prepare a distributed run; on a CPU-only machine use gloo.

    mmengine's ``init_dist`` calls ``torch.cuda.set_device`` and fails on a
    CPU build. Initialising the process group with gloo *before* the Runner is
    built makes the Runner skip ``init_dist``; DDP then wraps a CPU module,
    which requires ``device_ids=None``. With CUDA nothing is changed.
    """
    cfg.launcher = launcher
    if launcher == 'none' or torch.cuda.is_available():
        return
    if launcher != 'pytorch':
        raise ConfigError(
            f'--launcher {launcher} without CUDA is not supported; use '
            'tools/dist_train.sh (torchrun, --launcher pytorch) on CPU')
    import torch.distributed as dist
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
    wrapper = dict(cfg.get('model_wrapper_cfg') or {})
    wrapper.setdefault('type', 'MMDistributedDataParallel')
    wrapper['device_ids'] = None
    wrapper.setdefault('find_unused_parameters',
                       cfg.get('find_unused_parameters', False))
    cfg.model_wrapper_cfg = wrapper
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})
    cfg.env_cfg.dist_cfg['backend'] = 'gloo'
    _sync_bn_to_bn(cfg.model)


def finish_distributed():
    """End a distributed run cleanly: wait for every rank, then destroy the
    process group (torch asks for it; a process exiting with the gloo
    group's threads still alive can abort at interpreter shutdown). Returns
    ``(rank, world_size)``, ``(0, 1)`` when not distributed."""
    import torch.distributed as dist
    if not (dist.is_available() and dist.is_initialized()):
        return 0, 1
    rank, world_size = dist.get_rank(), dist.get_world_size()
    dist.barrier()
    dist.destroy_process_group()
    return rank, world_size


def _state_dict_of(checkpoint):
    state = checkpoint.get('state_dict', checkpoint) \
        if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict) or not all(
            isinstance(v, torch.Tensor) for v in state.values()):
        return None
    return {k[len('module.'):] if k.startswith('module.') else k: v
            for k, v in state.items()}


def build_model(cfg):
    """Build ``cfg.model`` in the config's default scope (no weights loaded)."""
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    return MODELS.build(cfg.model)


def check_checkpoint_matches(model, filename, config_path=''):
    """Raise :class:`CheckpointError` unless ``filename`` fits ``model``.

    Call it before building the Runner, so a wrong file fails in one line.

    mmengine loads state dicts with ``strict=False`` and only logs missing
    keys, so evaluating another model's checkpoint silently tests random
    weights. Here every parameter and buffer of the model must be present in
    the checkpoint with the same shape; extra keys are allowed.
    """
    model = getattr(model, 'module', model)
    state = _state_dict_of(load_checkpoint_file(filename, map_location='cpu'))
    if state is None:
        raise CheckpointError(f'{filename} holds no state dict of tensors; '
                              'is it a checkpoint written by tools/train.py?')
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    mismatched = [
        f'{k}: checkpoint {tuple(state[k].shape)} vs model '
        f'{tuple(v.shape)}' for k, v in expected.items()
        if k in state and state[k].shape != v.shape
    ]
    if missing or mismatched:
        problems = []
        if missing:
            problems.append(f'{len(missing)} of {len(expected)} model '
                            f'weights are missing (e.g. {missing[0]})')
        if mismatched:
            problems.append(f'{len(mismatched)} have another shape '
                            f'(e.g. {mismatched[0]})')
        cfg = f' of config {config_path}' if config_path else ''
        raise CheckpointError(
            f'{filename} is a checkpoint of another model than the one'
            f'{cfg}: {"; ".join(problems)}. Pass the config it was trained '
            'with.')


def resume_checkpoint_path(cfg):
    """The checkpoint a ``resume=True`` run will load, or None."""
    if cfg.get('load_from'):
        return cfg.load_from
    from mmengine.runner import find_latest_checkpoint
    return find_latest_checkpoint(cfg.work_dir) if osp.isdir(
        cfg.work_dir) else None


def local_rank_env(local_rank):
    """torch.distributed.launch passes --local-rank; torchrun sets the env."""
    os.environ.setdefault('LOCAL_RANK', str(local_rank))
