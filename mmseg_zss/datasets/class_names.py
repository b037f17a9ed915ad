"""Class lists of the supported datasets: one definition each, used everywhere.

Every list is a tuple of classes in label order (label value ``i`` is class
``i``). A class has a *name*, the string the dataset and mmseg use for it
(``'tvmonitor'``), and a *phrase*, the English words whose vectors embed it
(``'tv monitor'``). Adding a list is one entry in :data:`CLASS_LISTS`: a tuple
whose items are either a name (the phrase is then the name itself) or a
``(name, phrase)`` pair.

Sources (names are copied, never re-spelled):

* ``pascal_context_59``: mmseg 1.2.2 ``PascalContextDataset59.METAINFO``
  (``tests/test_class_names.py`` checks they stay equal).
* ``pascal_context_459``: the 459 labels of the official Pascal-Context release
  (``trainval.tar.gz``: ``labels.txt``, ``1: accordion`` ... ``459: wool``), in
  label order: label ``k`` of ``labels.txt`` is index ``k - 1`` here. Copied from
  github.com/cvlab-kaist/CAT-Seg ``datasets/pc459.json`` (commit dc295eeb),
  whose ``datasets/prepare_pascal_context_459.py`` reads ``labels.txt`` and maps
  label ``k`` to ``k - 1``; checked name by name against an independent copy
  (a detectron2 ``PASCAL_459_CATEGORIES`` list, spelled with spaces).
* ``ade20k_150``: names of mmseg 1.2.2 ``ADE20KDataset.METAINFO`` (stripped);
  the full WordNet synonym lists of the official ``objectInfo150.txt``
  (github.com/CSAILVision/sceneparsing, commit 4ce20bd9) are kept in
  :data:`ADE20K_150_SYNONYMS` and returned by :func:`get_synonyms`.

Phrase rules (docs/embeddings.md explains them with examples):

1. A phrase is the class written as English words separated by spaces. Run-
   together compounds are split (``pottedplant`` -> ``potted plant``,
   ``harddiskdrive`` -> ``hard disk drive``); words English writes closed stay
   whole (``bathtub``, ``fireplace``, ``cellphone``, ``matchbook``).
2. A few labels are corrected so that the phrase is a real English word:
   ``casetterecorder`` -> ``cassette recorder`` (spelling), ``tong``,
   ``sunglass``, ``eyeglass``, ``chopstick`` -> their usual plural, and
   ``drainer`` (not in GloVe 6B's 400k-word vocabulary) -> its stem
   ``drain``.
3. Synonym lists: ADE20K names the first synonym of each objectInfo150 entry
   (``building, edifice`` -> ``building``), and so does the phrase. The mean of
   all synonyms is *not* used for the shipped embeddings: later synonyms are
   often ambiguous words that name other classes of the same list (``toilet,
   can, commode, crapper, pot, potty, stool, throne`` contains the classes
   ``pot`` and ``stool``; ``screen`` is a synonym in three classes). A phrase
   written as ``'a, b, c'`` is embedded as the mean of its synonyms, so a user
   list can opt into that rule.
"""
from ..errors import DatasetError

PASCAL_CONTEXT_59 = (
    'aeroplane', 'bag', 'bed', 'bedclothes', 'bench', 'bicycle', 'bird', 'boat',
    'book', 'bottle', 'building', 'bus', 'cabinet', 'car', 'cat', 'ceiling',
    'chair', 'cloth', 'computer', 'cow', 'cup', 'curtain', 'dog', 'door',
    'fence', 'floor', 'flower', 'food', 'grass', 'ground', 'horse', 'keyboard',
    'light', 'motorbike', 'mountain', 'mouse', 'person', 'plate', 'platform',
    ('pottedplant', 'potted plant'), 'road', 'rock', 'sheep', 'shelves',
    'sidewalk', 'sign', 'sky', 'snow', 'sofa', 'table', 'track', 'train',
    'tree', 'truck', ('tvmonitor', 'tv monitor'), 'wall', 'water', 'window',
    'wood')

