"""Zero-shot datasets through the real pipelines of the base configs.

Acceptance 1 (leak test) and 5 (bad split / label value / missing file).
"""
import copy
import json
import os
import os.path as osp

import numpy as np
import pytest
from fixture_data import write_pascal_context_59
from fixture_datasets import write_ade20k, write_pascal_context_459
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS
from PIL import Image

import mmseg_zss  # noqa: F401
from mmseg_zss.datasets import get_classes, save_split
from mmseg_zss.datasets.full_label_split import make_pascal_context_215_split
from mmseg_zss.datasets.label_io import load_label_map
from mmseg_zss.errors import DatasetError

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
NUM_SAMPLES = 2000


def base_config(name):
    return Config.fromfile(
        osp.join(REPO, 'configs', '_base_', 'datasets', f'zss_{name}.py'))


def tiny_pipeline(pipeline, scale=(40, 40), crop=(24, 24)):
    """The config's pipeline with sizes for 40-pixel fixture images."""
    pipeline = copy.deepcopy(pipeline)
    for step in pipeline:
        if 'scale' in step:
            step['scale'] = scale
        if 'crop_size' in step:
            step['crop_size'] = crop
    return pipeline


def build(name, data_root, mode='train', **overrides):
    init_default_scope('mmseg')  # as the Runner does (default_scope)
    cfg = base_config(name)
    loader = cfg.train_dataloader if mode == 'train' else cfg.val_dataloader
    ds_cfg = copy.deepcopy(loader.dataset)
    ds_cfg.update(data_root=data_root,
                  pipeline=tiny_pipeline(ds_cfg.pipeline), **overrides)
    return DATASETS.build(ds_cfg)


@pytest.fixture(scope='module')
def layouts(tmp_path_factory):
    """(config name, data root, overrides) for each real on-disk layout."""
    pc59 = str(tmp_path_factory.mktemp('pc59'))
    write_pascal_context_59(pc59, num_train=12, num_val=2, size=40, seed=3)
    ade = str(tmp_path_factory.mktemp('ade'))
    write_ade20k(ade, num_train=12, num_val=2, size=40)
    pc459 = str(tmp_path_factory.mktemp('pc459'))
    write_pascal_context_459(pc459, num_train=12, num_val=8, size=40)
    # the PC-215 rule on the fixture's validation maps
    counts = np.zeros(459, np.int64)
    val = open(osp.join(pc459, 'ImageSets', 'SegmentationContext',
                        'val.txt')).read().split()
    for name in val:
        seg = load_label_map(osp.join(pc459, 'SegmentationClassContext459',
                                      name + '.png'),
                             reduce_zero_label=True, ignore_index=65535)
        counts[np.unique(seg[seg != 65535])] += 1
    split = make_pascal_context_215_split(counts)
    os.makedirs(osp.join(pc459, 'zss_splits'))
    save_split(split, osp.join(pc459, 'zss_splits', 'fixture.json'))
    return [
        ('pascal_context_59', pc59,
         dict(split='pascal_context_59_unseen10')),
        ('ade20k_150', ade, dict(split='ade20k_150_unseen25')),
        ('pascal_context_459', pc459, dict(split='zss_splits/fixture.json')),
    ]


def original_classes(path, dataset):
    seg = load_label_map(path, reduce_zero_label=True,
                         ignore_index=dataset.ignore_index)
    return set(np.unique(seg).tolist()) - {dataset.ignore_index}


@pytest.mark.parametrize('exclude', [False, True])
@pytest.mark.parametrize('layout', [0, 1, 2])
def test_no_unseen_leak(layouts, layout, exclude):
    name, root, overrides = layouts[layout]
    ds = build(name, root, exclude_unseen_images=exclude, **overrides)
    seen, unseen = set(ds.seen_labels.tolist()), set(ds.unseen_labels.tolist())
    assert unseen and seen
    cache, targets, values = {}, set(), set()
    for i in range(NUM_SAMPLES):
        data = ds[i % len(ds)]
        sample = data['data_samples']
        target = sample.metainfo['target_class']
        mask = sample.gt_sem_seg.data
        assert target in seen, (name, target)
        targets.add(target)
        values.update(mask.unique().tolist())
        assert (mask == 1).any()  # the target is in the augmented crop
        if exclude:
            path = sample.metainfo['seg_map_path']
            if path not in cache:
                cache[path] = original_classes(path, ds)
            assert not cache[path] & unseen, path
    assert values <= {0, 1, 255} and {0, 1} <= values
    assert len(targets) > 5  # many seen classes were drawn
    if exclude:
        full = build(name, root, **overrides)
        assert 0 < len(ds) < len(full)


