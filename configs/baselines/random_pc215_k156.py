# Random: each pixel foreground with probability 0.15 (seeded),
# Pascal-Context 215, the 156 unseen classes (PC-156).
# No weights: test only, from the config alone (docs/reproduce.md):
#   python tools/test.py configs/baselines/random_pc215_k156.py
# Paper: Table 1 (right): unseen 5.1, IMN+ 5.7, IMN- 4.8.
_base_ = ['../_base_/settings/zss_pc215_k156.py',
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