# labels.txt names, in label order (see the module docstring for the source)
_PASCAL_CONTEXT_459_NAMES = (
    'accordion', 'aeroplane', 'airconditioner', 'antenna', 'artillery',
    'ashtray', 'atrium', 'babycarriage', 'bag', 'ball', 'balloon',
    'bambooweaving', 'barrel', 'baseballbat', 'basket', 'basketballbackboard',
    'bathtub', 'bed', 'bedclothes', 'beer', 'bell', 'bench', 'bicycle',
    'binoculars', 'bird', 'birdcage', 'birdfeeder', 'birdnest', 'blackboard',
    'board', 'boat', 'bone', 'book', 'bottle', 'bottleopener', 'bowl', 'box',
    'bracelet', 'brick', 'bridge', 'broom', 'brush', 'bucket', 'building',
    'bus', 'cabinet', 'cabinetdoor', 'cage', 'cake', 'calculator', 'calendar',
    'camel', 'camera', 'cameralens', 'can', 'candle', 'candleholder', 'cap',
    'car', 'card', 'cart', 'case', 'casetterecorder', 'cashregister', 'cat',
    'cd', 'cdplayer', 'ceiling', 'cellphone', 'cello', 'chain', 'chair',
    'chessboard', 'chicken', 'chopstick', 'clip', 'clippers', 'clock',
    'closet', 'cloth', 'clothestree', 'coffee', 'coffeemachine', 'comb',
    'computer', 'concrete', 'cone', 'container', 'controlbooth', 'controller',
    'cooker', 'copyingmachine', 'coral', 'cork', 'corkscrew', 'counter',
    'court', 'cow', 'crabstick', 'crane', 'crate', 'cross', 'crutch', 'cup',
    'curtain', 'cushion', 'cuttingboard', 'dais', 'disc', 'disccase',
    'dishwasher', 'dock', 'dog', 'dolphin', 'door', 'drainer', 'dray',
    'drinkdispenser', 'drinkingmachine', 'drop', 'drug', 'drum', 'drumkit',
    'duck', 'dumbbell', 'earphone', 'earrings', 'egg', 'electricfan',
    'electriciron', 'electricpot', 'electricsaw', 'electronickeyboard',
    'engine', 'envelope', 'equipment', 'escalator', 'exhibitionbooth',
    'extinguisher', 'eyeglass', 'fan', 'faucet', 'faxmachine', 'fence',
    'ferriswheel', 'fireextinguisher', 'firehydrant', 'fireplace', 'fish',
    'fishtank', 'fishbowl', 'fishingnet', 'fishingpole', 'flag', 'flagstaff',
    'flame', 'flashlight', 'floor', 'flower', 'fly', 'foam', 'food',
    'footbridge', 'forceps', 'fork', 'forklift', 'fountain', 'fox', 'frame',
    'fridge', 'frog', 'fruit', 'funnel', 'furnace', 'gamecontroller',
    'gamemachine', 'gascylinder', 'gashood', 'gasstove', 'giftbox', 'glass',
    'glassmarble', 'globe', 'glove', 'goal', 'grandstand', 'grass',
    'gravestone', 'ground', 'guardrail', 'guitar', 'gun', 'hammer', 'handcart',
    'handle', 'handrail', 'hanger', 'harddiskdrive', 'hat', 'hay', 'headphone',
    'heater', 'helicopter', 'helmet', 'holder', 'hook', 'horse',
    'horse-drawncarriage', 'hot-airballoon', 'hydrovalve', 'ice',
    'inflatorpump', 'ipod', 'iron', 'ironingboard', 'jar', 'kart', 'kettle',
    'key', 'keyboard', 'kitchenrange', 'kite', 'knife', 'knifeblock', 'ladder',
    'laddertruck', 'ladle', 'laptop', 'leaves', 'lid', 'lifebuoy', 'light',
    'lightbulb', 'lighter', 'line', 'lion', 'lobster', 'lock', 'machine',
    'mailbox', 'mannequin', 'map', 'mask', 'mat', 'matchbook', 'mattress',
    'menu', 'metal', 'meterbox', 'microphone', 'microwave', 'mirror',
    'missile', 'model', 'money', 'monkey', 'mop', 'motorbike', 'mountain',
    'mouse', 'mousepad', 'musicalinstrument', 'napkin', 'net', 'newspaper',
    'oar', 'ornament', 'outlet', 'oven', 'oxygenbottle', 'pack', 'pan',
    'paper', 'paperbox', 'papercutter', 'parachute', 'parasol', 'parterre',
    'patio', 'pelage', 'pen', 'pencontainer', 'pencil', 'person', 'photo',
    'piano', 'picture', 'pig', 'pillar', 'pillow', 'pipe', 'pitcher', 'plant',
    'plastic', 'plate', 'platform', 'player', 'playground', 'pliers', 'plume',
    'poker', 'pokerchip', 'pole', 'pooltable', 'postcard', 'poster', 'pot',
    'pottedplant', 'printer', 'projector', 'pumpkin', 'rabbit', 'racket',
    'radiator', 'radio', 'rail', 'rake', 'ramp', 'rangehood', 'receiver',
    'recorder', 'recreationalmachines', 'remotecontrol', 'road', 'robot',
    'rock', 'rocket', 'rockinghorse', 'rope', 'rug', 'ruler', 'runway',
    'saddle', 'sand', 'saw', 'scale', 'scanner', 'scissors', 'scoop', 'screen',
    'screwdriver', 'sculpture', 'scythe', 'sewer', 'sewingmachine', 'shed',
    'sheep', 'shell', 'shelves', 'shoe', 'shoppingcart', 'shovel', 'sidecar',
    'sidewalk', 'sign', 'signallight', 'sink', 'skateboard', 'ski', 'sky',
    'sled', 'slippers', 'smoke', 'snail', 'snake', 'snow', 'snowmobiles',
    'sofa', 'spanner', 'spatula', 'speaker', 'speedbump', 'spicecontainer',
    'spoon', 'sprayer', 'squirrel', 'stage', 'stair', 'stapler', 'stick',
    'stickynote', 'stone', 'stool', 'stove', 'straw', 'stretcher', 'sun',
    'sunglass', 'sunshade', 'surveillancecamera', 'swan', 'sweeper',
    'swimring', 'swimmingpool', 'swing', 'switch', 'table', 'tableware',
    'tank', 'tap', 'tape', 'tarp', 'telephone', 'telephonebooth', 'tent',
    'tire', 'toaster', 'toilet', 'tong', 'tool', 'toothbrush', 'towel', 'toy',
    'toycar', 'track', 'train', 'trampoline', 'trashbin', 'tray', 'tree',
    'tricycle', 'tripod', 'trophy', 'truck', 'tube', 'turtle', 'tvmonitor',
    'tweezers', 'typewriter', 'umbrella', 'unknown', 'vacuumcleaner',
    'vendingmachine', 'videocamera', 'videogameconsole', 'videoplayer',
    'videotape', 'violin', 'wakeboard', 'wall', 'wallet', 'wardrobe',
    'washingmachine', 'watch', 'water', 'waterdispenser', 'waterpipe',
    'waterskateboard', 'watermelon', 'whale', 'wharf', 'wheel', 'wheelchair',
    'window', 'windowblinds', 'wineglass', 'wire', 'wood', 'wool',
)

