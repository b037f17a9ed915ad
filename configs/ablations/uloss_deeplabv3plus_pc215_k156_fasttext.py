# Fig. 3(b), fastText instead of word2vec embeddings: U-Loss (stochastic BCE
# + Bayesian dice), DeepLabV3+, Pascal-Context 215, the 156 unseen classes
# (PC-156).
# Paper recipe (§4.1): frozen ImageNet ResNet-50, fastText 300-d, batch 8,
# SGD lr 5e-4, 20k iterations, 513x513 crops.
# Paper: Fig. 3(b), shown as bars (values not in the text).
_base_ = [
    '../_base_/models/zss_deeplabv3plus_r50-d8.py',
    '../_base_/settings/zss_pc215_k156_fasttext.py',
    '../_base_/schedules/zss_sgd_20k.py',
    'mmseg::_base_/default_runtime.py',
]
custom_imports = dict(imports=['mmseg_zss'], allow_failed_imports=False)
model = {{_base_.zss_model}}
