# The paper's Baseline (Table 3 row 2) on PSPNet (Fig. 3a): plain BCE (Eq. 3)
# + L1 soft dice (Eq. 6) on ../../_base_/models/zss_pspnet_r50-d8.py.
_base_ = [
    '../../_base_/models/zss_pspnet_r50-d8.py',
    '../../_base_/zss_loss_rows.py'
]
model = dict(decode_head=dict(loss_decode={{_base_.loss_rows.baseline}}))
