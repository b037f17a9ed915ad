# ZSS-Shapes, noisy training labels and outlying training samples (validation is clean).
# GMMN (ZS3Net) stage 1 of 2: the Baseline, unchanged. Then
# ./deeplabv3plus_r18s_gmmn-stage2_1xb16-300_shapes-noisy-64x64.py loads its
# last checkpoint (docs/reproduce.md).
_base_ = ['../deeplabv3plus_r18s_baseline_1xb16-1k_shapes-noisy-64x64.py']
