# Blank: every pixel of every test pair foreground, Pascal-Context-59, K=30
# unseen classes.
# No weights: test only, from the config alone (docs/reproduce.md):
#   python tools/test.py configs/baselines/blank_pc59_k30.py
# Paper: Table 1: overall 15.1, unseen 13.4.
_base_ = ['../_base_/settings/zss_pc59_k30.py',
          'mmseg::_base_/default_runtime.py']
custom_imports = dict(imports=['mmseg_zss'], allow_failed_imports=False)
model = dict(
    type='BlankPredictor',
    num_classes={{_base_.zss_model.decode_head.num_classes}})
# test only: no training part (the dataset base defines a train loader)
train_dataloader = None
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
