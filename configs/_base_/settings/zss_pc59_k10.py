# Pascal-Context-59, K = 10 unseen classes (Table 1): the seeded, shipped split
# mmseg_zss/datasets/splits/pascal_context_59_unseen10.json.
_base_ = ['./zss_pc59.py']
split = 'pascal_context_59_unseen10'
train_dataloader = dict(dataset=dict(split=split))
val_dataloader = dict(dataset=dict(split=split))
test_dataloader = val_dataloader
