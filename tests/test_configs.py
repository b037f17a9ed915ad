"""Every config under configs/ builds its model and its data pipelines, and
the paper configs hold what their names and docs/reproduce.md promise.

The configs are built in a stand-in of the user's working directory
(fixture_baselines.write_standin_data): the real data layouts and 300-d
embedding files at the relative paths the configs name, generated tiny.
Models are built on the meta device (no memory, no init cost): building, not
training, is what is checked here.
"""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import copy
import functools
import glob
import json
import os.path as osp
import re

import pytest
import torch
from fixture_baselines import REPO_CONFIGS, speed_up_mmengine, write_standin_data
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS, MODELS

from mmseg_zss.datasets.zero_shot_split import load_split

REPO = osp.dirname(REPO_CONFIGS)
CONFIGS = sorted(
    p for p in glob.glob(osp.join(REPO_CONFIGS, '**', '*.py'), recursive=True)
    if '_base_' not in osp.relpath(p, REPO_CONFIGS).split(osp.sep))
PAPER_DIRS = ('zss', 'baselines', 'ablations')
PAPER = [p for p in CONFIGS
         if osp.relpath(p, REPO_CONFIGS).split(osp.sep)[0] in PAPER_DIRS]
ids = functools.partial(osp.relpath, start=REPO_CONFIGS)


@pytest.fixture(scope='module', autouse=True)
def fast_mmengine():
    with pytest.MonkeyPatch.context() as monkeypatch:
        speed_up_mmengine(monkeypatch)
        yield


@functools.lru_cache(maxsize=None)
def config(path):
    return Config.fromfile(path)


@pytest.fixture(scope='module')
def standin(tmp_path_factory):
    return write_standin_data(tmp_path_factory.mktemp('standin'))


def tiny_shapes(cfg):
    """ZSS-Shapes configs generate their data root: keep it tiny."""
    for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = (cfg.get(name) or {}).get('dataset', {})
        if 'generate' in dataset:
            dataset.generate.update(num_train=8, num_val=4)


def once(build):
    """Configs repeat the same model or dataset dict: build each one once."""
    results = {}

    def cached(cfg):
        key = json.dumps(cfg, sort_keys=True, default=str)
        if key not in results:
            results[key] = build(copy.deepcopy(cfg))
        return results[key]

    return cached


@once
def build_model(cfg):
    with torch.device('meta'):  # no memory, no init cost
        return MODELS.build(cfg)


@once
def build_dataset(cfg):
    """The dataset's metainfo, after its first sample went through the
    config's pipeline."""
    # without the gc.collect() of mmengine's serialisation (0.5 s here)
    dataset = DATASETS.build(dict(cfg, serialize_data=False))
    sample = dataset[0]
    assert 'inputs' in sample and 'data_samples' in sample
    return dataset.metainfo


@pytest.mark.parametrize('path', CONFIGS, ids=ids)
def test_config_builds_model_and_pipelines(path, standin, monkeypatch):
    monkeypatch.chdir(standin)
    cfg = copy.deepcopy(config(path))
    assert cfg.custom_imports == dict(imports=['mmseg_zss'],
                                      allow_failed_imports=False)
    tiny_shapes(cfg)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model = build_model(cfg.model)
    head = getattr(model, 'decode_head', model)
    loaders = [cfg[k] for k in ('train_dataloader', 'test_dataloader')
               if cfg.get(k)]
    assert loaders, 'no dataloader'
    for loader in loaders:
        metainfo = build_dataset(loader.dataset)
        assert head.num_classes == len(metainfo['classes'])


# ------------------------------------------------------- the paper configs
NAME = re.compile(
    r'^(?:(?P<algo>[a-z0-9-]+)_)??(?:(?P<backbone>deeplabv3plus|pspnet)_)?'
    r'(?P<set>pc59|pc215|ade20k)_k(?P<k>\d+)'
    r'(?:_(?P<variant>fasttext|no-unseen-bg))?\.py$')
DATASET = dict(pc59='ZeroShotPascalContext59Dataset',
               pc215='ZeroShotPascalContext459Dataset',
               ade20k='ZeroShotADE20KDataset')
FEATURE_HEAD = dict(deeplabv3plus='DepthwiseSeparableASPPHead',
                    pspnet='PSPHead')
LOSSES = {
    'uloss': ['BayesianDiceLoss', 'StochasticBCELoss'],
    'baseline': ['DiceL1Loss', 'CrossEntropyLoss'],
    'bce-only': ['CrossEntropyLoss'],
    'sbce': ['DiceL1Loss', 'StochasticBCELoss'],
    'bdice': ['BayesianDiceLoss', 'CrossEntropyLoss'],
}
CLASSIFIER = dict(devise='DeViSEClassifier', cbn='CBNClassifier')


def parse(path):
    match = NAME.match(osp.basename(path))
    assert match, f'{osp.basename(path)} does not follow the name pattern'
    parts = match.groupdict()
    if osp.basename(osp.dirname(path)) == 'zss':
        assert parts['algo'] is None
        parts['algo'] = 'uloss'
    return parts


def test_the_users_config_is_uloss_deeplabv3plus_pc59_k30():
    cfg = config(osp.join(REPO_CONFIGS, 'zss', 'deeplabv3plus_pc59_k30.py'))
    head = cfg.model.decode_head
    assert [loss.type for loss in head.loss_decode] == LOSSES['uloss']
    assert head.feature_head.type == 'DepthwiseSeparableASPPHead'
    assert cfg.train_dataloader.dataset.split == 'pascal_context_59_unseen30'


