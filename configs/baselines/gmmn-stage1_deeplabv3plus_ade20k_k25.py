# GMMN (ZS3Net) stage 1 of 2, DeepLabV3+, ADE20K-150, K=25 unseen classes.
# Stage 1 is the paper's Baseline, unchanged: train it, then
# ./gmmn-stage2_deeplabv3plus_ade20k_k25.py (docs/reproduce.md). A checkpoint
# of ./baseline_deeplabv3plus_ade20k_k25.py serves as stage 1 too.
# Paper: Table 2: overall 23.9, unseen 8.5; the generalized mIoU (Table 2
# right) is gzsl.mIoU_unseen (after stage 2).
_base_ = ['./baseline_deeplabv3plus_ade20k_k25.py']
