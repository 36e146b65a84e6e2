"""Writes the statistics that the evaluation kernels are compared against (EvaluationStatisticsTest).

scipy.stats.ttest_rel, scipy.stats.pearsonr, numpy.histogram2d, numpy.nanmean / nanmedian on seeded random samples.
Run: python3 make_fixtures.py   (numpy >= 1.17, scipy >= 1.9; written with numpy 2.4, scipy 1.17; writes the CSV
files next to this script). Arrays are written space-separated in a field, every float as repr (round-trips), NaN as
"NaN".
"""
import csv

import numpy as np
from scipy import stats


def num(x):
    x = float(x)
    return "NaN" if np.isnan(x) else repr(x)


def arr(v):
    return " ".join(num(x) for x in v)


rng = np.random.RandomState(2025)

# Paired t-tests: nan_policy='omit' leaves out the pairs with a NaN on either side.
with open("ttest_rel.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["case", "a", "b", "n", "mean_a", "mean_b", "t", "df", "p"])
    cases = []
    for n in (2, 3, 5, 10, 30, 200):
        a = rng.normal(0.1, 1.0, n)
        b = a + rng.normal(0.3, 0.5, n)
        cases.append((f"normal_n{n}", a, b))
    a = rng.normal(0, 1, 50)
    cases.append(("large_t", a + 5, a + rng.normal(0, 0.1, 50)))
    a = rng.normal(0, 1, 12)
    b = rng.normal(0, 1, 12)
    a[3] = np.nan
    b[7] = np.nan
    cases.append(("nan_omitted", a, b))
    cases.append(("r2_like", rng.uniform(-0.05, 0.4, 40), rng.uniform(-0.05, 0.3, 40)))
    for name, a, b in cases:
        keep = ~np.isnan(a) & ~np.isnan(b)
        res = stats.ttest_rel(a, b, nan_policy="omit")
        w.writerow([name, arr(a), arr(b), int(keep.sum()), num(np.mean(a[keep])), num(np.mean(b[keep])),
                    num(res.statistic), num(res.df), num(res.pvalue)])

# Pearson's r over the pairs without a NaN.
with open("pearsonr.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["case", "x", "y", "n", "r"])
    cases = []
    for n in (3, 10, 150):
        x = rng.normal(0, 1, n)
        cases.append((f"normal_n{n}", x, 0.6 * x + rng.normal(0, 1, n)))
    x = rng.normal(0, 1, 100)
    cases.append(("negative", x, -2 * x + rng.normal(0, 0.5, 100)))
    x = rng.uniform(0, 1, 20)
    y = rng.normal(0, 1, 20)
    x[2] = np.nan
    y[11] = np.nan
    cases.append(("nan_omitted", x, y))
    for name, x, y in cases:
        keep = ~np.isnan(x) & ~np.isnan(y)
        r = stats.pearsonr(x[keep], y[keep]).statistic
        w.writerow([name, arr(x), arr(y), int(keep.sum()), num(r)])

# The 2-D histogram of Fig. 2: x = noise ceiling %, y = 100 R^2, 50 x 50 bins over [0, 100], values clamped.
nc = rng.uniform(-5, 105, 400)
r2 = np.concatenate([rng.normal(10, 15, 390), [0.0, 2.0, 4.0, 98.0, 100.0, 100.5, -1e-9, 1.9999999999999998,
                                              np.nan, 50.0]])
nc[-1] = np.nan
nc[:6] = [0.0, 2.0, 3.9999999999999996, 98.0, 100.0, 150.0]
counts, xedges, yedges = np.histogram2d(np.clip(nc, 0, 100), np.clip(r2, 0, 100), bins=50, range=[[0, 100], [0, 100]])
with open("histogram_input.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["nc", "r2_percent"])
    for a, b in zip(nc, r2):
        w.writerow([num(a), num(b)])
with open("histogram_counts.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["i", "j", "nc_from", "nc_to", "r2_from", "r2_to", "count"])
    for i in range(50):
        for j in range(50):
            if counts[i, j] > 0:
                w.writerow([i, j, num(xedges[i]), num(xedges[i + 1]), num(yedges[j]), num(yedges[j + 1]),
                            int(counts[i, j])])

# Means and medians over the values that are not NaN.
with open("mean_median.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["case", "values", "mean", "median"])
    odd = rng.normal(0, 1, 31)
    even = rng.normal(0, 1, 40)
    gaps = rng.normal(0, 1, 15)
    gaps[[1, 4, 9]] = np.nan
    for name, v in (("odd", odd), ("even", even), ("nan_left_out", gaps)):
        w.writerow([name, arr(v), num(np.nanmean(v)), num(np.nanmedian(v))])
