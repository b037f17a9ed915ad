"""mmseg's own configs build through `mmseg::` inheritance + custom_imports."""
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS, TRANSFORMS


@pytest.mark.parametrize('base', [
    'deeplabv3plus/deeplabv3plus_r50-d8_4xb4-40k_pascal-context-59-480x480.py',
    'pspnet/pspnet_r50-d8_4xb4-40k_pascal-context-59-480x480.py',
])
def test_mmseg_pc59_config_builds(tmp_path, base):
    path = tmp_path / 'cfg.py'
    path.write_text(f"_base_ = ['mmseg::{base}']\n"
                    "custom_imports = dict(imports=['mmseg_zss'], "
                    'allow_failed_imports=False)\n')
    cfg = Config.fromfile(str(path))
    init_default_scope('mmseg')
    cfg.model.pretrained = None  # no download in tests
    model = MODELS.build(cfg.model)
    assert model.decode_head.num_classes == 59
    assert type(model.backbone).__name__ == 'ResNetV1c'
    for step in cfg.train_pipeline + cfg.test_pipeline:
        TRANSFORMS.build(step)
