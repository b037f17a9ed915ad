# Fig. 3(b): as ./zss_ade20k_k75.py with fastText instead of word2vec class
# embeddings (300-d). Build the file from the fastText vectors, e.g.
#   python tools/build_class_embeddings.py --classes ade20k_150 \
#       --source /path/to/cc.en.300.bin \
#       --out data/embeddings/fasttext/ade20k_150
_base_ = ['./zss_ade20k_k75.py']
zss_model = dict(
    decode_head=dict(
        class_embeddings='data/embeddings/fasttext/ade20k_150.npy'))
