# Table 3 row 3 (PAPER_NOTES 1): uncertainty at pixel level only,
# stochastic BCE (Eq. 5) + L1 soft dice (Eq. 6).
_base_ = [
    '../../_base_/models/zss_deeplabv3plus_r50-d8.py',
    '../../_base_/zss_loss_rows.py'
]
model = dict(
    decode_head=dict(loss_decode={{_base_.loss_rows.stochastic_bce}}))
