# The loss combinations of the paper's Table 3 (PAPER_NOTES item 1), defined
# once: L = L_img + lambda * L_pixel (Eq. 2), lambda = 0.05.
# Method bases pick one: loss_decode={{_base_.loss_rows.baseline}}.
bce = dict(type='CrossEntropyLoss', use_sigmoid=True, avg_non_ignore=True,
           loss_weight=0.05, loss_name='loss_pixel')          # Eq. 3
stochastic_bce = dict(type='StochasticBCELoss', num_samples=8,
                      loss_weight=0.05, loss_name='loss_pixel')  # Eq. 5
dice_l1 = dict(type='DiceL1Loss', loss_weight=1.0, loss_name='loss_img')  # Eq. 6
bayesian_dice = dict(type='BayesianDiceLoss', loss_weight=1.0,
                     loss_name='loss_img')                     # Eq. 7
loss_rows = dict(
    bce_only=[bce],                            # row 1: x x (no image branch)
    baseline=[dice_l1, bce],                   # row 2: Baseline
    stochastic_bce=[dice_l1, stochastic_bce],  # row 3: L_pixel uncertain
    bayesian_dice=[bayesian_dice, bce],        # row 4: L_img uncertain
    uloss=[bayesian_dice, stochastic_bce])     # row 5: U-Loss
