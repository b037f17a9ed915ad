# ZSS-Shapes, clean training labels.
# GMMN (ZS3Net) stage 2 of 2, 300 iterations from the stage-1 checkpoint:
# frozen visual network, generator (MMD) + classifier fine-tuning on real and
# generated unseen features; see ./_base_/gmmn-stage2_r18s_shapes.py.
_base_ = [
    './_base_/gmmn-stage2_r18s_shapes.py',
    '../../_base_/datasets/zss_shapes.py'
]
load_from = ('work_dirs/deeplabv3plus_r18s_gmmn-stage1_1xb16-1k_shapes-64x64/'
             'iter_1000.pth')
model = dict(decode_head=dict(unseen_split={{_base_.split}}))
