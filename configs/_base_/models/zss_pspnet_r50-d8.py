# U-Loss zero-shot PSPNet (Hu, Sclaroff, Saenko, NeurIPS 2020, §3-§4.1):
# frozen ImageNet ResNet-50 (V1c), mmseg's PSPNet decode head used as the
# feature head (Fig. 3a), the concatenation classifier with both uncertainty branches,
# L = L_img + 0.05 * L_pixel (Eq. 2) with Bayesian dice (Eq. 7) and stochastic
# BCE (Eq. 5). Dataset configs set num_classes / embed_dim / class_embeddings;
# the Table 3 variants only change loss_decode (docs/model.md).
_base_ = ['mmseg::_base_/models/pspnet_r50-d8.py']
custom_imports = dict(imports=['mmseg_zss'], allow_failed_imports=False)
norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    # §4.1: the ImageNet backbone is fixed; frozen_stages=4 also freezes the
    # stem, norm_eval keeps its BN statistics
    backbone=dict(frozen_stages=4, norm_eval=True),
    decode_head=dict(
        _delete_=True,
        type='ZeroShotHead',
        # mmseg's PSPHead exactly as in its base config;
        # its conv_seg is replaced by the classifier
        feature_head={{_base_.model.decode_head}},
        classifier=dict(
            type='ConcatClassifier',
            channels=256,
            num_convs=2,
            image_channels=256,
            norm_cfg=norm_cfg),
        num_classes=59,
        embed_dim=50,
        class_embeddings='glove50/pascal_context_59',
        class_chunk_size=None,  # auto: sized for the device
        ignore_index=255,
        align_corners=False,
        loss_decode=[
            dict(type='BayesianDiceLoss', loss_weight=1.0,
                 loss_name='loss_img'),
            dict(type='StochasticBCELoss', num_samples=8, loss_weight=0.05,
                 loss_name='loss_pixel'),
        ]),
    auxiliary_head=None)
