import os
from typing import Optional

import torch
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmseg.registry import HOOKS


@HOOKS.register_module()
class CPUThreadsHook(Hook):
    """Give torch's CPU ops the cores the data loader workers leave free.

    On a small CPU machine torch's default (one OpenMP thread per core) plus
    the data workers oversubscribes the cores, and OpenMP threads that spin
    while another process holds a core slow training by an order of
    magnitude (docs/benchmark.md, "CPU threads"). Does nothing when the
    model is on a GPU.

    Args:
        num_threads (int, optional): intra-op threads. None: the number of
            CPU cores minus the training data loader's ``num_workers``,
            at least 1.
    """

    priority = 'VERY_HIGH'

    def __init__(self, num_threads: Optional[int] = None) -> None:
        if num_threads is not None and num_threads < 1:
            raise ValueError(f'num_threads must be >= 1, got {num_threads}')
        self.num_threads = num_threads

    def before_run(self, runner) -> None:
        params = next(runner.model.parameters(), None)
        if params is not None and params.device.type != 'cpu':
            return
        threads = self.num_threads
        if threads is None:
            loader = runner.cfg.get('train_dataloader') or {}
            workers = int(loader.get('num_workers', 0) or 0)
            threads = max(1, (os.cpu_count() or 1) - workers)
        torch.set_num_threads(threads)
        print_log(f'CPUThreadsHook: torch uses {threads} CPU thread(s)',
                  logger='current')
