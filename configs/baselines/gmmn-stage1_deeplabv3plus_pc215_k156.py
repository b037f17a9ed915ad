# GMMN (ZS3Net) stage 1 of 2, DeepLabV3+, Pascal-Context 215, the 156 unseen
# classes (PC-156).
# Stage 1 is the paper's Baseline, unchanged: train it, then
# ./gmmn-stage2_deeplabv3plus_pc215_k156.py (docs/reproduce.md). A checkpoint
# of ./baseline_deeplabv3plus_pc215_k156.py serves as stage 1 too.
# Paper: Table 1 (right): unseen 9.8, IMN+ 10.6, IMN- 9.1 (after stage 2).
_base_ = ['./baseline_deeplabv3plus_pc215_k156.py']
