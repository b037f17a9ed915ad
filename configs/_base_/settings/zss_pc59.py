# Pascal-Context-59 with the paper's recipe (§4.1): the dataset base, and
# `zss_model`, the model fields that depend on the dataset, which every
# top-level config merges with `model = {{_base_.zss_model}}`: 59 classes,
# word2vec 300-d class embeddings (the paper's; build the file with
#   python tools/build_class_embeddings.py --classes pascal_context_59 \
#       --source /path/to/GoogleNews-vectors-negative300.bin \
#       --out data/embeddings/word2vec/pascal_context_59
# see docs/reproduce.md), 513x513 training crops.
_base_ = ['../datasets/zss_pascal_context_59.py']
zss_model = dict(
    data_preprocessor=dict(size=(513, 513)),
    decode_head=dict(
        num_classes=59,
        embed_dim=300,
        class_embeddings='data/embeddings/word2vec/pascal_context_59.npy'))
