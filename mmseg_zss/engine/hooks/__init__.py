from .cpu_threads_hook import CPUThreadsHook

__all__ = ['CPUThreadsHook']