# phrase of each label that is not already one English word (rules 1 and 2)
_PASCAL_CONTEXT_459_PHRASES = {
    'airconditioner': 'air conditioner', 'babycarriage': 'baby carriage',
    'bambooweaving': 'bamboo weaving', 'baseballbat': 'baseball bat',
    'basketballbackboard': 'basketball backboard', 'birdcage': 'bird cage',
    'birdfeeder': 'bird feeder', 'birdnest': 'bird nest',
    'bottleopener': 'bottle opener', 'cabinetdoor': 'cabinet door',
    'cameralens': 'camera lens', 'candleholder': 'candle holder',
    'casetterecorder': 'cassette recorder', 'cashregister': 'cash register',
    'cdplayer': 'cd player', 'chopstick': 'chopsticks',
    'clothestree': 'clothes tree', 'coffeemachine': 'coffee machine',
    'controlbooth': 'control booth', 'copyingmachine': 'copying machine',
    'crabstick': 'crab stick', 'cuttingboard': 'cutting board',
    'disccase': 'disc case', 'drainer': 'drain',
    'drinkdispenser': 'drink dispenser', 'drinkingmachine': 'drinking machine',
    'drumkit': 'drum kit', 'electricfan': 'electric fan',
    'electriciron': 'electric iron', 'electricpot': 'electric pot',
    'electricsaw': 'electric saw', 'electronickeyboard': 'electronic keyboard',
    'exhibitionbooth': 'exhibition booth', 'eyeglass': 'eyeglasses',
    'faxmachine': 'fax machine', 'ferriswheel': 'ferris wheel',
    'fireextinguisher': 'fire extinguisher', 'firehydrant': 'fire hydrant',
    'fishtank': 'fish tank', 'fishingnet': 'fishing net',
    'fishingpole': 'fishing pole', 'gamecontroller': 'game controller',
    'gamemachine': 'game machine', 'gascylinder': 'gas cylinder',
    'gashood': 'gas hood', 'gasstove': 'gas stove', 'giftbox': 'gift box',
    'glassmarble': 'glass marble', 'handcart': 'hand cart',
    'harddiskdrive': 'hard disk drive',
    'horse-drawncarriage': 'horse-drawn carriage',
    'hot-airballoon': 'hot-air balloon', 'hydrovalve': 'hydro valve',
    'inflatorpump': 'inflator pump', 'ironingboard': 'ironing board',
    'kitchenrange': 'kitchen range', 'knifeblock': 'knife block',
    'laddertruck': 'ladder truck', 'lifebuoy': 'life buoy',
    'lightbulb': 'light bulb', 'meterbox': 'meter box',
    'mousepad': 'mouse pad', 'musicalinstrument': 'musical instrument',
    'oxygenbottle': 'oxygen bottle', 'paperbox': 'paper box',
    'papercutter': 'paper cutter', 'pencontainer': 'pen container',
    'pokerchip': 'poker chip', 'pooltable': 'pool table',
    'pottedplant': 'potted plant', 'rangehood': 'range hood',
    'recreationalmachines': 'recreational machines',
    'remotecontrol': 'remote control', 'rockinghorse': 'rocking horse',
    'sewingmachine': 'sewing machine', 'shoppingcart': 'shopping cart',
    'signallight': 'signal light', 'speedbump': 'speed bump',
    'spicecontainer': 'spice container', 'stickynote': 'sticky note',
    'sunglass': 'sunglasses', 'surveillancecamera': 'surveillance camera',
    'swimring': 'swim ring', 'swimmingpool': 'swimming pool',
    'telephonebooth': 'telephone booth', 'tong': 'tongs', 'toycar': 'toy car',
    'trashbin': 'trash bin', 'tvmonitor': 'tv monitor',
    'vacuumcleaner': 'vacuum cleaner', 'vendingmachine': 'vending machine',
    'videocamera': 'video camera', 'videogameconsole': 'video game console',
    'videoplayer': 'video player', 'washingmachine': 'washing machine',
    'waterdispenser': 'water dispenser', 'waterpipe': 'water pipe',
    'waterskateboard': 'water skateboard', 'windowblinds': 'window blinds',
    'wineglass': 'wine glass',
}

