# Table 3 row 4 (PAPER_NOTES 1): uncertainty at image level only,
# plain BCE (Eq. 3) + Bayesian dice (Eq. 7).
_base_ = [
    '../../_base_/models/zss_deeplabv3plus_r50-d8.py',
    '../../_base_/zss_loss_rows.py'
]
model = dict(
    decode_head=dict(loss_decode={{_base_.loss_rows.bayesian_dice}}))
