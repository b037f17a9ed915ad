# Baseline (BCE + L1 dice), DeepLabV3+, ADE20K-150, K=25 unseen classes.
# Paper recipe (§4.1): frozen ImageNet ResNet-50, word2vec 300-d, batch 8,
# SGD lr 5e-4, 20k iterations, 513x513 crops.
# Paper: Table 2: overall 32.0, unseen 12.7; the generalized mIoU (Table 2
# right) is gzsl.mIoU_unseen.
_base_ = [
    './_base_/baseline_deeplabv3plus_r50-d8.py',
    '../_base_/settings/zss_ade20k_k25.py',
    '../_base_/schedules/zss_sgd_20k.py',
    'mmseg::_base_/default_runtime.py',
]
custom_imports = dict(imports=['mmseg_zss'], allow_failed_imports=False)
model = {{_base_.zss_model}}
