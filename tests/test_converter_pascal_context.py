"""tools/dataset_converters/pascal_context.py on .mat files in the official
structure (acceptance 2)."""
import ast
import os.path as osp

import fixture_tools
import mmseg
import numpy as np
import pytest
import scipy.io
from fixture_datasets import write_pascal_context_release
from PIL import Image

import mmseg_zss  # noqa: F401
from mmseg_zss.datasets import get_classes
from mmseg_zss.datasets.transforms import LoadZeroShotAnnotations
from mmseg_zss.errors import DatasetError


def load_tool():
    return fixture_tools.load_tool('dataset_converters/pascal_context')


def mmseg_mapping():
    """``_mapping`` of mmseg's own converter, read from its source (it
    imports the `detail` package, so it cannot be imported here)."""
    path = osp.join(osp.dirname(mmseg.__file__), '.mim', 'tools',
                    'dataset_converters', 'pascal_context.py')
    tree = ast.parse(open(path).read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == '_mapping':
            values = node.value.args[0].args[0]  # np.sort(np.array([...]))
            return np.sort(np.array(ast.literal_eval(values)))
    raise AssertionError('no _mapping in mmseg converter')


def mmseg_59_values(label_map):
    """What mmseg's converter writes: Detail paints only the 59 categories
    (ids of labels.txt) on zeros, then ``_class_to_index`` digitizes."""
    mapping = mmseg_mapping()
    painted = np.where(np.isin(label_map, mapping), label_map, 0)
    index = np.digitize(painted.ravel(), mapping, right=True)
    return np.arange(len(mapping)).astype('uint8')[index].reshape(
        label_map.shape)


@pytest.fixture(scope='module')
def converted(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('pc_release'))
    devkit, context, maps = write_pascal_context_release(root)
    lists = load_tool().convert(devkit, context)
    return osp.join(devkit, 'VOC2010'), maps, lists


def test_59_and_459_maps(converted):
    voc, maps, lists = converted
    assert lists['train'] == ['2008_000000', '2008_000001', '2008_000002']
    assert lists['val'] == ['2008_000003', '2008_000004']  # no .mat: left out
    for name, label in maps.items():
        m59 = np.array(Image.open(osp.join(voc, 'SegmentationClassContext',
                                           name + '.png')))
        m459 = np.array(Image.open(osp.join(
            voc, 'SegmentationClassContext459', name + '.png')))
        assert m59.dtype == np.uint8 and m459.dtype == np.uint16
        np.testing.assert_array_equal(m59, mmseg_59_values(label))
        np.testing.assert_array_equal(m459, label)
        # hand check of the first row: ids 400, 2 (aeroplane), 0, 459
        assert m59[0, :4].tolist() == [0, 1, 0, 0]
        assert m459[0, :4].tolist() == [400, 2, 0, 459]
    with open(osp.join(voc, 'ImageSets', 'SegmentationContext',
                       'val.txt')) as f:
        assert f.read().split() == lists['val']


def test_459_value_survives_loading(converted):
    voc, maps, _ = converted
    results = dict(
        seg_map_path=osp.join(voc, 'SegmentationClassContext459',
                              '2008_000000.png'),
        reduce_zero_label=True, ignore_index=65535, num_classes=459,
        seg_fields=[])
    gt = LoadZeroShotAnnotations().transform(results)['gt_seg_map']
    assert gt.dtype == np.uint16
    # labels.txt id 400 -> class 399, 'aeroplane' (id 2) -> class 1, id 0 ->
    # ignore, id 459 -> class 458 ('wool')
    assert gt[0, :4].tolist() == [399, 1, 65535, 458]
    assert get_classes('pascal_context_459')[458] == 'wool'
    np.testing.assert_array_equal(
        gt.astype(np.int64),
        np.where(maps['2008_000000'] == 0, 65535,
                 maps['2008_000000'].astype(np.int64) - 1))


def test_59_maps_load_like_mmseg(converted):
    voc, maps, _ = converted
    results = dict(
        seg_map_path=osp.join(voc, 'SegmentationClassContext',
                              '2008_000001.png'),
        reduce_zero_label=True, seg_fields=[])
    ours = LoadZeroShotAnnotations().transform(dict(results))['gt_seg_map']
    theirs = mmseg.datasets.transforms.LoadAnnotations().transform(
        dict(results, seg_fields=[]))['gt_seg_map']
    np.testing.assert_array_equal(ours, theirs)


def test_missing_folder_and_malformed_mat(tmp_path):
    tool = load_tool()
    devkit, context, _ = write_pascal_context_release(str(tmp_path))
    with pytest.raises(DatasetError, match='nowhere'):
        tool.convert(str(tmp_path / 'nowhere'), context)
    bad = osp.join(context, 'trainval', '2008_000001.mat')
    scipy.io.savemat(bad, {'Other': np.zeros((2, 2))})
    with pytest.raises(DatasetError, match='2008_000001.mat has no LabelMap'):
        tool.convert(devkit, context)
    with open(bad, 'wb') as f:
        f.write(b'not a mat file')
    with pytest.raises(DatasetError, match='2008_000001.mat is not a readable'):
        tool.convert(devkit, context)
    scipy.io.savemat(bad, {'LabelMap': np.full((3, 3), 460, np.uint16)})
    with pytest.raises(DatasetError, match='values must be in 0..459'):
        tool.convert(devkit, context)


def test_labels_txt_must_match(tmp_path):
    tool = load_tool()
    devkit, context, _ = write_pascal_context_release(str(tmp_path))
    names = list(get_classes('pascal_context_459'))
    names[1] = 'airplane'
    with open(osp.join(context, 'labels.txt'), 'w') as f:
        f.writelines(f'{i}: {n}\n' for i, n in enumerate(names, 1))
    with pytest.raises(DatasetError, match="id 2 is 'airplane'"):
        tool.convert(devkit, context)


def test_cli_prints_one_line_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        load_tool().main([str(tmp_path / 'a'), str(tmp_path / 'b')])
    assert e.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and 'does not exist' in err[0]
