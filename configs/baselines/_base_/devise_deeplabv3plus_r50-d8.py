# DeViSE (Frome et al. 2013; the paper's comparison, §4.2) on the Baseline:
# pixel features projected into the word-embedding space (one hidden 1x1 conv,
# then a linear 1x1 map to the embedding dimension), score = learned scale x
# cosine with the class embedding + learned bias. Losses as the Baseline; for
# DeViSE's own margin loss use
#   loss_decode=[dict(type='BinaryHingeLoss', margin=1.0, loss_name='loss_pixel')]
_base_ = ['./baseline_deeplabv3plus_r50-d8.py']
model = dict(
    decode_head=dict(
        classifier=dict(
            _delete_=True,
            type='DeViSEClassifier',
            channels=256,
            num_convs=1,
            init_scale=10.0,
            norm_cfg=dict(type='SyncBN', requires_grad=True))))
