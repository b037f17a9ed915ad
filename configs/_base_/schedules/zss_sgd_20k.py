# The paper's optimisation (§4.1, PAPER_NOTES 12), shared by every method:
# SGD, learning rate 5e-4, momentum 0.9, weight decay 5e-4, 20k iterations
# (batch 8 is set by the dataset bases). The paper names no learning-rate
# decay, so the rate is constant; for mmseg's usual poly decay add
#   param_scheduler = [dict(type='PolyLR', power=0.9, eta_min=0,
#                           begin=0, end=20000, by_epoch=False)]
optimizer = dict(type='SGD', lr=5e-4, momentum=0.9, weight_decay=5e-4)
optim_wrapper = dict(type='OptimWrapper', optimizer=optimizer, clip_grad=None)
param_scheduler = []
train_cfg = dict(type='IterBasedTrainLoop', max_iters=20000, val_interval=2000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=2000),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
