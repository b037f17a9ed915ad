# Pascal-Context 215 (Table 1 right, "PC-156"): full-label Pascal-Context,
# the 59 standard classes seen, the 156 classes with >= 2 validation images
# unseen, IMN+ / IMN- groups reported by the metric. The split is computed
# from your data once (docs/datasets.md):
#   python tools/make_splits.py pascal-context-215 \
#       --data-root data/VOCdevkit/VOC2010
# The class list is the 459 full-label classes: embeddings for all of them.
_base_ = ['../datasets/zss_pascal_context_459.py']
split = 'zss_splits/pascal_context_215_unseen156.json'  # under data_root
train_dataloader = dict(dataset=dict(split=split))
val_dataloader = dict(dataset=dict(split=split))
test_dataloader = val_dataloader
zss_model = dict(
    data_preprocessor=dict(size=(513, 513)),
    decode_head=dict(
        num_classes=459,
        embed_dim=300,
        class_embeddings='data/embeddings/word2vec/pascal_context_459.npy'))
