#!/usr/bin/python3
"""Writes the NSD design fixtures for NsdDesignTest (run with Debian's /usr/bin/python3: numpy + scipy 1.10).

    cd transforms/src/test/resources/nsd && /usr/bin/python3 make_fixtures.py

Files:
  nsd_expdesign.mat         MAT v5 (scipy.io.savemat, compressed), all doubles like the real file:
                            masterordering 1x30000, subjectim 8x10000, sharedix 1x1000, stimpattern 40x12x75 (zeros).
  nsd_stim_info_merged.csv  the real header; one row per image shown in SESSION 1 to any subject (by the design
                            above) plus a few never-shown rows, in a shuffled order (readers must key on nsdId).
                            The rep columns hold the true 1-based trial numbers over all 30000 trials.
  missing_rep_columns.csv   the real header without the subjectN_rep* columns, three rows.
  corrupt.mat               a MAT v5 header followed by garbage.
  expected.txt              facts numpy derives from the design, for the tests to compare with (never taken
                            from the Java readers): 'trial S T nsdId', 'counts S SESSIONS images n1 n2 n3',
                            'reps S SESSIONS nsdId count' lines.

Format-faithful, content-reduced (to keep the files small):
  * every 10k-index k = 1..10000 is shown exactly 3 times, as in NSD. masterordering is made of groups of k's; a
    group's shuffled order is shown three times in a row (the copies make the file compress well). Group 0 (220 k's)
    fills trials 0..659, so its images have 3 repetitions within session 1; group 1 (1000 k's) starts at trial 660,
    so 90 of its images have 1 repetition in session 1 and 3 overall. The other groups have 1300 k's (3900 trials): the
    ragged boundary of subject 4 (30 sessions, 22500 trials) falls in a group's third copy (some images have 2
    repetitions there, some none), that of subject 3 (32 sessions, 24000 trials) in a first copy (1 repetition).
  * k = 1..1000 are the shared images (the same 73k id for all subjects, ids = sharedix), as in NSD. Of the other
    k's only the subject-specific set SPECIFIC has a different id per subject; the rest use one id for all subjects
    (unlike NSD, where they are disjoint, but a distinct 8x9000 table of random ids does not compress).
"""
import numpy as np
import scipy.io as sio

RNG = np.random.default_rng(20240611)
TRIALS, PER_SESSION, NK = 30000, 750, 10000

# --- 10k-index groups (k values are 1-based) ---
shared_k = RNG.permutation(np.arange(1, 1001))
other_k = RNG.permutation(np.arange(1001, NK + 1))
# session 1: 210 shared + 10 subject-specific in group 0; 80 shared + 10 subject-specific in group 1's first 90
g0 = RNG.permutation(np.concatenate([shared_k[:210], other_k[:10]]))
g1_head = RNG.permutation(np.concatenate([shared_k[210:290], other_k[10:20]]))
rest = RNG.permutation(np.concatenate([shared_k[290:], other_k[20:]]))
g1 = np.concatenate([g1_head, rest[:910]])
rest = rest[910:]
groups = [g0, g1] + [rest[i:i + 1300] for i in range(0, len(rest), 1300)]
masterordering = np.concatenate([np.tile(g, 3) for g in groups])
assert masterordering.shape == (TRIALS,)
assert (np.bincount(masterordering, minlength=NK + 1)[1:] == 3).all()

# --- 73k ids ---
SPECIFIC = np.concatenate([other_k[:20], RNG.choice(other_k[20:], 80, replace=False)])
ids = RNG.permutation(np.arange(1, 73001))
sharedix = np.sort(ids[:1000])
subjectim = np.zeros((8, NK), dtype=np.int64)
subjectim[:, :1000] = sharedix  # k = 1..1000 -> the shared images
common = np.sort(ids[1000:1000 + NK - 1000])
subjectim[:, 1000:] = common  # one id for all subjects ...
spare = iter(ids[1000 + NK - 1000:])
for k in SPECIFIC:  # ... except for the subject-specific k's
    for s in range(8):
        subjectim[s, k - 1] = next(spare)
