# ZSS-Shapes, clean training labels.
# DeViSE (the paper's comparison, §4.2) with the Baseline's losses, on the
# ZSS-Shapes DeepLabV3+ (ResNetV1c-18 small, from scratch), batch 16, 1k
# iterations: see ./_base_/devise_r18s_shapes.py and docs/benchmark.md.
_base_ = [
    './_base_/devise_r18s_shapes.py',
    '../../_base_/datasets/zss_shapes.py'
]
