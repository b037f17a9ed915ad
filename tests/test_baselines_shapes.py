"""Every comparison method trains for 2 iterations and evaluates on a tiny
ZSS-Shapes (acceptance 2); GMMN's two stages run end to end; Blank and
Random run through tools/test.py and score their analytic expectation."""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import glob
import json
import os.path as osp

import numpy as np
import pytest
import torch
from fixture_baselines import (
    REPO_CONFIGS,
    speed_up_mmengine,
    tiny_data_options,
    tiny_training_options,
)
from fixture_tools import load_tool
from mmengine.runner import Runner

from mmseg_zss.compat import load_checkpoint_file
from mmseg_zss.datasets import get_classes
from mmseg_zss.datasets.label_io import load_label_map
from mmseg_zss.models.baselines.random_predictor import expected_iou
from mmseg_zss.utils import load_config

SHAPES = osp.join(REPO_CONFIGS, 'zss_shapes', 'baselines')


def shapes_config(name):
    return osp.join(SHAPES, name)


def train(config, work_dir, data_root, **extra):
    """tools/train.py's Runner, in this process: 2 iterations + validation.

    Returns (runner, validation metrics)."""
    cfg = load_config(config)
    cfg.merge_from_dict(dict(tiny_training_options(data_root, work_dir),
                             **extra), allow_list_keys=True)
    runner = Runner.from_cfg(cfg)
    runner.train()
    return runner, runner.val_loop.run()


@pytest.fixture(scope='module', autouse=True)
def fast_mmengine():
    with pytest.MonkeyPatch.context() as monkeypatch:
        speed_up_mmengine(monkeypatch)
        yield


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    return str(tmp_path_factory.mktemp('shapes') / 'data')


@pytest.mark.parametrize('method', ['devise', 'cbn'])
def test_method_trains_and_evaluates(method, data_root, tmp_path):
    config = shapes_config(
        f'deeplabv3plus_r18s_{method}_1xb16-1k_shapes-noisy-64x64.py')
    runner, metrics = train(config, tmp_path, data_root + '_noisy')
    assert osp.isfile(tmp_path / 'iter_2.pth')
    for key in ('mIoU_seen', 'mIoU_unseen', 'hIoU', 'gzsl.mIoU_unseen'):
        assert 0 <= metrics[key] <= 100 or np.isnan(metrics[key])
    classifier = runner.model.decode_head.classifier
    assert type(classifier).__name__ == {
        'devise': 'DeViSEClassifier', 'cbn': 'CBNClassifier'}[method]


def state(path):
    return load_checkpoint_file(str(path), map_location='cpu')['state_dict']


def test_gmmn_two_stages_end_to_end(data_root, tmp_path):
    """Stage 1 (the Baseline) then stage 2 from its checkpoint, as in
    docs/reproduce.md: the visual network stays as stage 1 left it, the
    classifier is fine-tuned and the generator trained."""
    stage1_dir, stage2_dir = tmp_path / 'stage1', tmp_path / 'stage2'
    train(shapes_config(
        'deeplabv3plus_r18s_gmmn-stage1_1xb16-1k_shapes-64x64.py'),
        stage1_dir, data_root)
    runner, metrics = train(
        shapes_config('deeplabv3plus_r18s_gmmn-stage2_1xb16-300_shapes-'
                      '64x64.py'), stage2_dir, data_root,
        load_from=str(stage1_dir / 'iter_2.pth'))
    assert 0 <= metrics['mIoU_unseen'] <= 100
    logs = runner.message_hub.log_scalars
    assert {'train/decode.loss_mmd', 'train/decode.loss_generated',
            'train/decode.loss_img', 'train/decode.loss_pixel'} <= set(logs)
    before, after = state(stage1_dir / 'iter_2.pth'), state(
        stage2_dir / 'iter_2.pth')
    visual = [k for k in before if k.startswith(
        ('backbone.', 'decode_head.feature_head.'))]
    assert visual and all(torch.equal(before[k], after[k]) for k in visual)
    classifier = [k for k in before if k.startswith(
        'decode_head.classifier.') and 'running' not in k
        and 'num_batches' not in k]
    assert any(not torch.equal(before[k], after[k]) for k in classifier)
    assert any(k.startswith('decode_head.generator.') for k in after)
    assert not any(k.startswith('decode_head.generator.') for k in before)


def load_test_tool():
    return load_tool('test')


@pytest.fixture(scope='module')
def references(tmp_path_factory):
    """Blank and Random through tools/test.py on 40 validation images, and
    the ground truth they were scored on. Blank from its config alone,
    Random with a checkpoint without weights (both are accepted)."""
    root = tmp_path_factory.mktemp('refs')
    data = str(root / 'data')
    empty = str(root / 'no_weights.pth')
    torch.save({'state_dict': {}}, empty)
    tool, metrics = load_test_tool(), {}
    for name, checkpoint in (('blank', []), ('random', [empty])):
        work = root / name
        options = tiny_data_options(data, num_val=40, image_size=64,
                                    loaders=('test_dataloader', ))
        tool.main([shapes_config(f'{name}_shapes-64x64.py'), *checkpoint,
                   '--work-dir', str(work), '--cfg-options',
                   *[f'{k}={v}' for k, v in options.items()]])
        logs = glob.glob(str(work / '*' / '*.json'))
        assert len(logs) == 1, logs
        with open(logs[0]) as f:
            metrics[name] = json.load(f)
    maps = [load_label_map(p) for p in sorted(
        glob.glob(osp.join(data, 'ann_dir', 'val', '*.png')))]
    assert len(maps) == 40
    return metrics, maps


def analytic(maps, p, split_classes):
    """Mean expected IoU (%) over the evaluated classes of a split part."""
    classes = get_classes('zss_shapes')
    iou = expected_iou(maps, len(classes), p)
    ids = [classes.index(c) for c in split_classes]
    return 100 * np.nanmean(iou[ids])


@pytest.mark.parametrize('name, p', [('blank', 1.0), ('random', 0.15)])
def test_blank_and_random_match_their_expectation(references, name, p):
    from fixture_shapes import SPLIT
    metrics, maps = references
    for part, classes in (('seen', SPLIT.seen_classes),
                          ('unseen', SPLIT.unseen_classes)):
        measured = metrics[name][f'mIoU_{part}']
        expected = analytic(maps, p, classes)
        # Blank is exact (metric rounding); Random within 1 point
        assert measured == pytest.approx(
            expected, abs=0.006 if name == 'blank' else 1.0), part
    # the benchmark metric's own Blank reference, from the same pairs
    assert metrics['blank']['mIoU_unseen'] == \
        metrics['blank']['blank.mIoU_unseen']
