# U-Loss (stochastic BCE + Bayesian dice), DeepLabV3+, Pascal-Context-59,
# K=30 unseen classes.
# Paper recipe (§4.1): frozen ImageNet ResNet-50, word2vec 300-d, batch 8,
# SGD lr 5e-4, 20k iterations, 513x513 crops.
# Paper: Table 1: overall 36.5, unseen 18.6; Table 3 row 5: 18.6.
_base_ = [
    '../_base_/models/zss_deeplabv3plus_r50-d8.py',
    '../_base_/settings/zss_pc59_k30.py',
    '../_base_/schedules/zss_sgd_20k.py',
    'mmseg::_base_/default_runtime.py',
]
custom_imports = dict(imports=['mmseg_zss'], allow_failed_imports=False)
model = {{_base_.zss_model}}
