# GMMN (ZS3Net) stage 2 on the ZSS-Shapes model, from a stage-1 (Baseline)
# checkpoint: the whole visual network frozen (backbone and feature head;
# the ZSS-Shapes backbone is trained in stage 1, unlike the paper's ImageNet
# one), the generator trained by ZS3Net's MMD, the classifier fine-tuned on
# the real samples and on generated unseen-class features; as
# configs/baselines/_base_/gmmn_deeplabv3plus_r50-d8.py. Top-level configs
# set `load_from` and `unseen_split`. 300 iterations with AdamW at 2e-4
# (ZS3Net trains its generator with Adam at 2e-4).
_base_ = ['../../_base_/deeplabv3plus_r18s_shapes.py']
model = dict(
    backbone=dict(frozen_stages=4, norm_eval=True),
    decode_head=dict(
        type='GMMNHead',
        generator=dict(
            type='GMMNGenerator', hidden_channels=64, dropout_ratio=0.5),
        loss_mmd=dict(
            type='MMDLoss',
            bandwidths=(2, 5, 10, 20, 40, 80),
            loss_weight=1.0,
            loss_name='loss_mmd'),
        loss_generated=dict(
            type='CrossEntropyLoss',
            use_sigmoid=True,
            avg_non_ignore=True,
            loss_weight=0.05,
            loss_name='loss_generated'),
        num_real=128,
        num_generated=128,
        num_unseen=6,
        freeze_feature_head=True,
        classifier_norm_eval=True,
        loss_decode={{_base_.loss_rows.baseline}}))
max_iters = 300
optim_wrapper = dict(optimizer=dict(lr=2e-4))
param_scheduler = []
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(checkpoint=dict(interval=max_iters))
