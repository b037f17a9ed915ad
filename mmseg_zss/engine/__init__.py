"""Runner hooks registered into mmseg's ``HOOKS`` registry."""
from .hooks import CPUThreadsHook

__all__ = ['CPUThreadsHook']
