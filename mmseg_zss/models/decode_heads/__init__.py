from .zero_shot_head import ZeroShotHead, loss_inputs

__all__ = ['ZeroShotHead', 'loss_inputs']
