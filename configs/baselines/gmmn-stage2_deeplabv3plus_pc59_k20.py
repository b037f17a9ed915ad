# GMMN (ZS3Net) stage 2 of 2, DeepLabV3+, Pascal-Context-59, K=20 unseen
# classes: frozen stage-1 network, generator (MMD) + classifier fine-tuning.
# Paper recipe (§4.1): frozen ImageNet ResNet-50, word2vec 300-d, batch 8,
# SGD lr 5e-4, then 5k iterations of stage 2 from the stage-1 checkpoint,
# 513x513 crops.
# Paper: Table 1: overall 36.6, unseen 20.0.
_base_ = [
    './_base_/gmmn_deeplabv3plus_r50-d8.py',
    '../_base_/settings/zss_pc59_k20.py',
    '../_base_/schedules/zss_sgd_gmmn-stage2_5k.py',
    'mmseg::_base_/default_runtime.py',
]
custom_imports = dict(imports=['mmseg_zss'], allow_failed_imports=False)
load_from = 'work_dirs/gmmn-stage1_deeplabv3plus_pc59_k20/iter_20000.pth'
# the dataset fields, and the split whose unseen classes the generator
# learns to produce features for
model = dict(
    _base_.zss_model,
    decode_head=dict(
        _base_.zss_model.decode_head,
        unseen_split=_base_.split,
        split_root=_base_.data_root))
