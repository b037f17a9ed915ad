from .metrics import ZeroShotIoUMetric, harmonic_mean

__all__ = ['ZeroShotIoUMetric', 'harmonic_mean']
