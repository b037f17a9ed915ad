# ZSS-Shapes with corrupted training labels and outlying training samples
# (the paper's motivation, §1 and Fig. 1): of the seen-class objects in the
# training images, 20% get jittered boundaries (dilated/eroded by 1-2 px),
# 10% are labelled background, 10% are labelled as another seen class that
# shares a word, and independently 15% look atypical (off-hue shade, striped,
# tiny, or half hidden). Same images layout and the very same validation set
# as the clean variant (validation is always clean); its own data root.
_base_ = ['./zss_shapes.py']
data_root = 'data/zss_shapes_noisy'
shapes = dict(noise=dict(jitter=0.2, drop=0.1, swap=0.1, outlier=0.15))
train_dataloader = dict(
    dataset=dict(data_root=data_root, generate=shapes))
val_dataloader = dict(
    dataset=dict(data_root=data_root, generate=shapes))
test_dataloader = val_dataloader