@pytest.mark.parametrize('path', PAPER, ids=ids)
def test_paper_config_is_what_its_name_says(path):
    cfg, name = config(path), parse(path)
    test = cfg.test_dataloader.dataset
    # test-only predictors have no training part
    train = cfg.train_dataloader.dataset if cfg.train_dataloader else test
    assert train.type == test.type == DATASET[name['set']]
    assert train.split == test.split == cfg.val_dataloader.dataset.split
    if name['set'] == 'pc215':
        assert train.split == 'zss_splits/pascal_context_215_unseen156.json'
    else:
        assert len(load_split(train.split).unseen_classes) == int(name['k'])
    assert train.get('exclude_unseen_images', False) == (
        name['variant'] == 'no-unseen-bg')
    if name['algo'] in ('blank', 'random'):
        assert cfg.model.type == name['algo'].capitalize() + 'Predictor'
        assert cfg.model.get('foreground_prob', 1.0) == (
            0.15 if name['algo'] == 'random' else 1.0)
        return
    head = cfg.model.decode_head
    assert head.feature_head.type == FEATURE_HEAD[name['backbone']]
    source = 'fasttext' if name['variant'] == 'fasttext' else 'word2vec'
    assert head.class_embeddings.startswith(f'data/embeddings/{source}/')
    losses = [loss.type for loss in head.loss_decode]
    algo = name['algo']
    if algo in LOSSES:
        assert losses == LOSSES[algo]
        assert head.classifier.type == 'ConcatClassifier'
    else:  # comparison methods keep the Baseline's losses
        assert losses == LOSSES['baseline']
        assert head.classifier.type == CLASSIFIER.get(algo,
                                                      'ConcatClassifier')
    assert head.get('type') == ('GMMNHead' if algo == 'gmmn-stage2'
                                else 'ZeroShotHead')


@pytest.mark.parametrize(
    'path', [p for p in PAPER if parse(p)['algo'] not in ('blank', 'random')],
    ids=ids)
def test_paper_recipe(path):
    """PAPER_NOTES 12 and §4.1, in every trainable paper config."""
    cfg = config(path)
    assert cfg.train_dataloader.batch_size == 8
    opt = cfg.optim_wrapper.optimizer
    assert (opt.type, opt.lr, opt.momentum, opt.weight_decay) == (
        'SGD', 5e-4, 0.9, 5e-4)
    stage2 = parse(path)['algo'] == 'gmmn-stage2'
    assert cfg.train_cfg.max_iters == (5000 if stage2 else 20000)
    backbone = cfg.model.backbone
    assert (backbone.depth, backbone.frozen_stages, backbone.norm_eval) == (
        50, 4, True)
    assert cfg.model.pretrained == 'open-mmlab://resnet50_v1c'
    head = cfg.model.decode_head
    assert head.embed_dim == 300
    weights = {loss.loss_name: loss.loss_weight for loss in head.loss_decode}
    assert weights.get('loss_img', 1.0) == 1.0
    assert weights['loss_pixel'] == 0.05  # lambda of Eq. 2
    steps = {s.type: s for s in cfg.train_dataloader.dataset.pipeline}
    assert steps['RandomResize'].ratio_range == (0.75, 2.0)
    assert steps['RandomCrop'].crop_size == (513, 513)
    assert cfg.model.data_preprocessor.size == (513, 513)
    assert {'RandomFlip', 'PhotoMetricDistortion'} <= set(steps)
    resize = [s for s in cfg.test_dataloader.dataset.pipeline
              if s.type == 'Resize']
    assert resize[0].scale == (513, 513)
    assert cfg.test_evaluator.type == 'ZeroShotIoUMetric'
    assert cfg.test_evaluator.get('threshold', 0.5) == 0.5


@pytest.mark.parametrize(
    'path', [p for p in PAPER if parse(p)['algo'] == 'gmmn-stage2'], ids=ids)
def test_gmmn_stage2_loads_stage1(path):
    cfg = config(path)
    stage1_path = path.replace('gmmn-stage2', 'gmmn-stage1')
    stage1 = config(stage1_path)
    stem = osp.splitext(osp.basename(stage1_path))[0]
    last = stage1.train_cfg.max_iters
    assert last % stage1.default_hooks.checkpoint.interval == 0
    assert cfg.load_from == f'work_dirs/{stem}/iter_{last}.pth'
    baseline = config(stage1_path.replace('gmmn-stage1', 'baseline'))
    assert stage1.model == baseline.model  # stage 1 is the Baseline
    head = cfg.model.decode_head
    assert head.unseen_split == cfg.train_dataloader.dataset.split
    assert head.split_root == cfg.train_dataloader.dataset.data_root
    assert head.freeze_feature_head


# ------------------------------------------------------ docs/reproduce.md
def reproduce_md():
    with open(osp.join(REPO, 'docs', 'reproduce.md'), encoding='utf-8') as f:
        return f.read()


def test_reproduce_md_names_existing_configs_and_every_paper_config():
    text = reproduce_md()
    # (upper case marks a placeholder, e.g. ..._SETTING.py)
    named = set(re.findall(r'configs/[a-z0-9_./-]+\.py', text))
    assert named, 'docs/reproduce.md names no config'
    missing = sorted(p for p in named if not osp.isfile(osp.join(REPO, p)))
    assert not missing, missing
    unnamed = sorted(osp.relpath(p, REPO) for p in PAPER
                     if osp.relpath(p, REPO) not in named)
    assert not unnamed, unnamed
