# Table 3 row 3: stochastic BCE + L1 dice, DeepLabV3+, ADE20K-150, K=75
# unseen classes.
# Paper recipe (§4.1): frozen ImageNet ResNet-50, word2vec 300-d, batch 8,
# SGD lr 5e-4, 20k iterations, 513x513 crops.
# Paper: Table 3 row 3: 13.1 (unseen).
_base_ = [
    './_base_/sbce_deeplabv3plus_r50-d8.py',
    '../_base_/settings/zss_ade20k_k75.py',
    '../_base_/schedules/zss_sgd_20k.py',
    'mmseg::_base_/default_runtime.py',
]
custom_imports = dict(imports=['mmseg_zss'], allow_failed_imports=False)
model = {{_base_.zss_model}}
