# Table 3 row 1 ("x x", PAPER_NOTES 1): the image-level branch and its loss
# removed, plain BCE (Eq. 3) only, weighted as the pixel term of Eq. 2.
_base_ = [
    '../../_base_/models/zss_deeplabv3plus_r50-d8.py',
    '../../_base_/zss_loss_rows.py'
]
model = dict(decode_head=dict(loss_decode={{_base_.loss_rows.bce_only}}))
