# ZSS-Shapes (clean variant; the validation set is the same for both).
# Blank (paper Tables 1-2): every pixel of every test pair foreground. No weights:
#   python tools/test.py configs/zss_shapes/baselines/blank_shapes-64x64.py
_base_ = [
    '../../_base_/datasets/zss_shapes.py',
    'mmseg::_base_/default_runtime.py'
]
custom_imports = dict(imports=['mmseg_zss'], allow_failed_imports=False)
model = dict(
    type='BlankPredictor',
    num_classes=31)
# test only: no training part (the dataset base defines a train loader)
train_dataloader = None
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
