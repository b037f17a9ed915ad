# DeViSE (the paper's comparison, §4.2) on the ZSS-Shapes model
# (../../_base_/deeplabv3plus_r18s_shapes.py): the concatenation classifier
# replaced by a projection of the pixel features into the embedding space
# (one hidden 1x1 conv), score = learned scale x cosine with the class
# embedding + learned bias; the Baseline's losses (BCE + L1 dice), as in
# configs/baselines/_base_/devise_deeplabv3plus_r50-d8.py.
_base_ = ['../../_base_/deeplabv3plus_r18s_shapes.py']
model = dict(
    decode_head=dict(
        classifier=dict(
            _delete_=True,
            type='DeViSEClassifier',
            channels=64,
            num_convs=1,
            init_scale=10.0,
            norm_cfg=dict(type='BN', requires_grad=True)),
        loss_decode={{_base_.loss_rows.baseline}}))
