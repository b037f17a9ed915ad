# GMMN (ZS3Net) stage 2: the paper's SGD (./zss_sgd_20k.py) for fine-tuning
# the classifier, 5k iterations, from the stage-1 checkpoint. The generator
# is a fresh MLP trained by the MMD: ZS3Net trains it with Adam at 2e-4;
# with one optimizer here it gets SGD at 20x the rate (1e-2), no weight decay.
_base_ = ['./zss_sgd_20k.py']
optim_wrapper = dict(
    paramwise_cfg=dict(
        custom_keys={'decode_head.generator': dict(lr_mult=20, decay_mult=0)}))
train_cfg = dict(max_iters=5000, val_interval=1000)
default_hooks = dict(checkpoint=dict(interval=1000))
