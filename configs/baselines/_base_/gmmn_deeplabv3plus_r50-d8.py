# GMMN (ZS3Net, Bucher et al. 2019; the paper's comparison, §4.2), stage 2 of
# 2, on the Baseline (stage 1): with the backbone and the feature head frozen,
# a generator maps class embedding + noise to pixel features, trained with
# ZS3Net's kernel MMD (Gaussian kernels, v = 2..80) against the real features
# of the seen target classes; the Baseline's classifier is fine-tuned on the
# real samples (the Baseline's losses) and on generated unseen-class features
# (BCE, weighted like the pixel term). See mmseg_zss/models/baselines/
# gmmn_head.py. Top-level configs add `unseen_split` (the dataset's split)
# and `load_from` (the stage-1 checkpoint).
_base_ = ['./baseline_deeplabv3plus_r50-d8.py']
model = dict(
    decode_head=dict(
        type='GMMNHead',
        generator=dict(
            type='GMMNGenerator', hidden_channels=256, dropout_ratio=0.5),
        loss_mmd=dict(
            type='MMDLoss',
            bandwidths=(2, 5, 10, 20, 40, 80),
            loss_weight=1.0,
            loss_name='loss_mmd'),
        loss_generated=dict(
            type='CrossEntropyLoss',
            use_sigmoid=True,
            avg_non_ignore=True,
            loss_weight=0.05,
            loss_name='loss_generated'),
        num_real=128,
        num_generated=128,
        num_unseen=8,
        freeze_feature_head=True,
        classifier_norm_eval=True))
