#!/usr/bin/python3
"""Writes the Broden fixture for BrodenSetTest (run with Debian's /usr/bin/python3: numpy + Pillow).

    cd transforms/datasets/src/test/resources/broden && /usr/bin/python3 make_fixtures.py

set/   a tiny Broden set in the layout of broden1_224 (docs/datasets.md section 3):
  index.csv         image, split, ih, iw, sh, sw, color, object, part, material, scene, texture (category columns in
                    an order other than category.csv's, to show they are found by name)
  category.csv      name, first, last, count, frequency
  label.csv         number, name, category, frequency, coverage, syns; row 0 is '-'; numbers have gaps and go above
                    255 (so a PNG's G channel matters: label = R + 256 G)
  c_<category>.csv  code, number, name, frequency, coverage (c_object.csv also lists code 0 = '-')
  images/           JPEG images and segmentation PNGs; segmentations are 6 x 8 (sh x sw, not square), images 12 x 16
Images (rows of index.csv):
  ade20k/ADE_train_1.jpg   color + object + two part PNGs + material PNG, scene 1000 (image-level); texture empty
  ade20k/ADE_train_2.jpg   object PNG (RGBA), scene 1001, texture '1100;1101' (two image-level labels)
  dtd/striped_1.jpg        texture 1100 only (image-level labels only)
  os/material_only.jpg     material PNG only: dropped by NetDissect-Lite's default categories (material off)
  pascal/val_1.jpg         split val; object cell 'pascal/val_1_object.png;3' (a PNG and a number: NetDissect-Lite
                           turns the number into a constant plane), color PNG in palette mode (P)
The B channel (and alpha) of every PNG holds noise, which the reader must ignore.

Expected values, computed here from the arrays the PNGs were made from (never from the Java reader):
  expected/<image with '/' -> '__'>__<k>.npy  the k-th label plane of that image (int32, sh x sw), in the order
                                             NetDissect-Lite stacks them (categories in category.csv order, then
                                             the cell's entries in order)
  expected/annotations.csv  image, kind (plane | scalar), category, value (npy name or label number); categories in
                            the selection 'all' (every category) -- a test restricting them filters by category
  expected/primary.csv      selection (default | all), number, category: each label's primary category per
                            NetDissect-Lite's primary_categories_per_index (the largest coverage in c_<cat>.csv,
                            ties to the later category, over the selected categories in category.csv order)
"""
import csv
import os
import shutil

import numpy as np
from PIL import Image

RNG = np.random.default_rng(20250303)
SH, SW = 6, 8
IH, IW = 12, 16
OUT = 'set'
EXP = 'expected'
CATEGORIES = ['color', 'object', 'part', 'material', 'scene', 'texture']  # category.csv order (broden1_224's)
DEFAULT = ['object', 'part', 'scene', 'texture', 'color']  # NetDissect-Lite's settings.CATEGORIES

# number, name, {category: (code, coverage)}, syns. 'wheel' is in object and part (part covers more: primary
# part); 'glass' has equal coverage in object and material (tie: the later category, material, when it is
# selected; object otherwise).
LABELS = [
    (1, 'black', {'color': (1, 0.9)}, ''),
    (2, 'red', {'color': (2, 0.4)}, ''),
    (3, 'floor', {'object': (1, 0.3)}, 'flooring'),
    (258, 'sky', {'object': (2, 0.5)}, ''),
    (300, 'person', {'object': (3, 0.6)}, 'individual;someone'),
    (301, 'wheel', {'object': (4, 0.1), 'part': (1, 0.8)}, ''),
    (513, 'head', {'part': (2, 0.2)}, ''),
    (514, 'hand', {'part': (3, 0.05)}, ''),
    (600, 'glass', {'object': (5, 0.25), 'material': (1, 0.25)}, ''),
    (700, 'wood', {'material': (2, 0.7)}, ''),
    (1000, 'street', {'scene': (1, 1.0)}, ''),
    (1001, 'kitchen', {'scene': (2, 1.0)}, ''),
    (1100, 'striped', {'texture': (1, 2.0)}, ''),
    (1101, 'dotted', {'texture': (2, 1.0)}, ''),
]


