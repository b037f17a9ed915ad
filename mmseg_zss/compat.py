"""Make MMSegmentation 1.2.2 work on mmcv-lite and on torch >= 2.6.

Imported first by :mod:`mmseg_zss`, before anything touches ``mmseg``.

Two problems are solved here, each at the narrowest depth that works:

1. **mmcv-lite.** mmseg imports ``mmcv.ops`` unconditionally in four modules,
   and with mmcv-lite (no compiled ``mmcv._ext``) ``import mmcv.ops`` fails,
   so ``mmseg.models`` / ``mmseg.datasets`` cannot be imported at all. When the
   compiled ops are missing we register a stand-in ``mmcv.ops`` module:

   * the pure-PyTorch ops (``point_sample`` and friends, which are
     ``F.grid_sample`` inside mmcv itself) are loaded from mmcv's own source
     file, so they are mmcv's code, not a copy;
   * every other public name of ``mmcv.ops`` is a placeholder class that raises
     :class:`MMCVOpsUnavailableError` *when called or instantiated*, naming the
     op and how to install full mmcv; ``isinstance`` checks against it are
     simply ``False``;
   * unknown names raise ``ModuleNotFoundError`` (what mmseg's guarded
     imports expect) and dunder look-ups raise ``AttributeError``.

   With full mmcv installed nothing is changed.

2. **torch >= 2.6 loads checkpoints with ``weights_only=True``.** mmengine
   0.10.x calls ``torch.load`` without ``weights_only``; a training checkpoint
   holds mmengine's ``HistoryBuffer`` (pickled with a ``getattr`` reference to
   its statistics methods) and numpy arrays, so ``--resume`` fails. Turning
   safe loading off would let any checkpoint run arbitrary code. Instead the
   local-file loader first tries torch's own ``weights_only`` loader and, only
   if that refuses, a restricted unpickler that admits torch's allow-list plus
   exactly the extra types an mmengine training checkpoint holds (numpy
   arrays / scalars / dtypes, ``HistoryBuffer``, and ``getattr`` *only* for a
   ``HistoryBuffer`` statistics method). Anything else is refused with
   :class:`CheckpointError` naming the file and the offending global.
"""
import ast
import importlib.util
import os.path as osp
import pickle
import sys
import types

import torch

from .errors import CheckpointError, ZSSError

__all__ = [
    'MMCV_FULL', 'MMCVOpsUnavailableError', 'CheckpointError',
    'load_checkpoint_file'
]

_FULL_MMCV_INSTALL = (
    "pip uninstall -y mmcv-lite && pip install 'setuptools<70' && "
    'MMCV_WITH_OPS=1 pip install mmcv==2.1.0 --no-build-isolation '
    '(compiles for ~15 min on 2 CPU cores; see README "Installation")')


class MMCVOpsUnavailableError(ZSSError, RuntimeError):
    """A compiled ``mmcv.ops`` op was called, but only mmcv-lite is installed."""


# --------------------------------------------------------------------------
# 1. mmcv.ops stand-in for mmcv-lite
# --------------------------------------------------------------------------
def _has_compiled_mmcv_ops() -> bool:
    try:
        return importlib.util.find_spec('mmcv._ext') is not None
    except (ImportError, ValueError):
        return False


def _public_op_names(ops_init: str) -> list:
    """Read ``__all__`` from mmcv's ``ops/__init__.py`` without executing it."""
    with open(ops_init, encoding='utf-8') as f:
        tree = ast.parse(f.read())
    names = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == '__all__'
                for t in node.targets)):
            names.extend(ast.literal_eval(node.value))
    return names


class _CompiledOpPlaceholder:
    """Base of the placeholders: constructing or calling one raises."""

    _op_name = '?'

    def __new__(cls, *args, **kwargs):
        raise MMCVOpsUnavailableError(
            f'mmcv.ops.{cls._op_name} needs the compiled mmcv ops, but the '
            f'installed mmcv is mmcv-lite (no mmcv._ext). Install full mmcv: '
            f'{_FULL_MMCV_INSTALL}; or choose a model that does not use '
            f'{cls._op_name}.')


class _LiteOpsModule(types.ModuleType):
    """``mmcv.ops`` for mmcv-lite: pure-PyTorch ops real, the rest lazy."""

    def __init__(self, pure_module, compiled_names):
        super().__init__('mmcv.ops', 'mmcv.ops stand-in installed by '
                         'mmseg_zss.compat (mmcv-lite has no compiled ops)')
        self.__path__ = []  # a package, so `import mmcv.ops.x` is well-formed
        self.__all__ = sorted(set(compiled_names))
        self._compiled_names = frozenset(compiled_names)
        for name in ('point_sample', 'rel_roi_point_to_rel_img_point',
                     'SimpleRoIAlign', 'bilinear_grid_sample'):
            setattr(self, name, getattr(pure_module, name))

    def __getattr__(self, name):
        if name.startswith('__') and name.endswith('__'):
            raise AttributeError(name)
        if name in self._compiled_names:
            placeholder = type(name, (_CompiledOpPlaceholder, ),
                               {'_op_name': name, '__module__': 'mmcv.ops'})
            setattr(self, name, placeholder)  # cache: one class per name
            return placeholder
        raise ModuleNotFoundError(
            f"mmcv.ops has no '{name}' (mmcv-lite stand-in)", name='mmcv.ops')


