"""Errors raised for bad user input: short messages naming what is wrong.

Each subclasses :class:`ZSSError` (so the command-line tools print the message
without a traceback) and the builtin it refines (so ``except ValueError``
keeps working). This module imports nothing, so :mod:`mmseg_zss.compat` can use
it before mmseg is importable.
"""


class ZSSError(Exception):
    """Base of every user-facing mmseg-zss error."""


class ConfigError(ZSSError, ValueError):
    """A config file is missing, unparsable or inconsistent."""


class CheckpointError(ZSSError, RuntimeError):
    """A checkpoint is missing, unreadable, unsafe or belongs to another model."""


class EmbeddingError(ZSSError, ValueError):
    """A class-embedding file or word-vector source is missing or invalid."""


class DatasetError(ZSSError, ValueError):
    """A dataset, split or label file is missing or inconsistent."""
