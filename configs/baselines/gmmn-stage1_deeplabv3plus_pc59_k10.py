# GMMN (ZS3Net) stage 1 of 2, DeepLabV3+, Pascal-Context-59, K=10 unseen
# classes.
# Stage 1 is the paper's Baseline, unchanged: train it, then
# ./gmmn-stage2_deeplabv3plus_pc59_k10.py (docs/reproduce.md). A checkpoint
# of ./baseline_deeplabv3plus_pc59_k10.py serves as stage 1 too.
# Paper: Table 1: overall 45.5, unseen 25.5 (after stage 2).
_base_ = ['./baseline_deeplabv3plus_pc59_k10.py']