def _install_mmcv_ops_standin() -> bool:
    """Register the stand-in; return True if full mmcv (with ops) is present."""
    if importlib.util.find_spec('mmcv') is None:
        raise ImportError(
            'mmcv is not installed. Install mmcv-lite (default): '
            "pip install 'mmcv-lite==2.1.0', or full mmcv 2.1.0 (see README)")
    if _has_compiled_mmcv_ops():
        return True
    existing = sys.modules.get('mmcv.ops')
    if isinstance(existing, _LiteOpsModule):
        return False
    import mmcv
    ops_dir = osp.join(osp.dirname(mmcv.__file__), 'ops')
    spec = importlib.util.spec_from_file_location(
        'mmcv.ops.point_sample', osp.join(ops_dir, 'point_sample.py'))
    pure = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pure)
    module = _LiteOpsModule(pure,
                            _public_op_names(osp.join(ops_dir, '__init__.py')))
    sys.modules['mmcv.ops.point_sample'] = pure
    sys.modules['mmcv.ops'] = module
    mmcv.ops = module
    return False


MMCV_FULL = _install_mmcv_ops_standin()


# --------------------------------------------------------------------------
# 2. Safe checkpoint loading on torch >= 2.6
# --------------------------------------------------------------------------
def _extra_safe_globals() -> dict:
    """The types an mmengine training checkpoint holds beyond tensors."""
    import numpy as np
    from mmengine.logging.history_buffer import HistoryBuffer
    multiarray = np.core.multiarray if not hasattr(np, '_core') \
        else np._core.multiarray
    allowed = {
        'numpy.ndarray': np.ndarray,
        'numpy.dtype': np.dtype,
        'mmengine.logging.history_buffer.HistoryBuffer': HistoryBuffer,
    }
    for mod in ('numpy.core.multiarray', 'numpy._core.multiarray'):
        allowed[f'{mod}._reconstruct'] = multiarray._reconstruct
        allowed[f'{mod}.scalar'] = multiarray.scalar
    dtypes = getattr(np, 'dtypes', None)
    for name in dir(dtypes) if dtypes is not None else ():
        if name.endswith('DType'):
            allowed[f'numpy.dtypes.{name}'] = getattr(dtypes, name)
    return allowed


def _history_buffer_getattr(obj, name):
    """``getattr`` restricted to ``HistoryBuffer``'s statistics methods."""
    from mmengine.logging.history_buffer import HistoryBuffer
    # min/max/current/mean are registered lazily, by the first instance
    allowed = {'min', 'max', 'current', 'mean'}
    allowed.update(HistoryBuffer._statistics_methods)
    if obj is HistoryBuffer and name in allowed:
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f'getattr({obj!r}, {name!r}) is not allowed in a checkpoint')


class _RestrictedUnpickler(pickle.Unpickler):
    """Unpickler admitting torch's safe globals + mmengine checkpoint types."""

    _allowed = None

    @classmethod
    def allowed(cls) -> dict:
        if cls._allowed is None:
            from torch import _weights_only_unpickler
            allowed = {
                k: v
                for k, v in _weights_only_unpickler._get_allowed_globals().
                items() if not isinstance(v, str)
            }
            allowed.update(_extra_safe_globals())
            allowed['builtins.getattr'] = _history_buffer_getattr
            allowed['__builtin__.getattr'] = _history_buffer_getattr
            cls._allowed = allowed
        return cls._allowed

    def find_class(self, module, name):
        obj = self.allowed().get(f'{module}.{name}')
        if obj is None:
            raise pickle.UnpicklingError(
                f'unsafe global {module}.{name} is not on the allow-list')
        return obj


_restricted_pickle = types.ModuleType('mmseg_zss_restricted_pickle')
_restricted_pickle.Unpickler = _RestrictedUnpickler
_restricted_pickle.load = lambda f, **kw: _RestrictedUnpickler(f, **kw).load()
_restricted_pickle.__name__ = 'mmseg_zss_restricted_pickle'


def _unreadable(filename, err):
    reason = (str(err).strip().splitlines() or [''])[0][:200]
    return CheckpointError(
        f'{filename} is not a readable PyTorch checkpoint '
        f'({type(err).__name__}: {reason}); pass a .pth file written by '
        'tools/train.py or torch.save')


def load_checkpoint_file(filename, map_location=None):
    """Load a local checkpoint safely; raise :class:`CheckpointError` if not.

    Plain state dicts (pretrained weights, published models) load through
    torch's ``weights_only`` loader; full mmengine training checkpoints
    (optimizer, message hub) through the restricted unpickler above.
    """
    filename = osp.expanduser(str(filename))
    if not osp.isfile(filename):
        raise CheckpointError(
            f'checkpoint {filename} does not exist; check the path')
    try:
        return torch.load(filename, map_location=map_location,
                          weights_only=True)
    except pickle.UnpicklingError:
        pass  # not a plain state dict: try the mmengine allow-list below
    except Exception as e:  # corrupt zip, truncated file, not torch at all
        raise _unreadable(filename, e) from e
    try:
        return torch.load(filename, map_location=map_location,
                          weights_only=False, pickle_module=_restricted_pickle)
    except pickle.UnpicklingError as e:
        msg = str(e).splitlines()[0][:200]
        if 'unsafe global' in msg or 'not allowed' in msg:
            raise CheckpointError(
                f'{filename} holds Python objects that are not safe to load '
                f'({msg}). If you trust this file, re-save only its weights: '
                "torch.save(torch.load(f, weights_only=False)['state_dict'], "
                'new_file)') from e
        raise _unreadable(filename, e) from e
    except Exception as e:
        raise _unreadable(filename, e) from e


def _register_checkpoint_loader():
    from mmengine.runner.checkpoint import CheckpointLoader
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_checkpoint_file, force=True)


_register_checkpoint_loader()
