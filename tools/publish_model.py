"""Publish a trained model: weights + meta, and the log of the run.

``python tools/publish_model.py WORK_DIR OUT_DIR [--checkpoint CKPT]``

As mmseg's ``tools/misc/publish_model.py``: the optimizer, scheduler and
message-hub states are dropped (a published file holds the state dict and
the meta: class names and split, config text, iteration, seed), so it is a
plain file that torch's safe ``weights_only`` loader reads. Written to
``OUT_DIR/<name>.pth`` with the run's text log ``<name>.log`` and its
scalars ``<name>.log.json`` (training losses and validation metrics per
iteration), where ``<name>`` is the config's name; the sha256 of the
``.pth`` is printed. These are the files the model zoo
(``configs/*/metafile.yaml``) points to.
"""
import argparse
import glob
import hashlib
import importlib.util
import io
import json
import os.path as osp
import sys

if importlib.util.find_spec('mmseg_zss') is None:  # uninstalled checkout
    sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402

import mmseg_zss  # noqa: E402,F401  (registers the package's modules)
from mmseg_zss.apis.drawing import write_bytes  # noqa: E402
from mmseg_zss.compat import load_checkpoint_file  # noqa: E402
from mmseg_zss.errors import CheckpointError  # noqa: E402
from mmseg_zss.utils import run_tool  # noqa: E402

META_KEYS = ('dataset_meta', 'cfg', 'iter', 'epoch', 'seed',
             'experiment_name', 'time', 'mmengine_version')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Strip a training checkpoint to weights + meta and '
        'collect the training log, for the model zoo')
    parser.add_argument('work_dir', help='work dir of a tools/train.py run')
    parser.add_argument('out_dir', help='folder for <name>.pth / .log / '
                        '.log.json')
    parser.add_argument('--checkpoint', help='checkpoint to publish '
                        '(default: the work dir\'s last_checkpoint)')
    parser.add_argument('--name', help='file name stem (default: the name '
                        'of the config in the work dir)')
    return parser.parse_args(argv)


def plain(value):
    """Meta values as plain Python (numpy scalars / arrays to numbers /
    lists), so torch's weights_only loader accepts the file."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(plain(v) for v in value)
    if isinstance(value, (np.generic, np.ndarray)):
        return value.tolist()
    return value


def last_checkpoint(work_dir):
    marker = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(marker):
        raise CheckpointError(f'{work_dir} has no last_checkpoint file; is '
                              'it a tools/train.py work dir? Pass '
                              '--checkpoint')
    with open(marker, encoding='utf-8') as f:
        path = f.read().strip()
    return path if osp.isabs(path) else osp.join(work_dir, osp.basename(path))


def run_logs(work_dir, iteration):
    """``(text log, scalars json)`` of the newest run that logged
    ``iteration`` as a training step."""
    for scalars in sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                             '*.json')), reverse=True):
        if osp.basename(scalars) == 'scalars.json':
            continue
        with open(scalars, encoding='utf-8') as f:
            steps = [json.loads(line) for line in f if line.strip()]
        if any(s.get('iter') == iteration and 'loss' in s for s in steps):
            stamp = osp.basename(scalars)[:-len('.json')]
            text = osp.join(osp.dirname(osp.dirname(scalars)), f'{stamp}.log')
            return (text if osp.isfile(text) else None), scalars
    raise CheckpointError(f'no training log in {work_dir}/*/vis_data/ '
                          f'reaches iteration {iteration}')


def config_name(work_dir):
    configs = glob.glob(osp.join(work_dir, '*.py'))
    return osp.splitext(osp.basename(configs[0]))[0] if len(configs) == 1 \
        else osp.basename(osp.normpath(work_dir))


@run_tool
def main(argv=None):
    args = parse_args(argv)
    checkpoint = args.checkpoint or last_checkpoint(args.work_dir)
    if not osp.isfile(checkpoint):
        raise CheckpointError(f'checkpoint {checkpoint} does not exist')
    state = load_checkpoint_file(checkpoint, map_location='cpu')
    if not isinstance(state, dict) or 'state_dict' not in state:
        raise CheckpointError(f'{checkpoint} holds no state_dict; is it a '
                              'tools/train.py checkpoint?')
    meta = {k: plain(v) for k, v in state.get('meta', {}).items()
            if k in META_KEYS}
    name = args.name or config_name(args.work_dir)
    buffer = io.BytesIO()
    torch.save(dict(meta=meta, state_dict=state['state_dict']), buffer)
    data = buffer.getvalue()
    out = osp.join(args.out_dir, f'{name}.pth')
    write_bytes(out, data)
    text, scalars = run_logs(args.work_dir, meta.get('iter'))
    written = [out]
    with open(scalars, 'rb') as f:
        written.append(write_bytes(osp.join(args.out_dir, f'{name}.log.json'),
                                   f.read()))
    if text is not None:
        with open(text, 'rb') as f:
            written.append(write_bytes(osp.join(args.out_dir, f'{name}.log'),
                                       f.read()))
    print(f'{out}: iteration {meta.get("iter")}, '
          f'sha256 {hashlib.sha256(data).hexdigest()}')
    print('wrote ' + ', '.join(written))
    return written


if __name__ == '__main__':
    main()
