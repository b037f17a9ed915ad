from .zero_shot_iou_metric import ZeroShotIoUMetric, harmonic_mean

__all__ = ['ZeroShotIoUMetric', 'harmonic_mean']
