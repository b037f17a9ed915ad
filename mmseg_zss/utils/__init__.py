from .runner import (
                     check_checkpoint_matches,
                     finish_distributed,
                     load_config,
                     run_tool,
                     set_work_dir,
                     setup_distributed,
)

__all__ = [
    'check_checkpoint_matches', 'finish_distributed', 'load_config',
    'run_tool', 'set_work_dir', 'setup_distributed'
]
