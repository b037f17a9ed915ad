# Random: each pixel foreground with probability 0.15 (seeded), ADE20K-150,
# K=25 unseen classes.
# No weights: test only, from the config alone (docs/reproduce.md):
#   python tools/test.py configs/baselines/random_ade20k_k25.py
# Paper: Table 2 (caption): unseen 5.8.
_base_ = ['../_base_/settings/zss_ade20k_k25.py',
          'mmseg::_base_/default_runtime.py']
custom_imports = dict(imports=['mmseg_zss'], allow_failed_imports=False)
model = dict(
    type='RandomPredictor',
    foreground_prob=0.15,
    seed=0,
    num_classes={{_base_.zss_model.decode_head.num_classes}})
# test only: no training part (the dataset base defines a train loader)
train_dataloader = None
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
