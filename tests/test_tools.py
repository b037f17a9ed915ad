"""tools/train.py, tools/test.py and tools/dist_train.sh end to end on CPU.

The tools run in a subprocess from a temporary directory (not the repo root),
on a generated Pascal-Context-59 fixture, with a tiny DeepLabV3+.
"""
import os.path as osp
import subprocess
import sys

import pytest
import torch

from mmseg_zss.compat import load_checkpoint_file
from mmseg_zss.utils import check_checkpoint_matches, load_config
from mmseg_zss.utils.runner import build_model

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
TINY = osp.join(REPO, 'tests', 'configs', 'tiny_deeplabv3plus_pc59.py')


def data_options(root):
    return ['--cfg-options'] + [
        f'{split}_dataloader.dataset.data_root={root}'
        for split in ('train', 'val', 'test')
    ]


def run(args, cwd, check=True):
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True,
                          timeout=300)
    out = proc.stdout + proc.stderr
    if check and proc.returncode != 0:
        raise AssertionError(f'{args} failed ({proc.returncode}):\n{out}')
    return proc.returncode, out


def tool(name, *args):
    return [sys.executable, osp.join(REPO, 'tools', name), *args]


@pytest.fixture(scope='module')
def trained(tiny_pc59, tmp_path_factory):
    """Train 2 iterations (without custom_imports in the config)."""
    work = str(tmp_path_factory.mktemp('work'))
    run(tool('train.py', TINY, '--work-dir', work, *data_options(tiny_pc59)),
        cwd=work)
    return work


def test_train_saves_checkpoint(trained):
    assert osp.isfile(osp.join(trained, 'iter_2.pth'))


def test_resume_continues_to_iter_4_and_test_evaluates(trained, tiny_pc59):
    _, out = run(
        tool('train.py', TINY, '--work-dir', trained, '--resume',
             *data_options(tiny_pc59), 'train_cfg.max_iters=4'), cwd=trained)
    assert 'resumed epoch: 0, iter: 2' in out
    assert 'Iter(train) [4/4]' in out and 'Iter(train) [1/4]' not in out
    ckpt = osp.join(trained, 'iter_4.pth')
    assert load_checkpoint_file(ckpt)['meta']['iter'] == 4
    _, out = run(
        tool('test.py', TINY, ckpt, '--work-dir', trained,
             *data_options(tiny_pc59)), cwd=trained)
    assert 'Iter(test) [2/2]' in out and 'mIoU' in out


def test_missing_config(tmp_path):
    code, out = run(tool('train.py', 'configs/no/such.py'), tmp_path, False)
    assert code == 2 and 'Traceback' not in out
    assert 'config configs/no/such.py does not exist' in out


def test_text_file_as_checkpoint(tmp_path, tiny_pc59):
    bad = tmp_path / 'notes.pth'
    bad.write_text('not a checkpoint')
    code, out = run(
        tool('test.py', TINY, str(bad), *data_options(tiny_pc59)), tmp_path,
        False)
    assert code == 2 and 'Traceback' not in out
    assert f'{bad} is not a readable PyTorch checkpoint' in out


def test_checkpoint_of_another_model(tmp_path, tiny_pc59):
    other = str(tmp_path / 'other.pth')
    torch.save({'state_dict': {'conv.weight': torch.zeros(3, 3, 1, 1)}}, other)
    code, out = run(
        tool('test.py', TINY, other, *data_options(tiny_pc59)), tmp_path,
        False)
    assert code == 2 and 'Traceback' not in out
    assert 'other.pth is a checkpoint of another model' in out


def test_test_without_checkpoint_needs_a_model_without_weights(
        tmp_path, tiny_pc59):
    code, out = run(tool('test.py', TINY, *data_options(tiny_pc59)),
                    tmp_path, False)
    assert code == 2 and 'Traceback' not in out
    assert 'no checkpoint given, and this model has' in out
    assert 'tools/test.py CONFIG CHECKPOINT' in out


def test_shape_mismatch_is_named(trained, tiny_pc59):
    cfg = load_config(TINY, {'model.decode_head.num_classes': 21})
    with pytest.raises(Exception, match='have another shape'):
        check_checkpoint_matches(
            build_model(cfg), osp.join(trained, 'iter_2.pth'))


def test_dist_train_two_cpu_processes(tiny_pc59, tmp_path, launcher_env):
    work = str(tmp_path / 'dist')
    proc = subprocess.run(
        ['bash', osp.join(REPO, 'tools', 'dist_train.sh'), TINY, '2',
         '--work-dir', work, *data_options(tiny_pc59)],
        cwd=str(tmp_path), capture_output=True, text=True, timeout=300,
        env=launcher_env)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert 'rank 0/2: training finished' in out
    assert 'rank 1/2: training finished' in out
    assert 'Distributed training: True' in out
    ckpt = osp.join(work, 'iter_2.pth')
    check_checkpoint_matches(build_model(load_config(TINY)), ckpt)
