# GMMN (ZS3Net) stage 1 of 2, DeepLabV3+, ADE20K-150, K=50 unseen classes.
# Stage 1 is the paper's Baseline, unchanged: train it, then
# ./gmmn-stage2_deeplabv3plus_ade20k_k50.py (docs/reproduce.md). A checkpoint
# of ./baseline_deeplabv3plus_ade20k_k50.py serves as stage 1 too.
# Paper: Table 2: overall 19.8, unseen 5.1; the generalized mIoU (Table 2
# right) is gzsl.mIoU_unseen (after stage 2).
_base_ = ['./baseline_deeplabv3plus_ade20k_k50.py']