PASCAL_CONTEXT_459 = tuple(
    (name, _PASCAL_CONTEXT_459_PHRASES.get(name, name))
    for name in _PASCAL_CONTEXT_459_NAMES)

# objectInfo150.txt ``Name`` column, stripped, in label order
ADE20K_150_SYNONYMS = (
    'wall', 'building, edifice', 'sky', 'floor, flooring', 'tree', 'ceiling',
    'road, route', 'bed', 'windowpane, window', 'grass', 'cabinet',
    'sidewalk, pavement', 'person, individual, someone, somebody, mortal, soul',
    'earth, ground', 'door, double door', 'table', 'mountain, mount',
    'plant, flora, plant life', 'curtain, drape, drapery, mantle, pall', 'chair',
    'car, auto, automobile, machine, motorcar', 'water', 'painting, picture',
    'sofa, couch, lounge', 'shelf', 'house', 'sea', 'mirror',
    'rug, carpet, carpeting', 'field', 'armchair', 'seat', 'fence, fencing',
    'desk', 'rock, stone', 'wardrobe, closet, press', 'lamp',
    'bathtub, bathing tub, bath, tub', 'railing, rail', 'cushion',
    'base, pedestal, stand', 'box', 'column, pillar', 'signboard, sign',
    'chest of drawers, chest, bureau, dresser', 'counter', 'sand', 'sink',
    'skyscraper', 'fireplace, hearth, open fireplace', 'refrigerator, icebox',
    'grandstand, covered stand', 'path', 'stairs, steps', 'runway',
    'case, display case, showcase, vitrine',
    'pool table, billiard table, snooker table', 'pillow',
    'screen door, screen', 'stairway, staircase', 'river', 'bridge, span',
    'bookcase', 'blind, screen', 'coffee table, cocktail table',
    'toilet, can, commode, crapper, pot, potty, stool, throne', 'flower',
    'book', 'hill', 'bench', 'countertop',
    'stove, kitchen stove, range, kitchen range, cooking stove',
    'palm, palm tree', 'kitchen island',
    'computer, computing machine, computing device, data processor, '
    'electronic computer, information processing system',
    'swivel chair', 'boat', 'bar', 'arcade machine',
    'hovel, hut, hutch, shack, shanty',
    'bus, autobus, coach, charabanc, double-decker, jitney, motorbus, '
    'motorcoach, omnibus, passenger vehicle',
    'towel', 'light, light source', 'truck, motortruck', 'tower',
    'chandelier, pendant, pendent', 'awning, sunshade, sunblind',
    'streetlight, street lamp', 'booth, cubicle, stall, kiosk',
    'television, television receiver, television set, tv, tv set, idiot box, '
    'boob tube, telly, goggle box',
    'airplane, aeroplane, plane', 'dirt track',
    'apparel, wearing apparel, dress, clothes', 'pole', 'land, ground, soil',
    'bannister, banister, balustrade, balusters, handrail',
    'escalator, moving staircase, moving stairway',
    'ottoman, pouf, pouffe, puff, hassock', 'bottle',
    'buffet, counter, sideboard', 'poster, posting, placard, notice, bill, card',
    'stage', 'van', 'ship', 'fountain',
    'conveyer belt, conveyor belt, conveyer, conveyor, transporter', 'canopy',
    'washer, automatic washer, washing machine', 'plaything, toy',
    'swimming pool, swimming bath, natatorium', 'stool', 'barrel, cask',
    'basket, handbasket', 'waterfall, falls', 'tent, collapsible shelter',
    'bag', 'minibike, motorbike', 'cradle', 'oven', 'ball', 'food, solid food',
    'step, stair', 'tank, storage tank', 'trade name, brand name, brand, marque',
    'microwave, microwave oven', 'pot, flowerpot',
    'animal, animate being, beast, brute, creature, fauna',
    'bicycle, bike, wheel, cycle', 'lake',
    'dishwasher, dish washer, dishwashing machine',
    'screen, silver screen, projection screen', 'blanket, cover', 'sculpture',
    'hood, exhaust hood', 'sconce', 'vase',
    'traffic light, traffic signal, stoplight', 'tray',
    'ashcan, trash can, garbage can, wastebin, ash bin, ash-bin, ashbin, '
    'dustbin, trash barrel, trash bin',
    'fan', 'pier, wharf, wharfage, dock', 'crt screen', 'plate',
    'monitor, monitoring device', 'bulletin board, notice board', 'shower',
    'radiator', 'glass, drinking glass', 'clock', 'flag')

