# Fig. 3(c): as ./zss_pc59_k30.py, but training only on the images that
# contain no pixel of an unseen class (the dataset's exclude_unseen_images;
# validation is unchanged).
_base_ = ['./zss_pc59_k30.py']
train_dataloader = dict(dataset=dict(exclude_unseen_images=True))
