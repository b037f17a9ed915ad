# ADE20K-150, K = 50 unseen classes (Table 2): the seeded, shipped split
# mmseg_zss/datasets/splits/ade20k_150_unseen50.json.
_base_ = ['./zss_ade20k.py']
split = 'ade20k_150_unseen50'
train_dataloader = dict(dataset=dict(split=split))
val_dataloader = dict(dataset=dict(split=split))
test_dataloader = val_dataloader
