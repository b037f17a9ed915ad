# Fig. 3(b): as ./zss_pc215_k156.py with fastText instead of word2vec class
# embeddings (300-d). Build the file from the fastText vectors, e.g.
#   python tools/build_class_embeddings.py --classes pascal_context_459 \
#       --source /path/to/cc.en.300.bin \
#       --out data/embeddings/fasttext/pascal_context_459
_base_ = ['./zss_pc215_k156.py']
zss_model = dict(
    decode_head=dict(
        class_embeddings='data/embeddings/fasttext/pascal_context_459.npy'))
