"""A tiny EncoderDecoder with ZeroShotHead: training, DDP-readiness, frozen
backbone, and the shipped base model configs."""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import copy
import os.path as osp

import pytest
import torch
from fixture_models import TABLE3, build_segmentor, make_batch, write_embeddings
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from mmseg_zss.errors import EmbeddingError

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.fixture(scope='module')
def emb_path(tmp_path_factory):
    return write_embeddings(tmp_path_factory.mktemp('emb') / 'classes.npy')


def total_loss(losses):
    return sum(v for k, v in losses.items() if 'loss' in k)


@pytest.mark.parametrize('feature_head', ['deeplabv3plus', 'pspnet'])
@pytest.mark.parametrize('variant', sorted(TABLE3))
def test_every_trainable_parameter_gets_a_gradient(emb_path, feature_head,
                                                   variant):
    """DDP with find_unused_parameters=False needs this, per Table 3 row."""
    model = build_segmentor(emb_path, feature_head, variant).train()
    inputs, samples = make_batch()
    losses = model.loss(inputs, samples)
    expected = {'decode.loss_pixel', 'decode.acc_seg'}
    if variant != 'bce_only':
        expected.add('decode.loss_img')
    assert set(losses) == expected
    total_loss(losses).backward()
    missing = [name for name, p in model.named_parameters()
               if p.requires_grad and p.grad is None]
    assert not missing
    assert all(torch.isfinite(p.grad).all() for p in model.parameters()
               if p.grad is not None)


def snapshot(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def test_frozen_backbone_unchanged_by_an_optimiser_step(emb_path):
    """frozen_stages=4 + norm_eval: weights and BN statistics stay put."""
    model = build_segmentor(emb_path).train()
    optim = build_optim_wrapper(model, dict(
        type='OptimWrapper',
        optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4)))
    backbone_before = snapshot(model.backbone)
    head_before = snapshot(model.decode_head)
    inputs, samples = make_batch()
    optim.update_params(total_loss(model.loss(inputs, samples)))
    assert not any(p.requires_grad for p in model.backbone.parameters())
    for name, value in snapshot(model.backbone).items():
        assert torch.equal(value, backbone_before[name]), name
    changed = [name for name, value in snapshot(model.decode_head).items()
               if not torch.equal(value, head_before[name])]
    assert any('classifier' in n for n in changed)
    assert any('feature_head' in n and 'running_mean' in n for n in changed)


@pytest.mark.parametrize('name', ['deeplabv3plus', 'pspnet'])
def test_base_model_config_builds_the_paper_model(name):
    cfg = Config.fromfile(
        osp.join(REPO, f'configs/_base_/models/zss_{name}_r50-d8.py'))
    model_cfg = copy.deepcopy(cfg.model)
    assert model_cfg.backbone.frozen_stages == 4 and model_cfg.backbone.norm_eval
    assert model_cfg.auxiliary_head is None
    model_cfg.pretrained = None  # no download in tests
    init_default_scope('mmseg')
    model = MODELS.build(model_cfg)
    head = model.decode_head
    assert type(head.feature_head).__name__ == {
        'deeplabv3plus': 'DepthwiseSeparableASPPHead',
        'pspnet': 'PSPHead'}[name]
    assert head.outputs == ('mu', 'log_var', 'log_sigma')
    assert head.class_embeddings.shape == (59, 50)
    losses = {type(loss).__name__: loss.loss_weight
              for loss in head.loss_decode}
    assert losses == {'BayesianDiceLoss': 1.0, 'StochasticBCELoss': 0.05}


def test_config_with_wrong_embedding_dimension_fails_at_build():
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/_base_/models/zss_deeplabv3plus_r50-d8.py'))
    cfg.model.pretrained = None
    cfg.model.decode_head.embed_dim = 300
    init_default_scope('mmseg')
    with pytest.raises(EmbeddingError, match='dimension 50 .* expects 300'):
        MODELS.build(cfg.model)
