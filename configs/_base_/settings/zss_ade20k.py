# ADE20K-150 with the paper's recipe (§4.1): the dataset base and the
# dataset-dependent model fields `zss_model` (see ./zss_pc59.py): 150 classes,
# word2vec 300-d class embeddings, 513x513 training crops.
_base_ = ['../datasets/zss_ade20k_150.py']
zss_model = dict(
    data_preprocessor=dict(size=(513, 513)),
    decode_head=dict(
        num_classes=150,
        embed_dim=300,
        class_embeddings='data/embeddings/word2vec/ade20k_150.npy'))
