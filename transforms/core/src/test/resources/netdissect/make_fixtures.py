"""Writes the NumPy and Pillow values that the netdissect tests compare against.

Run with Debian's /usr/bin/python3 (python3-numpy, python3-pil): python3 make_fixtures.py   (writes next to this file)

quantile_*.npy   numpy.quantile(x.astype(float64), 1 - q), the default 'linear' method, for arrays of float32 values
                 (the activation maps are float32; NetDissect-Lite took np.percentile(features, 100 * (1 - Q)) of a
                 float64 copy): values = all arrays concatenated, lengths = each array's length, quantiles = q,
                 expected[i, k] = the (1 - q_k) quantile of array i.
resize_*.npy     PIL.Image.fromarray(x, mode 'F').resize((sw, sh), Image.BILINEAR) for float32 images x:
                 shapes[i] = (h, w, sh, sw); inputs and outputs are the images concatenated, row-major.
"""
import numpy as np
from PIL import Image

rng = np.random.RandomState(20250101)

# --- quantiles -------------------------------------------------------------------------------------------------
arrays = [
    np.array([3.5], np.float32),
    np.array([2.0, -1.0], np.float32),
    np.array([0.25, 0.25, 0.25], np.float32),
    rng.randn(7).astype(np.float32),
    rng.randn(200).astype(np.float32),
    (rng.randn(1000) * 1e3).astype(np.float32),
    rng.randn(4099).astype(np.float32),
    np.round(rng.randn(20000) * 3).astype(np.float32),       # many ties around every quantile
    np.concatenate([np.full(4000, -2.5), np.full(9, 7.0), [1e30, -1e-30]]).astype(np.float32),
    (rng.standard_cauchy(49 * 300)).astype(np.float32),     # an activation map's worth: 300 images x 7 x 7
]
quantiles = np.array([0.005, 0.001, 0.01, 0.1, 0.25, 1 / 3, 0.5, 0.9, 0.995], np.float64)
expected = np.array([[np.quantile(a.astype(np.float64), 1 - q) for q in quantiles] for a in arrays])
# NetDissect-Lite's own call gives the same numbers at its QUANTILE.
for a in arrays:
    assert np.percentile(a.astype(np.float64), 100 * (1 - 0.005)) == np.quantile(a.astype(np.float64), 1 - 0.005)
np.save("quantile_values.npy", np.concatenate(arrays).astype(np.float32))
np.save("quantile_lengths.npy", np.array([len(a) for a in arrays], np.int64))
np.save("quantile_quantiles.npy", quantiles)
np.save("quantile_expected.npy", expected)

# --- Pillow's bilinear resize of 'F' images ---------------------------------------------------------------------
shapes = [
    (7, 7, 112, 112),   # a 7 x 7 map to Broden's 112 x 112 segmentation
    (7, 5, 13, 29),
    (14, 14, 7, 7),     # shrinking: the triangle is stretched by the scale
    (10, 3, 4, 9),      # shrinking one way, growing the other
    (1, 1, 5, 3),
    (3, 3, 3, 3),       # same size: a copy
    (5, 8, 5, 20),      # horizontal pass only
    (6, 4, 17, 4),      # vertical pass only
    (2, 9, 1, 1),
    (9, 9, 112, 112),
    (16, 16, 112, 112),
    (4, 6, 23, 11),
]
inputs, outputs = [], []
for h, w, sh, sw in shapes:
    x = (rng.randn(h, w) * 10 ** rng.uniform(-3, 3, size=(h, w))).astype(np.float32)
    y = np.asarray(Image.fromarray(x, mode="F").resize((sw, sh), Image.BILINEAR), dtype=np.float32)
    assert y.shape == (sh, sw)
    inputs.append(x.ravel())
    outputs.append(y.ravel())
np.save("resize_shapes.npy", np.array(shapes, np.int64))
np.save("resize_inputs.npy", np.concatenate(inputs).astype(np.float32))
np.save("resize_outputs.npy", np.concatenate(outputs).astype(np.float32))
