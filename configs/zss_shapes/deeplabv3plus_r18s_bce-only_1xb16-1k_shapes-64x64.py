# ZSS-Shapes, clean training labels. Table 3 row 1 (x x): plain BCE (Eq. 3)
# only; the image-level branch and its loss are removed. DeepLabV3+ on a
# ResNetV1c-18 with 16 base channels, trained FROM SCRATCH (no pretrained
# weights; backbone not frozen), batch 16, 1k iterations: see
# ./_base_/deeplabv3plus_r18s_shapes.py and docs/benchmark.md.
_base_ = [
    './_base_/deeplabv3plus_r18s_shapes.py',
    '../_base_/datasets/zss_shapes.py'
]
model = dict(decode_head=dict(loss_decode={{_base_.loss_rows.bce_only}}))
