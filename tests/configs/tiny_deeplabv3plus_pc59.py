# A DeepLabV3+ on mmseg's Pascal-Context-59 config, shrunk to run in seconds
# on a CPU: ResNet-18 without pretrained weights, tiny crops, 2 iterations.
# Tests set `data_root` to a generated fixture. No `custom_imports`: the
# tools import mmseg_zss themselves.
_base_ = [
    'mmseg::deeplabv3plus/deeplabv3plus_r50-d8_4xb4-40k_pascal-context-59-480x480.py'  # noqa
]
norm_cfg = dict(type='SyncBN', requires_grad=True)  # reverted to BN on CPU
crop_size = (32, 32)
model = dict(
    pretrained=None,
    data_preprocessor=dict(size=crop_size),
    backbone=dict(depth=18, norm_cfg=norm_cfg),
    decode_head=dict(
        in_channels=512,
        channels=16,
        c1_in_channels=64,
        c1_channels=8,
        dilations=(1, 2),
        norm_cfg=norm_cfg),
    auxiliary_head=None)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='RandomResize', scale=(48, 48), ratio_range=(0.75, 1.25),
         keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(48, 48), keep_ratio=True),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='PackSegInputs')
]
data_root = 'data/tiny_pascal_context'
train_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
train_cfg = dict(type='IterBasedTrainLoop', max_iters=2, val_interval=2)
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=4,
         by_epoch=False)
]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=1, log_metric_by_epoch=False),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=2))
env_cfg = dict(cudnn_benchmark=False)
randomness = dict(seed=0)
