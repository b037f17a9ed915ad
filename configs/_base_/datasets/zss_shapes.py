# ZSS-Shapes, the embedded synthetic zero-shot benchmark (docs/benchmark.md):
# 64x64 images of 2-4 coloured shapes, 30 classes '<colour> <shape>' + a
# background that is never a target and never evaluated, 6 unseen classes
# (split zss_shapes_30_unseen6). Generated into `data_root` on first use
# (seconds; docs/benchmark.md) from `shapes`; clean labels. The noisy variant is
# zss_shapes_noisy.py. Augmentation is a horizontal flip only: colour is half
# of every class name, so no colour jitter, and the images are already at
# their native size, so no rescaling or cropping.
dataset_type = 'ZeroShotShapesDataset'
data_root = 'data/zss_shapes'
split = 'zss_shapes_30_unseen6'
shapes = dict(
    seed=0,
    num_train=2000,
    num_val=300,
    image_size=64,
    objects=(2, 4),
    radius=(0.09, 0.22),
    confusers=0.5,
    noise=dict(jitter=0.0, drop=0.0, swap=0.0, outlier=0.0))
crop_size = (64, 64)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadZeroShotAnnotations'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='SampleZeroShotTarget'),
    dict(type='PackZeroShotInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadZeroShotAnnotations'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    batch_size=16,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='img_dir/train', seg_map_path='ann_dir/train'),
        split=split,
        generate=shapes,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
        split=split,
        generate=shapes,
        pipeline=test_pipeline))
test_dataloader = val_dataloader

# the zero-shot metric + the "every pixel foreground" (Blank) reference
val_evaluator = dict(type='ZeroShotIoUBlankMetric')
test_evaluator = val_evaluator
