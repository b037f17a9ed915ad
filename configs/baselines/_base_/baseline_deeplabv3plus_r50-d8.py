# The paper's Baseline (§4.1 "Baselines"; Table 3 row 2, PAPER_NOTES 1): the
# U-Loss model of ../../_base_/models/zss_deeplabv3plus_r50-d8.py without the
# two uncertainty outputs, trained with plain BCE (Eq. 3) and the L1 soft
# dice (Eq. 6): L = L_dice + 0.05 * L_bce. The comparison methods (DeViSE,
# CBN, GMMN) keep these losses and change only the classifier, so that every
# row of Tables 1-2 differs from the Baseline in one thing.
_base_ = [
    '../../_base_/models/zss_deeplabv3plus_r50-d8.py',
    '../../_base_/zss_loss_rows.py'
]
model = dict(decode_head=dict(loss_decode={{_base_.loss_rows.baseline}}))
