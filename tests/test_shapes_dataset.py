"""ZeroShotShapesDataset through the real pipeline, and the Blank metric."""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import os
import os.path as osp

import numpy as np
import pytest
import torch
from fixture_shapes import NOISY, SPLIT, TINY, write_tiny_shapes
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import DATASETS, METRICS
from mmseg.structures import SegDataSample
from PIL import Image

from mmseg_zss.datasets.synthetic import shapes_classes
from mmseg_zss.errors import DatasetError

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CLASSES = shapes_classes()
UNSEEN_IDS = sorted(CLASSES.index(c) for c in SPLIT.unseen_classes)


def dataset_cfg(root, split='train', generate=None, noisy=True):
    cfg = Config.fromfile(osp.join(
        REPO, 'configs', '_base_', 'datasets',
        'zss_shapes_noisy.py' if noisy else 'zss_shapes.py'))
    loader = cfg.train_dataloader if split == 'train' else cfg.val_dataloader
    ds = loader.dataset.to_dict()
    ds.update(data_root=str(root), generate=generate)
    return ds


@pytest.fixture(scope='module')
def noisy_root(tmp_path_factory):
    root = tmp_path_factory.mktemp('shapes') / 'noisy'
    write_tiny_shapes(root, num_train=24, noise=dict(NOISY, swap=0.5))
    return root


def test_dataset_metainfo_and_split(noisy_root):
    init_default_scope('mmseg')
    ds = DATASETS.build(dataset_cfg(noisy_root, 'val'))
    assert len(ds) == 4
    assert ds.metainfo['classes'] == CLASSES
    assert set(ds.metainfo['unseen_classes']) == set(SPLIT.unseen_classes)
    # background is neither seen nor unseen: never a target, not evaluated
    assert 'background' not in ds.metainfo['seen_classes']
    assert 'background' not in ds.metainfo['unseen_classes']
    assert len(ds.metainfo['seen_classes']) == 24
    sample = ds[0]
    assert tuple(sample['inputs'].shape) == (3, 32, 32)
    assert sample['data_samples'].gt_sem_seg.data.max() <= 30


def test_no_unseen_class_pixel_is_ever_a_training_target(noisy_root):
    """Acceptance 3: run the training pipeline over the generated noisy data
    many times; the target is always seen and its mask never covers a pixel
    whose stored label is an unseen class (or background)."""
    init_default_scope('mmseg')
    ds = DATASETS.build(dataset_cfg(noisy_root))
    seen_ids = set(ds.seen_labels.tolist())
    assert seen_ids.isdisjoint(UNSEEN_IDS) and 0 not in seen_ids
    targets = set()
    for _ in range(6):
        for i in range(len(ds)):
            # prepare_data, not ds[i]: the latter replaces an image without
            # a seen class by a random other one
            sample = ds.prepare_data(i)
            if sample is None:
                continue
            target = sample['data_samples'].metainfo['target_class']
            mask = sample['data_samples'].gt_sem_seg.data[0].numpy()
            flipped = sample['data_samples'].metainfo['flip']
            stored = _label(ds, i)
            if flipped:
                stored = stored[:, ::-1]
            assert target in seen_ids
            assert set(np.unique(stored[mask == 1])) == {target}
            assert not np.isin(stored[mask == 1], UNSEEN_IDS + [0]).any()
            targets.add(target)
    # unseen classes are in the training images, as negatives only
    all_labels = np.concatenate([_label(ds, i).ravel() for i in range(len(ds))])
    assert np.isin(all_labels, UNSEEN_IDS).any()
    assert len(targets) > 10


def _label(ds, index):
    return np.array(Image.open(ds.get_data_info(index)['seg_map_path']))


def test_dataset_generates_on_first_use_and_refuses_other_settings(tmp_path):
    init_default_scope('mmseg')
    root = tmp_path / 'gen'
    generate = dict(TINY, seed=5)
    ds = DATASETS.build(dataset_cfg(root, 'val', generate=generate))
    assert len(ds) == 4 and osp.isfile(root / 'meta.json')
    assert sorted(os.listdir(root / 'img_dir' / 'train')) == [
        f'{i:05d}.png' for i in range(8)]
    with pytest.raises(DatasetError, match='other settings'):
        DATASETS.build(dataset_cfg(root, 'val', generate=dict(generate,
                                                               seed=6)))


def test_missing_root_without_generate_names_the_folder(tmp_path):
    init_default_scope('mmseg')
    with pytest.raises(DatasetError, match='does not exist'):
        DATASETS.build(dataset_cfg(tmp_path / 'none', 'val'))


def _sample(logits, gt):
    s = SegDataSample(gt_sem_seg=PixelData(data=torch.as_tensor(gt)[None]))
    s.set_metainfo(dict(img_path='x.png'))
    d = s.to_dict()
    d['seg_logits'] = dict(data=torch.as_tensor(logits, dtype=torch.float32))
    return d


def test_blank_reference_is_the_mean_foreground_fraction():
    """Two classes, seen 1 and unseen 2, background 0 not evaluated.

    Image A (8 px): 2 px of class 1, 4 px of class 2; image B: 3 px of
    class 1. Blank: IoU_1 = (2 + 3) / (8 + 8), IoU_2 = 4 / 8.
    The model predicts class 2 exactly in A and nothing for class 1.
    """
    metric = METRICS.build(dict(type='ZeroShotIoUBlankMetric'))
    metric.dataset_meta = dict(classes=('background', 'a', 'b'),
                               seen_classes=('a', ), unseen_classes=('b', ))
    gt_a = np.array([[1, 1, 2, 2], [2, 2, 0, 0]])
    gt_b = np.array([[1, 1, 1, 0], [0, 0, 0, 0]])
    logits_a = np.stack([np.zeros((2, 4)), -np.ones((2, 4)),
                         np.where(gt_a == 2, 1.0, -1.0)])
    logits_b = np.full((3, 2, 4), -1.0)
    metric.process({}, [_sample(logits_a, gt_a), _sample(logits_b, gt_b)])
    res = metric.compute_metrics(metric.results)
    assert res['blank.mIoU_seen'] == pytest.approx(100 * 5 / 16, abs=0.01)
    assert res['blank.mIoU_unseen'] == pytest.approx(50.0)
    assert res['blank.mIoU'] == pytest.approx(100 * (5 / 16 + 0.5) / 2,
                                              abs=0.01)
    assert res['mIoU_unseen'] == 100.0 and res['mIoU_seen'] == 0.0
    assert res['unseen_vs_blank'] == 2.0


@pytest.mark.parametrize('num_threads,workers,expected', [
    (1, 0, 1), (None, 1, max(1, (os.cpu_count() or 1) - 1)),
    (None, 64, 1)])
def test_cpu_threads_hook(num_threads, workers, expected):
    from types import SimpleNamespace

    from mmseg_zss.engine import CPUThreadsHook
    runner = SimpleNamespace(
        model=torch.nn.Linear(2, 2),
        cfg=dict(train_dataloader=dict(num_workers=workers)))
    before = torch.get_num_threads()
    try:
        CPUThreadsHook(num_threads).before_run(runner)
        assert torch.get_num_threads() == expected
    finally:
        torch.set_num_threads(before)