def plane(*numbers):
    return RNG.choice(np.array(numbers, dtype=np.int32), size=(SH, SW))


def save_png(path, labels, mode='RGB'):
    """labels -> R = n % 256, G = n // 256, B (and A) noise; mode P writes a palette image of those colours."""
    rgb = np.zeros((SH, SW, 3), dtype=np.uint8)
    rgb[..., 0] = labels % 256
    rgb[..., 1] = labels // 256
    if mode == 'P':
        # one palette entry per distinct label, with a B that differs per entry
        values = sorted(set(labels.ravel().tolist()))
        palette = []
        for i, v in enumerate(values):
            palette += [v % 256, v // 256, (37 * i + 11) % 256]
        index = np.vectorize(values.index)(labels).astype(np.uint8)
        im = Image.fromarray(index, mode='P')
        im.putpalette(palette + [0] * (768 - len(palette)))
    elif mode == 'RGBA':
        rgba = np.zeros((SH, SW, 4), dtype=np.uint8)
        rgba[..., :3] = rgb
        rgba[..., 2] = RNG.integers(0, 256, size=(SH, SW))
        rgba[..., 3] = RNG.integers(1, 256, size=(SH, SW))
        im = Image.fromarray(rgba, mode='RGBA')
    else:
        rgb[..., 2] = RNG.integers(0, 256, size=(SH, SW))
        im = Image.fromarray(rgb, mode='RGB')
    full = os.path.join(OUT, 'images', path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    im.save(full)
    back = np.asarray(Image.open(full).convert('RGB')).astype(np.int32)
    assert (back[..., 0] + 256 * back[..., 1] == labels).all(), path


def save_jpg(path):
    full = os.path.join(OUT, 'images', path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    Image.fromarray(RNG.integers(0, 256, size=(IH, IW, 3), dtype=np.uint8), mode='RGB').save(full, quality=90)


# Each image: (path, split, {category: [entries]}), an entry being (png path, plane, mode) or a label number.
images = []
a = 'ade20k/ADE_train_1'
images.append((a + '.jpg', 'train', {
    'color': [(a + '_color.png', plane(0, 1, 2), 'RGB')],
    'object': [(a + '_object.png', plane(0, 3, 258, 300, 301, 600), 'RGB')],
    'part': [(a + '_part_1.png', plane(0, 513, 514, 301), 'RGB'), (a + '_part_2.png', plane(0, 514), 'RGB')],
    'material': [(a + '_material.png', plane(0, 700, 600), 'RGB')],
    'scene': [1000],
}))
b = 'ade20k/ADE_train_2'
images.append((b + '.jpg', 'train', {
    'object': [(b + '_object.png', plane(0, 258, 300), 'RGBA')],
    'scene': [1001],
    'texture': [1100, 1101],
}))
images.append(('dtd/striped_1.jpg', 'train', {'texture': [1100]}))
images.append(('os/material_only.jpg', 'train', {'material': [('os/material_only_material.png', plane(0, 700),
                                                                'RGB')]}))
p = 'pascal/val_1'
images.append((p + '.jpg', 'val', {
    'object': [(p + '_object.png', plane(0, 300, 3), 'RGB'), 3],
    'color': [(p + '_color.png', plane(1, 2, 0), 'P')],
}))

if os.path.exists(OUT):
    shutil.rmtree(OUT)
if os.path.exists(EXP):
    shutil.rmtree(EXP)
os.makedirs(os.path.join(OUT, 'images'))
os.makedirs(EXP)

INDEX_COLUMNS = ['image', 'split', 'ih', 'iw', 'sh', 'sw', 'object', 'color', 'part', 'material', 'scene', 'texture']
annotations = []
with open(os.path.join(OUT, 'index.csv'), 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(INDEX_COLUMNS)
    for path, split, cells in images:
        save_jpg(path)
        row = {'image': path, 'split': split, 'ih': IH, 'iw': IW, 'sh': SH, 'sw': SW}
        for cat in CATEGORIES:
            entries = cells.get(cat, [])
            text = []
            for e in entries:
                if isinstance(e, int):
                    text.append(str(e))
                else:
                    save_png(e[0], e[1], e[2])
                    text.append(e[0])
            row[cat] = ';'.join(text)
        w.writerow([row[c] for c in INDEX_COLUMNS])
        # Expected, as NetDissect-Lite's resolve_segmentation + tally_job see it: a cell of numbers only gives
        # scalars; any other cell gives planes, a number becoming a constant plane.
        k = 0
        for cat in CATEGORIES:
            entries = cells.get(cat, [])
            if not entries:
                continue
            if all(isinstance(e, int) for e in entries):
                for e in entries:
                    annotations.append((path, 'scalar', cat, str(e)))
                continue
            for e in entries:
                labels = np.full((SH, SW), e, dtype=np.int32) if isinstance(e, int) else e[1]
                name = path.replace('/', '__') + '__%d.npy' % k
                np.save(os.path.join(EXP, name), labels.astype(np.int32))
                annotations.append((path, 'plane', cat, name))
                k += 1

with open(os.path.join(EXP, 'annotations.csv'), 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['image', 'kind', 'category', 'value'])
    w.writerows(annotations)

# label.csv: 'category' lists the pixel count of the label per category in this set (scalars count sh x sw).
pixels = {}
frequency = {}
for path, split, cells in images:
    seen = set()
    for cat, entries in cells.items():
        for e in entries:
            if isinstance(e, int):
                counts = {e: SH * SW}
            else:
                values, n = np.unique(e[1], return_counts=True)
                counts = dict(zip(values.tolist(), n.tolist()))
            for number, n in counts.items():
                if number:
                    pixels[(number, cat)] = pixels.get((number, cat), 0) + n
                    seen.add((number, cat))
    for key in seen:
        frequency[key] = frequency.get(key, 0) + 1

with open(os.path.join(OUT, 'label.csv'), 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['number', 'name', 'category', 'frequency', 'coverage', 'syns'])
    w.writerow([0, '-', '', 0, 0.0, ''])
    for number, name, cats, syns in LABELS:
        counts = ';'.join('%s(%d)' % (c, pixels.get((number, c), 0)) for c in cats)
        freq = sum(frequency.get((number, c), 0) for c in cats)
        cov = sum(v[1] for v in cats.values())
        w.writerow([number, name, counts, freq, '%.4f' % cov, syns])

with open(os.path.join(OUT, 'category.csv'), 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['name', 'first', 'last', 'count', 'frequency'])
    for cat in CATEGORIES:
        codes = [v[cat][0] for _, _, v, _ in LABELS if cat in v]
        freq = sum(1 for _, _, cells in images if cells.get(cat))
        w.writerow([cat, min(codes), max(codes), len(codes), freq])

for cat in CATEGORIES:
    with open(os.path.join(OUT, 'c_%s.csv' % cat), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['code', 'number', 'name', 'frequency', 'coverage'])
        if cat == 'object':
            w.writerow([0, 0, '-', 0, 0.0])
        for number, name, cats, _ in LABELS:
            if cat in cats:
                code, cov = cats[cat]
                w.writerow([code, number, name, frequency.get((number, cat), 0), '%.4f' % cov])


def primary(selected):
    """NetDissect-Lite's primary_categories_per_index: max over (coverage or 0, category index)."""
    size = max(n for n, _, _, _ in LABELS) + 1
    by_number = {n: cats for n, _, cats, _ in LABELS}
    out = []
    for i in range(size):
        cats = by_number.get(i, {})
        out.append(max((cats[c][1] if c in cats else 0, ic) for ic, c in enumerate(selected))[1])
    return out


with open(os.path.join(EXP, 'primary.csv'), 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['selection', 'number', 'category'])
    for selection, selected in [('default', [c for c in CATEGORIES if c in DEFAULT]), ('all', CATEGORIES)]:
        for number, ic in enumerate(primary(selected)):
            w.writerow([selection, number, selected[ic]])
print('wrote', OUT, 'and', EXP)
