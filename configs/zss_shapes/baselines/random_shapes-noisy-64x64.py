# ZSS-Shapes (noisy variant; the validation set is the same for both).
# Random (paper Tables 1-2): each pixel foreground with probability 0.15
# (seeded). No weights:
#   python tools/test.py configs/zss_shapes/baselines/random_shapes-noisy-64x64.py
_base_ = [
    '../../_base_/datasets/zss_shapes_noisy.py',
    'mmseg::_base_/default_runtime.py'
]
custom_imports = dict(imports=['mmseg_zss'], allow_failed_imports=False)
model = dict(
    type='RandomPredictor',
    foreground_prob=0.15,
    seed=0,
    num_classes=31)
# test only: no training part (the dataset base defines a train loader)
train_dataloader = None
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