for s in range(8):
    assert len(np.unique(subjectim[s])) == NK

sio.savemat('nsd_expdesign.mat', {
    'masterordering': masterordering.astype(np.float64)[None, :],
    'subjectim': subjectim.astype(np.float64),
    'sharedix': sharedix.astype(np.float64)[None, :],
    'stimpattern': np.zeros((40, 12, 75)),
}, do_compression=True, format='5')

# --- stim info CSV ---
nsd_of_trial = subjectim[:, masterordering - 1] - 1  # 8 x 30000, 0-based nsdIds
session1 = np.unique(nsd_of_trial[:, :PER_SESSION])
used = set(np.unique(nsd_of_trial).tolist())
never = [i for i in RNG.choice(73000, 50, replace=False).tolist() if i not in used][:4]
rows = RNG.permutation(np.concatenate([session1, never]))
shared_set = set((sharedix - 1).tolist())

cols = ['', 'cocoId', 'cocoSplit', 'cropBox', 'loss', 'nsdId', 'flagged', 'BOLD5000', 'shared1000']
cols += ['subject%d' % s for s in range(1, 9)]
cols += ['subject%d_rep%d' % (s, r) for s in range(1, 9) for r in range(3)]
CROPS = ['"(0, 0.1671875, 0, 0)"', '"(0.125, 0.125, 0, 0)"', '"(0, 0, 0.1, 0.1)"']
lines = [','.join(cols)]
for nsd in rows.tolist():
    f = [str(nsd), str(RNG.integers(9, 581930)), 'train2017' if RNG.random() < .9 else 'val2017',
         CROPS[nsd % 3], '0.0', str(nsd), 'False', 'False', str(nsd in shared_set)]
    reps = []
    for s in range(8):
        t = (np.nonzero(nsd_of_trial[s] == nsd)[0] + 1).tolist()  # 1-based, ascending
        f.append('1' if t else '0')
        reps += [str(x) for x in (t + [0, 0, 0])[:3]]
    lines.append(','.join(f + reps))
with open('nsd_stim_info_merged.csv', 'w') as out:
    out.write('\n'.join(lines) + '\n')

short = [c for c in cols if '_rep' not in c]
with open('missing_rep_columns.csv', 'w') as out:
    out.write(','.join(short) + '\n')
    for nsd in rows[:3].tolist():
        out.write(','.join([str(nsd), '1', 'train2017', CROPS[0], '0.0', str(nsd), 'False', 'False', 'False']
                           + ['1'] * 8) + '\n')

with open('corrupt.mat', 'wb') as out:
    header = b'MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: fixture'.ljust(116, b' ')
    out.write(header + b'\0' * 8 + b'\x00\x01IM' + bytes(RNG.integers(0, 256, 300, dtype=np.uint8)))

# --- expected facts ---
TOTAL = {1: 40, 2: 40, 3: 32, 4: 30, 5: 40, 6: 32, 7: 40, 8: 30}
facts = []
for s in (1, 2, 4):
    for t in (0, 62, 63, 125, 749, 750, 22499, 29999):
        facts.append('trial %d %d %d' % (s, t, nsd_of_trial[s - 1, t]))
for s, n in [(1, 40), (4, 30), (3, 32), (1, 1), (4, 1), (2, 3)]:
    ids_s, counts = np.unique(nsd_of_trial[s - 1, :n * PER_SESSION], return_counts=True)
    facts.append('counts %d %d %d %d %d %d' % (s, n, len(ids_s), (counts == 1).sum(), (counts == 2).sum(),
                                             (counts == 3).sum()))
    for c in (1, 2, 3):
        pick = ids_s[counts == c]
        if len(pick):
            facts.append('reps %d %d %d %d' % (s, n, pick[len(pick) // 2], c))
    unseen = [i for i in np.unique(nsd_of_trial[s - 1]).tolist() if i not in set(ids_s.tolist())]
    if unseen:
        facts.append('reps %d %d %d 0' % (s, n, unseen[0]))
with open('expected.txt', 'w') as out:
    out.write('\n'.join(facts) + '\n')
