#!/usr/bin/env python3
"""Writes the tiny .npy fixtures that NpyTest reads, next to this script.

Run with python3 and numpy 2.x: `python3 make_fixtures.py`. The outputs are committed; rerun only to change them.
Every value comes from a formula that NpyTest recomputes in Java, so the test checks the reader against numpy,
not against itself. Keep the formulas here and in NpyTest in step.
"""
import io
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, array):
    np.save(os.path.join(HERE, name), array)


def grid(rows, cols):
    """k = i * cols + j for element (i, j), as int64."""
    return np.arange(rows * cols, dtype=np.int64).reshape(rows, cols)


def main():
    # ---- reader fixtures ----
    # float64 (3, 5), C order: (k - 6) * 0.375 with k = i*5 + j, and four special values.
    a = (grid(3, 5) - 6) * 0.375
    a[0, 1] = -0.0
    a[1, 2] = np.nan
    a[2, 3] = np.inf
    a[2, 4] = -np.inf
    save("f64_c.npy", a)
    # float64 (4, 3), Fortran order: k * 0.1 - 0.55 with k = i*3 + j.
    save("f64_f.npy", np.asfortranarray(grid(4, 3) * 0.1 - 0.55))
    # float32 (5, 4), C order: float32(k * 0.1 - 0.7) with k = i*4 + j.
    save("f32_c.npy", (grid(5, 4) * 0.1 - 0.7).astype(np.float32))
    # float32 (3, 7), Fortran order: float32(k * 0.25 - 2) with k = i*7 + j.
    save("f32_f.npy", np.asfortranarray((grid(3, 7) * 0.25 - 2).astype(np.float32)))
    # big-endian float64 (2, 3): k * 1.5 - 4.
    save("f8_be.npy", (grid(2, 3) * 1.5 - 4).astype(">f8"))
    # big-endian float32 vector (5,): float32(k * 0.3 - 1).
    save("f4_be_vec.npy", (np.arange(5) * 0.3 - 1).astype(">f4"))
    # int64 vector (7,): (k - 3) * 2**40 + k.
    k = np.arange(7, dtype=np.int64)
    save("i64_vec.npy", (k - 3) * 2**40 + k)
    # int32 vector (6,): (k - 2) * 100000 - 7.
    save("i32_vec.npy", ((np.arange(6) - 2) * 100000 - 7).astype(np.int32))
    # big-endian int32 vector (4,): (k - 2) * 65537.
    save("i32_be_vec.npy", ((np.arange(4) - 2) * 65537).astype(">i4"))
    # int8 (5,): (k - 2) * 50; int16 (4,): (k - 2) * 12345; uint16 (4,): k * 20000 + 5.
    save("i8_vec.npy", ((np.arange(5) - 2) * 50).astype(np.int8))
    save("i16_vec.npy", ((np.arange(4) - 2) * 12345).astype(np.int16))
    save("u16_vec.npy", (np.arange(4) * 20000 + 5).astype(np.uint16))
    # bool vector (9,): k % 3 == 0.
    save("bool_vec.npy", np.arange(9) % 3 == 0)
    # uint8 (3, 4): (k * 23) % 256 with k = i*4 + j.
    save("u8_mat.npy", ((grid(3, 4) * 23) % 256).astype(np.uint8))
    # float32 (4, 1, 6) as precomputed CLIP features: float32(k * 0.01 - 0.1) with k = i*6 + d.
    save("clip_n1d.npy", (grid(4, 6) * 0.01 - 0.1).astype(np.float32).reshape(4, 1, 6))
    # float64 (2, 3) with a format 2.0 header: k + 0.5.
    with open(os.path.join(HERE, "v2_header.npy"), "wb") as f:
        np.lib.format.write_array(f, grid(2, 3) + 0.5, version=(2, 0))
    # Not readable: complex128, and a 3-D shape that is not (n, 1, d).
    save("c16_vec.npy", np.array([1 + 2j, -3.5j]))
    save("f64_3d.npy", np.arange(24, dtype=np.float64).reshape(2, 3, 4))

    # ---- what np.save writes, for the writer ----
    # float64 (3, 4): k * 0.1 - 0.3 with k = i*4 + j, element (0, 3) = -0.0.
    m = grid(3, 4) * 0.1 - 0.3
    m[0, 3] = -0.0
    save("expected_f64_mat.npy", m)
    # float32 (3, 5): float32(k * 0.1 - 0.7) with k = i*5 + j.
    save("expected_f32_mat.npy", (grid(3, 5) * 0.1 - 0.7).astype(np.float32))
    # float32 (7,): float32(k / 3 - 1); float64 (7,): k / 3 - 1.
    save("expected_f32_vec.npy", (np.arange(7) / 3 - 1).astype(np.float32))
    save("expected_f64_vec.npy", np.arange(7) / 3 - 1)
    # int64 (7,) as i64_vec; int32 (6,) as i32_vec; bool (9,) as bool_vec; an empty int64 vector.
    save("expected_i64_vec.npy", (k - 3) * 2**40 + k)
    save("expected_i32_vec.npy", ((np.arange(6) - 2) * 100000 - 7).astype(np.int32))
    save("expected_bool_vec.npy", np.arange(9) % 3 == 0)
    save("expected_i64_empty.npy", np.zeros(0, dtype=np.int64))

    # ---- headers alone, for shapes too large for fixtures: "descr<TAB>shape<TAB>hex" per line ----
    shapes = [(0,), (1,), (9,), (10,), (123456,), (0, 0), (3, 4), (99999, 12345), (2147483639, 1),
              (1, 2147483639), (10**18, 3), (1, 10**17, 10**18)]
    with open(os.path.join(HERE, "headers_v1.txt"), "w") as out:
        cases = [("<f8", shape) for shape in shapes] + [(d, (9,)) for d in ["<f4", "<i8", "<i4", "|b1"]]
        for descr, shape in cases:
            buf = io.BytesIO()
            np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False, "shape": shape})
            out.write("%s\t%s\t%s\n" % (descr, ",".join(map(str, shape)), buf.getvalue().hex()))


if __name__ == "__main__":
    main()
