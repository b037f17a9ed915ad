"""Tiny zero-shot segmentors for the model tests: ResNet-18-shaped, few
channels, random init, a random L2-normalised embedding file on disk."""
# isort: off
import mmseg_zss  # noqa: F401  (first: installs the mmcv.ops stand-in)
# isort: on
import copy

import numpy as np
import torch
from mmengine.config import ConfigDict
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

NUM_CLASSES = 5
EMBED_DIM = 8

BCE = dict(type='CrossEntropyLoss', use_sigmoid=True, avg_non_ignore=True,
           loss_weight=0.05, loss_name='loss_pixel')
STOCHASTIC_BCE = dict(type='StochasticBCELoss', num_samples=4,
                      loss_weight=0.05, loss_name='loss_pixel')
DICE_L1 = dict(type='DiceL1Loss', loss_weight=1.0, loss_name='loss_img')
BAYESIAN_DICE = dict(type='BayesianDiceLoss', loss_weight=1.0,
                     loss_name='loss_img')

#: the rows of the paper's Table 3 (docs/PAPER_NOTES.md item 1)
TABLE3 = {
    'bce_only': [BCE],
    'baseline': [DICE_L1, BCE],
    'stochastic_bce': [DICE_L1, STOCHASTIC_BCE],
    'bayesian_dice': [BAYESIAN_DICE, BCE],
    'u_loss': [BAYESIAN_DICE, STOCHASTIC_BCE],
}

NORM = dict(type='BN', requires_grad=True)

FEATURE_HEADS = {
    'deeplabv3plus': dict(
        type='DepthwiseSeparableASPPHead', in_channels=64, in_index=3,
        channels=16, dilations=(1, 2), c1_in_channels=8, c1_channels=4,
        dropout_ratio=0.1, num_classes=19, norm_cfg=NORM,
        align_corners=False),
    'pspnet': dict(
        type='PSPHead', in_channels=64, in_index=3, channels=16,
        pool_scales=(1, 2, 3), dropout_ratio=0.1, num_classes=19,
        norm_cfg=NORM, align_corners=False),
}


def write_embeddings(path, num_classes=NUM_CLASSES, dim=EMBED_DIM, seed=0):
    """Write a random (C, D) float32 array with L2-normalised rows."""
    emb = np.random.default_rng(seed).standard_normal((num_classes, dim))
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    np.save(path, emb.astype(np.float32))
    return str(path)


def head_cfg(emb_path, feature_head='deeplabv3plus', losses='u_loss',
             num_classes=NUM_CLASSES, embed_dim=EMBED_DIM):
    return dict(
        type='ZeroShotHead',
        feature_head=copy.deepcopy(FEATURE_HEADS[feature_head]),
        classifier=dict(type='ConcatClassifier', channels=8, num_convs=2,
                        image_channels=8, norm_cfg=NORM),
        num_classes=num_classes, embed_dim=embed_dim,
        class_embeddings=emb_path, class_chunk_size=2,
        loss_decode=copy.deepcopy(TABLE3[losses]))


def segmentor_cfg(emb_path, feature_head='deeplabv3plus', losses='u_loss',
                  test_cfg=None, **kwargs):
    """A tiny EncoderDecoder: frozen ResNetV1c-18 with 8 base channels."""
    test_cfg = test_cfg or dict(mode='whole')
    return dict(
        type='EncoderDecoder',
        data_preprocessor=dict(type='SegDataPreProcessor', pad_val=0,
                               seg_pad_val=255),
        backbone=dict(
            type='ResNetV1c', depth=18, stem_channels=8, base_channels=8,
            num_stages=4, out_indices=(0, 1, 2, 3), dilations=(1, 1, 2, 4),
            strides=(1, 2, 1, 1), norm_cfg=NORM, norm_eval=True,
            frozen_stages=4, contract_dilation=True),
        decode_head=head_cfg(emb_path, feature_head, losses, **kwargs),
        train_cfg=dict(),
        test_cfg=ConfigDict(test_cfg))


def build_segmentor(emb_path, feature_head='deeplabv3plus', losses='u_loss',
                    seed=0, **kwargs):
    """Build and initialise a tiny segmentor with a fixed seed."""
    init_default_scope('mmseg')
    torch.manual_seed(seed)
    model = MODELS.build(segmentor_cfg(emb_path, feature_head, losses,
                                       **kwargs))
    model.init_weights()
    return model


def make_batch(batch=2, size=32, num_classes=NUM_CLASSES, seed=0,
               target_classes=None):
    """Random images and SegDataSamples with binary masks + target_class."""
    gen = torch.Generator().manual_seed(seed)
    inputs = torch.randn(batch, 3, size, size, generator=gen)
    samples = []
    for i in range(batch):
        mask = torch.randint(0, 2, (1, size, size), generator=gen)
        mask[:, :2] = 255  # an ignored band
        sample = SegDataSample(gt_sem_seg=PixelData(data=mask))
        target = (i % num_classes if target_classes is None
                  else target_classes[i])
        sample.set_metainfo(dict(
            target_class=target, img_shape=(size, size),
            pad_shape=(size, size), ori_shape=(size, size)))
        samples.append(sample)
    return inputs, samples
