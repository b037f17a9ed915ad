# Pascal-Context full labels (459 classes, 16-bit maps) in the paper's PC-215
# setting: 59 seen, 156 unseen classes with >= 2 validation images (the split
# is computed from your data: `python tools/make_splits.py pascal-context-215`,
# see docs/datasets.md). Recipe as the other zero-shot datasets (PAPER_NOTES 12).
# Class 255 is a real class here ('monkey'), so dense labels use
# ignore_index = 65535 until SampleZeroShotTarget makes the 0/1/255 masks; the
# dataset passes it to the loader, the target sampler and the metric.
dataset_type = 'ZeroShotPascalContext459Dataset'
data_root = 'data/VOCdevkit/VOC2010/'
# relative to data_root (written there by tools/make_splits.py)
split = 'zss_splits/pascal_context_215_unseen156.json'
ignore_index = 65535
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
    dict(
        type='RandomCrop',
        crop_size=crop_size,
        cat_max_ratio=0.75,
        ignore_index=ignore_index),
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
            img_path='JPEGImages',
            seg_map_path='SegmentationClassContext459'),
        ann_file='ImageSets/SegmentationContext/train.txt',
        split=split,
        ignore_index=ignore_index,
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
            img_path='JPEGImages',
            seg_map_path='SegmentationClassContext459'),
        ann_file='ImageSets/SegmentationContext/val.txt',
        split=split,
        ignore_index=ignore_index,
        pipeline=test_pipeline))
test_dataloader = val_dataloader

# IMN+ / IMN- means come from the split file's class groups
val_evaluator = dict(type='ZeroShotIoUMetric')
test_evaluator = val_evaluator
