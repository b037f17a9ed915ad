# ZSS-Shapes, noisy training labels and outlying training samples (validation
# is clean). Table 3 row 2, the paper's Baseline: plain BCE (Eq. 3) + L1 soft
# dice (Eq. 6), no variance outputs. DeepLabV3+ on a ResNetV1c-18 with 16 base
# channels, trained FROM SCRATCH (no pretrained weights; backbone not frozen),
# batch 16, 1k iterations: see ./_base_/deeplabv3plus_r18s_shapes.py and
# docs/benchmark.md.
_base_ = [
    './_base_/deeplabv3plus_r18s_shapes.py',
    '../_base_/datasets/zss_shapes_noisy.py'
]
model = dict(decode_head=dict(loss_decode={{_base_.loss_rows.baseline}}))
