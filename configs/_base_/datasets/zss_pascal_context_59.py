# Pascal-Context-59 for zero-shot training/testing (paper §4.1, PAPER_NOTES 12):
# flip, random scale 0.75-2, random crop, colour jitter (PhotoMetricDistortion);
# test input 513x513. One seen class per training sample (SampleZeroShotTarget);
# tests score every class. Data: docs/datasets.md. Top-level configs set
# `split` (e.g. 'pascal_context_59_unseen10'; see mmseg_zss/datasets/splits)
# and the batch size.
dataset_type = 'ZeroShotPascalContext59Dataset'
data_root = 'data/VOCdevkit/VOC2010/'
split = 'pascal_context_59_unseen10'
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
    # labels are loaded after Resize: they stay at the original size
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
            img_path='JPEGImages', seg_map_path='SegmentationClassContext'),
        ann_file='ImageSets/SegmentationContext/train.txt',
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
            img_path='JPEGImages', seg_map_path='SegmentationClassContext'),
        ann_file='ImageSets/SegmentationContext/val.txt',
        split=split,
        pipeline=test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(type='ZeroShotIoUMetric')
test_evaluator = val_evaluator
