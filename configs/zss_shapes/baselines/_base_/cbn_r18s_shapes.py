# Conditional batch norm (the paper's comparison, §4.2) on the ZSS-Shapes
# model (../../_base_/deeplabv3plus_r18s_shapes.py): the class embedding
# modulates the batch norms of two 1x1-conv layers, then a 1x1 conv gives the
# logit; the Baseline's losses, as in
# configs/baselines/_base_/cbn_deeplabv3plus_r50-d8.py.
_base_ = ['../../_base_/deeplabv3plus_r18s_shapes.py']
model = dict(
    decode_head=dict(
        classifier=dict(
            _delete_=True,
            type='CBNClassifier',
            channels=64,
            num_convs=2,
            mlp_channels=64,
            norm_cfg=dict(type='BN', requires_grad=True)),
        loss_decode={{_base_.loss_rows.baseline}}))
