# Model, schedule and runtime shared by every ZSS-Shapes config; the leaves
# add a dataset (../../_base_/datasets/zss_shapes*.py) and pick a Table 3 row.
#
# The paper's zero-shot DeepLabV3+ (configs/_base_/models/zss_deeplabv3plus_r50-d8.py)
# shrunk for 64x64 images and a laptop CPU: ResNetV1c-18 with 16 base / stem
# channels (widths 16-32-64-128), output stride 8, ASPP dilations 1/2/4 on the
# 8x8 feature map, 64-channel feature head and classifier.
# NO PRETRAINED WEIGHTS: the backbone is trained from scratch here (ImageNet
# features would not help on synthetic shapes and cannot be downloaded
# everywhere), so unlike the paper (§4.1) it is NOT frozen.
_base_ = [
    '../../_base_/models/zss_deeplabv3plus_r50-d8.py',
    '../../_base_/zss_loss_rows.py',  # Table 3 rows: loss_rows.<row>
    'mmseg::_base_/default_runtime.py'
]
norm_cfg = dict(type='BN', requires_grad=True)  # one process: plain BN

model = dict(
    # images are 64x64 already; the size only satisfies stack_batch
    data_preprocessor=dict(size=(64, 64)),
    pretrained=None,
    backbone=dict(
        depth=18,
        stem_channels=16,
        base_channels=16,
        frozen_stages=-1,
        norm_eval=False,
        norm_cfg=norm_cfg),
    decode_head=dict(
        feature_head=dict(
            in_channels=128,
            channels=64,
            c1_in_channels=16,
            c1_channels=12,
            dilations=(1, 2, 4),
            norm_cfg=norm_cfg),
        classifier=dict(channels=64, image_channels=64, norm_cfg=norm_cfg),
        num_classes=31,
        embed_dim=50,
        class_embeddings='glove50/zss_shapes',
        class_chunk_size=31,
        loss_decode={{_base_.loss_rows.uloss}}))

max_iters = 1000
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=4e-3, weight_decay=1e-4),
    clip_grad=None)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, begin=0, end=100, by_epoch=False),
    dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=100, end=max_iters,
         by_epoch=False)
]
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    checkpoint=dict(
        type='CheckpointHook', by_epoch=False, interval=max_iters,
        max_keep_ckpts=1),
    visualization=dict(type='SegVisualizationHook', draw=False))
# on a CPU, torch gets the cores the data workers leave (1 of 2 here):
# oversubscribed OpenMP threads are many times slower on a busy machine
custom_hooks = [dict(type='CPUThreadsHook')]
env_cfg = dict(cudnn_benchmark=False)
randomness = dict(seed=0)
