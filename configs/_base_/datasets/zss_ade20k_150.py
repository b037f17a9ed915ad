# ADE20K-150 (SceneParsing, ADEChallengeData2016) for zero-shot training/testing
# with the paper's recipe (PAPER_NOTES 12): flip, random scale 0.75-2, random
# crop, colour jitter; test input 513x513. Top-level configs set `split`
# (e.g. 'ade20k_150_unseen75') and the batch size. Data: docs/datasets.md.
dataset_type = 'ZeroShotADE20KDataset'
data_root = 'data/ade/ADEChallengeData2016'
split = 'ade20k_150_unseen75'
img_scale = (513, 513)
crop_size = (513, 513)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadZeroShotAnnotations'),
    dict(
        type='RandomResize',
        scale=img_scale,
        ratio_range=(0.75, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='SampleZeroShotTarget'),
    dict(type='PackZeroShotInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=img_scale, keep_ratio=True),
    dict(type='LoadZeroShotAnnotations'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='images/training', seg_map_path='annotations/training'),
        split=split,
        exclude_unseen_images=False,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='images/validation',
            seg_map_path='annotations/validation'),
        split=split,
        pipeline=test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(type='ZeroShotIoUMetric')
test_evaluator = val_evaluator