def test_metainfo_and_test_mode(layouts):
    name, root, overrides = layouts[2]
    ds = build(name, root, mode='val', **overrides)
    meta = ds.metainfo
    assert meta['classes'] == get_classes('pascal_context_459')
    assert meta['ignore_index'] == 65535
    assert set(meta['class_groups']) == {'IMN+', 'IMN-'}
    assert len(meta['seen_classes']) == 59
    data = ds[0]
    assert 'target_class' not in data['data_samples'].metainfo
    gt = data['data_samples'].gt_sem_seg.data
    # dense 459-class labels survive: id 401 (class 400) is in image 0
    values = set(gt.unique().tolist())
    assert 400 in values and values <= set(range(459)) | {65535}


def test_unknown_split_class(tmp_path, layouts):
    name, root, _ = layouts[0]
    classes = list(get_classes('pascal_context_59'))
    path = tmp_path / 'my_split.json'
    path.write_text(json.dumps(dict(
        name='pascal_context_60_unseen1', dataset='pascal_context_59',
        seen_classes=classes, unseen_classes=['zeppelin'])))
    with pytest.raises(DatasetError, match="class 'zeppelin' in unseen"):
        build(name, root, split=str(path))


def test_split_for_another_dataset(layouts):
    name, root, _ = layouts[0]
    with pytest.raises(DatasetError, match='ade20k_150'):
        build(name, root, split='ade20k_150_unseen25')


def test_label_value_above_class_count(tmp_path):
    root = str(tmp_path)
    write_pascal_context_59(root, num_train=2, num_val=1, size=40)
    seg = np.zeros((40, 40), np.uint8)
    seg[5, 5] = 61  # 61 - 1 = 60 > 58
    path = osp.join(root, 'SegmentationClassContext', '2008_000001.png')
    Image.fromarray(seg).save(path)
    ds = build('pascal_context_59', root, split='pascal_context_59_unseen10')
    with pytest.raises(DatasetError, match='2008_000001.png holds value 60'):
        ds.prepare_data(1)
    with pytest.raises(DatasetError, match='2008_000001.png holds value 60'):
        build('pascal_context_59', root, split='pascal_context_59_unseen10',
              exclude_unseen_images=True)


def test_image_without_label_file(tmp_path):
    root = str(tmp_path)
    write_ade20k(root, num_train=3, num_val=1, size=40)
    missing = osp.join(root, 'annotations', 'training', 'ADE_train_00000001.png')
    os.remove(missing)
    with pytest.raises(DatasetError, match='ADE_train_00000001.png'):
        build('ade20k_150', root, split='ade20k_150_unseen25')
    with pytest.raises(DatasetError, match='image folder'):
        build('ade20k_150', str(tmp_path / 'none'))


def test_presence_cache(tmp_path, layouts):
    name, root, overrides = layouts[1]
    cache = str(tmp_path / 'presence.json')
    a = build(name, root, exclude_unseen_images=True, presence_cache=cache,
              **overrides)
    assert osp.isfile(cache)
    stamp = os.stat(cache).st_mtime_ns
    b = build(name, root, exclude_unseen_images=True, presence_cache=cache,
              **overrides)
    assert os.stat(cache).st_mtime_ns == stamp  # nothing re-read or written
    assert [d['img_path'] for d in a.load_data_list()] == \
        [d['img_path'] for d in b.load_data_list()]
    assert len(a) == len(b)


@pytest.mark.parametrize('name', ['pascal_context_59', 'pascal_context_459',
                                  'ade20k_150'])
def test_base_config_combines_with_a_model_config(tmp_path, name):
    """Top-level configs inherit a model, a dataset and a runtime base:
    the dataset bases must not repeat their keys (mmengine refuses)."""
    cfg_file = tmp_path / 'top.py'
    cfg_file.write_text(
        "_base_ = ['mmseg::_base_/models/deeplabv3plus_r50-d8.py', "
        f"'{REPO}/configs/_base_/datasets/zss_{name}.py', "
        "'mmseg::_base_/default_runtime.py']\n")
    cfg = Config.fromfile(str(cfg_file))
    assert cfg.val_evaluator.type == 'ZeroShotIoUMetric'
    assert cfg.train_dataloader.dataset.pipeline[-2].type == \
        'SampleZeroShotTarget'
