"""mmseg on mmcv-lite (the mmcv.ops stand-in) and safe checkpoint loading."""
import os
import pickle
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F

import mmseg_zss  # noqa: F401
from mmseg_zss import compat
from mmseg_zss.errors import CheckpointError

lite_only = pytest.mark.skipif(
    compat.MMCV_FULL, reason='full mmcv installed: the stand-in is not used')


def test_mmseg_imports_in_a_fresh_interpreter():
    code = ('import mmseg_zss, mmseg.models, mmseg.datasets, mmseg.utils; '
            'from mmseg.models.decode_heads import PointHead, PSAHead, CCHead')
    subprocess.run([sys.executable, '-c', code], check=True)


def test_point_sample_equals_grid_sample():
    from mmcv.ops import point_sample
    torch.manual_seed(0)
    feats = torch.randn(2, 5, 9, 11)
    points = torch.rand(2, 17, 2)
    for align_corners in (False, True):
        ours = point_sample(feats, points, align_corners=align_corners)
        ref = F.grid_sample(feats, (2 * points - 1).unsqueeze(2),
                            align_corners=align_corners).squeeze(3)
        assert ours.shape == (2, 5, 17)
        assert torch.allclose(ours, ref, atol=1e-6)


@lite_only
def test_compiled_only_op_raises_when_called_naming_op_and_fix():
    import mmcv.ops
    from mmcv.ops import DeformConv2d, nms  # importing is fine
    with pytest.raises(compat.MMCVOpsUnavailableError) as err:
        nms(torch.zeros(1, 4), torch.zeros(1), 0.5)
    assert 'mmcv.ops.nms' in str(err.value)
    assert 'MMCV_WITH_OPS=1 pip install mmcv==2.1.0' in str(err.value)
    with pytest.raises(compat.MMCVOpsUnavailableError, match='DeformConv2d'):
        DeformConv2d(3, 3, 3)
    assert not isinstance(torch.nn.Conv2d(1, 1, 1), DeformConv2d)
    assert mmcv.ops.nms is nms  # one placeholder per name


@lite_only
def test_unknown_and_dunder_names():
    import mmcv.ops
    with pytest.raises(ModuleNotFoundError):
        from mmcv.ops import no_such_op  # noqa: F401
    with pytest.raises(AttributeError):
        getattr(mmcv.ops, "__wrapped__")  # noqa: B009


@pytest.mark.skipif(not compat.MMCV_FULL, reason='needs full mmcv')
def test_full_mmcv_untouched():
    import mmcv.ops
    assert not isinstance(mmcv.ops, compat._LiteOpsModule)


# ---------------------------------------------------------------- checkpoints
def _training_checkpoint(path):
    """What an mmengine Runner writes: weights + message hub + numpy meta."""
    import numpy as np
    from mmengine.logging import HistoryBuffer
    buf = HistoryBuffer()
    buf.update(np.float64(1.5))
    torch.save(
        dict(
            meta=dict(seed=np.int64(3), iter=2),
            state_dict={'w': torch.ones(2)},
            message_hub=dict(log_scalars={'train/loss': buf}),
            optimizer={'state': {}, 'param_groups': [{'lr': 0.1}]}), path)


def test_training_checkpoint_loads_safely(tmp_path):
    path = str(tmp_path / 'iter_2.pth')
    _training_checkpoint(path)
    with pytest.raises(pickle.UnpicklingError):  # what torch>=2.6 does alone
        torch.load(path, weights_only=True)
    ckpt = compat.load_checkpoint_file(path)
    assert torch.equal(ckpt['state_dict']['w'], torch.ones(2))
    assert ckpt['message_hub']['log_scalars']['train/loss'].current() == 1.5


class _Evil:

    def __reduce__(self):
        return (os.system, ('echo pwned',))


def test_malicious_checkpoint_is_refused(tmp_path):
    path = str(tmp_path / 'evil.pth')
    torch.save({'state_dict': {}, 'x': _Evil()}, path)
    with pytest.raises(CheckpointError, match='not safe to load') as err:
        compat.load_checkpoint_file(path)
    assert 'evil.pth' in str(err.value) and 'system' in str(err.value)


@pytest.mark.parametrize('owner, name', [('HistoryBuffer', '__init__'),
                                          ('ndarray', 'tofile')])
def test_getattr_only_for_history_buffer_statistics(tmp_path, owner, name):
    import numpy as np
    from mmengine.logging import HistoryBuffer
    target = {'HistoryBuffer': HistoryBuffer, 'ndarray': np.ndarray}[owner]

    class _Sneaky:

        def __reduce__(self):
            return (getattr, (target, name))

    path = str(tmp_path / 'getattr.pth')
    torch.save({'x': _Sneaky()}, path)
    with pytest.raises(CheckpointError, match='not safe to load') as err:
        compat.load_checkpoint_file(path)
    assert name in str(err.value)


def test_not_a_checkpoint_and_missing_file(tmp_path):
    text = tmp_path / 'notes.pth'
    text.write_text('this is not a checkpoint\n')
    with pytest.raises(CheckpointError, match='notes.pth is not a'):
        compat.load_checkpoint_file(str(text))
    with pytest.raises(CheckpointError, match='does not exist'):
        compat.load_checkpoint_file(str(tmp_path / 'missing.pth'))


def test_mmengine_uses_the_safe_loader(tmp_path):
    from mmengine.runner import load_checkpoint
    path = str(tmp_path / 'iter_2.pth')
    _training_checkpoint(path)
    model = torch.nn.Module()
    model.register_parameter('w', torch.nn.Parameter(torch.zeros(2)))
    load_checkpoint(model, path)
    assert torch.equal(model.w.data, torch.ones(2))
