# Conditional batch norm (de Vries et al. 2017; the paper's comparison, §4.2)
# on the Baseline: the class embedding predicts, through an MLP, per-channel
# changes of the scale and shift of the batch norms of two 1x1-conv layers on
# the feature map, then a 1x1 conv gives the pixel logit. Losses as the
# Baseline.
_base_ = ['./baseline_deeplabv3plus_r50-d8.py']
model = dict(
    decode_head=dict(
        classifier=dict(
            _delete_=True,
            type='CBNClassifier',
            channels=256,
            num_convs=2,
            mlp_channels=256,
            norm_cfg=dict(type='SyncBN', requires_grad=True))))