# mmseg's names are the first synonyms, except class 89 where mmseg (like
# most ADE20K code) takes the second, 'television receiver'; rule 3 above.
ADE20K_150 = tuple(
    'television receiver' if i == 89 else synonyms.split(', ')[0]
    for i, synonyms in enumerate(ADE20K_150_SYNONYMS))

# key -> class list; adding a list is one entry (module docstring)
CLASS_LISTS = {
    'pascal_context_59': PASCAL_CONTEXT_59,
    'pascal_context_459': PASCAL_CONTEXT_459,
    'ade20k_150': ADE20K_150,
    # ZSS-Shapes, the embedded synthetic benchmark (mmseg_zss/datasets/synthetic)
    'zss_shapes': ('background',) + tuple(
        f'{c} {s}' for c in ('red', 'orange', 'yellow', 'green', 'blue', 'purple')
        for s in ('circle', 'square', 'triangle', 'cross', 'ring')),
}
DATASETS = tuple(CLASS_LISTS)


def _entries(dataset):
    """``((name, phrase), ...)`` of a list; DatasetError for an unknown key."""
    try:
        items = CLASS_LISTS[dataset]
    except (KeyError, TypeError):
        raise DatasetError(f'unknown class list {dataset!r}; known: '
                           f'{", ".join(CLASS_LISTS)}') from None
    return tuple((item, item) if isinstance(item, str) else tuple(item)
                 for item in items)


def get_classes(dataset):
    """Dataset class names of ``dataset``, in label order."""
    return tuple(name for name, _ in _entries(dataset))


def get_phrases(dataset):
    """Phrases used to embed the classes of ``dataset``, in label order."""
    return tuple(phrase for _, phrase in _entries(dataset))


def get_synonyms(dataset):
    """Per class, the tuple of synonyms the dataset defines for it.

    Only ADE20K ships synonym lists (objectInfo150.txt); for other lists each
    class has one synonym, its phrase.
    """
    if dataset == 'ade20k_150':
        return tuple(tuple(s.split(', ')) for s in ADE20K_150_SYNONYMS)
    return tuple((phrase,) for phrase in get_phrases(dataset))
