package org.clipmsm.synth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.io.Npy;
import org.clipmsm.io.Nifti;
import org.clipmsm.nsd.NsdHdf5Writer;
import org.clipmsm.nsd.NsdDesign;

/**
 * A synthetic subject laid out exactly like NSD (docs/datasets.md §1): the same tree, file names, formats, dtypes, axis
 * orders, ragged repetitions and ROI label codes, with a planted truth saved in {@code truth/}. Stimuli are
 * procedurally drawn scenes of the five categories in known amounts ({@link SceneContents}, {@link SceneDrawer});
 * every ROI voxel has a known multi-semantic tuning ({@link VoxelTuning}, in the spec's {@link TuningRegime});
 * single-trial betas are gain * (tuning . content - its mean over images) + noise with a known per-voxel noise sd, so
 * the noise-ceiling SNR is known (ncsnr = sd of the signal / sd of the noise); fLoc t-maps follow the tuning, and the
 * ROI files are the category clusters (DOMINANT) or the voxels above a threshold of the t-maps (CORTEX,
 * {@link FlocRois}). Deterministic for a seed.
 *
 * <p>NSD sessions hold 750 trials and each image is shown 3 times, so {@code images} must be a multiple of 250
 * (250 images fill one session); writing fewer sessions than that makes the subject ragged, like subjects 3, 4, 6, 8.
 */
public final class NsdSynth {
  public static final int TRIALS_PER_SESSION = 750;
  public static final int REPEATS = 3;
  /** Betas are stored as int16 percent signal change x 300. */
  public static final double BETA_SCALE = 300;
  /** fLoc t-map = T_SCALE x (tuning of the category - mean tuning of the others) + N(0, T_NOISE^2). */
  public static final double T_SCALE = 10;
  public static final double T_NOISE = 0.5;

  /**
   * Sizes of a synthetic subject and its {@link TuningRegime}. The constructors without a regime give
   * {@link TuningRegime#DEFAULT} (CORTEX); {@link #withRegime} picks one.
   */
  public record Spec(long seed, int subject, int images, int sessions, int roiVoxels, int[] grid, int imageSize,
      boolean niftiBetas, TuningRegime regime) {
    /** HDF5 betas (the format NSD's own loaders read fastest), the default regime. */
    public Spec(long seed, int subject, int images, int sessions, int roiVoxels, int[] grid, int imageSize) {
      this(seed, subject, images, sessions, roiVoxels, grid, imageSize, false);
    }

    /** The default regime. */
    public Spec(long seed, int subject, int images, int sessions, int roiVoxels, int[] grid, int imageSize,
        boolean niftiBetas) {
      this(seed, subject, images, sessions, roiVoxels, grid, imageSize, niftiBetas, TuningRegime.DEFAULT);
    }

    public Spec {
      java.util.Objects.requireNonNull(regime, "regime");
      if (images <= 0 || images % 250 != 0 || images > 10000) {
        throw new InvalidParameterException("images", "expected a multiple of 250 up to 10,000 (NSD sessions hold"
            + " 750 trials of images shown 3 times), got " + images);
      }
      int full = images * REPEATS / TRIALS_PER_SESSION;
      if (sessions < 1 || sessions > full) {
        throw new InvalidParameterException("sessions", "expected 1.." + full + " for " + images + " images, got "
            + sessions);
      }
      InvalidParameterException.require(imageSize >= 1, "imageSize", "expected a positive number of pixels, got "
          + imageSize);
      if (subject < 1 || subject > 8) {
        throw new InvalidParameterException("subject", "expected 1..8, got " + subject);
      }
      if (grid.length != 3 || roiVoxels < 5 || roiVoxels > grid[0] * grid[1] * grid[2] / 4) {
        throw new InvalidParameterException("roiVoxels", "expected 5.." + (grid[0] * grid[1] * grid[2] / 4)
            + " ROI voxels for the grid, got " + roiVoxels);
      }
    }

    /** Test-sized defaults: 250 images, one session, 200 ROI voxels on a 12 x 14 x 10 grid, 32-pixel images. */
    public static Spec small(long seed) {
      return new Spec(seed, 1, 250, 1, 200, new int[] {12, 14, 10}, 32);
    }

    /** The same subject with its betas as NIfTI ({@code betas_sessionNN.nii.gz}, X x Y x Z x 750 int16). */
    public Spec withNiftiBetas() {
      return new Spec(seed, subject, images, sessions, roiVoxels, grid, imageSize, true, regime);
    }

    /** The same sizes with the given tuning regime. */
    public Spec withRegime(TuningRegime r) {
      return new Spec(seed, subject, images, sessions, roiVoxels, grid, imageSize, niftiBetas, r);
    }

    /** The same sizes and regime for another subject. */
    public Spec withSubject(int n) {
      return new Spec(seed, n, images, sessions, roiVoxels, grid, imageSize, niftiBetas, regime);
    }
  }

  private NsdSynth() {}

  public static void write(Path root, Spec spec) {
    try {
      new Writer(root, spec, false, true).write();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the synthetic NSD subject under " + root, e);
    }
  }

  /**
   * Several subjects under one root, as NSD holds its eight: the stimuli, their contents and the design (the same
   * trial order and images for every subject) are drawn from the spec's seed and shared; each subject's ROIs, tuning,
   * noise, betas and fLoc maps are drawn from a stream of its own. Each subject's truth goes to {@code
   * truth/subjNN/} (the shared {@code content.npy} and {@code categories.txt} stay in {@code truth/}) and its food
   * mask to {@code masks/subjNN/food.nii.gz}. {@code spec.subject()} is not used.
   */
  public static void writeSubjects(Path root, Spec spec, List<Integer> subjects) {
    SharedRoot.write("NSD", root, subjects, (n, writeShared) -> new Writer(root, spec.withSubject(n), true,
        writeShared).write());
  }

  /** The generator's state for one subject. */
  private static final class Writer {
    final Path root;
    final Spec s;
    /** Draws shared by all subjects of a root: contents, trial order, image order. */
    final Random shared;
    /** Draws of this subject: ROIs, tuning, noise. One stream with {@link #shared} for a single subject. */
    final Random rnd;
    final boolean multi;
    /** Whether this subject writes the files all subjects of a root share (stimuli, design, content). */
    final boolean writeShared;
    final int nx;
    final int ny;
    final int nz;
    final int nvox;

    Writer(Path root, Spec s, boolean multi, boolean writeShared) {
      this.root = root;
      this.s = s;
      this.multi = multi;
      this.writeShared = writeShared;
      this.shared = new Random(s.seed());
      // A single subject draws everything from one stream, as it always has (same bytes for the same seed).
      this.rnd = multi ? new Random(s.seed() * 0x9E3779B97F4A7C15L + s.subject()) : shared;
      this.nx = s.grid()[0];
      this.ny = s.grid()[1];
      this.nz = s.grid()[2];
      this.nvox = nx * ny * nz;
    }

    void write() throws IOException {
      String subj = String.format("subj%02d", s.subject());
      Path func = root.resolve("nsddata/ppdata").resolve(subj).resolve("func1pt8mm");
      Path betasDir = root.resolve("nsddata_betas/ppdata").resolve(subj)
          .resolve("func1pt8mm/betas_fithrf_GLMdenoise_RR");
      Path design = root.resolve("nsddata/experiments/nsd");
      Path stimuli = root.resolve("nsddata_stimuli/stimuli/nsd");
      Path sharedTruth = root.resolve("truth");
      Path truth = multi ? sharedTruth.resolve(subj) : sharedTruth;
      for (Path d : List.of(func.resolve("roi"), betasDir, design, stimuli, truth)) {
        Files.createDirectories(d);
      }
      int categories = Category.values().length;
      double[][] content = SceneContents.draw(s.images(), categories, shared);

      // Brain: an ellipsoid in the grid; ROI voxels: five clusters around category centres (food included, as the
      // user-supplied mask).
      boolean[] brain = new boolean[nvox];
      for (int k = 0; k < nz; k++) {
        for (int j = 0; j < ny; j++) {
          for (int i = 0; i < nx; i++) {
            double dx = (i - (nx - 1) / 2.0) / (nx / 2.0);
            double dy = (j - (ny - 1) / 2.0) / (ny / 2.0);
            double dz = (k - (nz - 1) / 2.0) / (nz / 2.0);
            brain[i + nx * (j + ny * k)] = dx * dx + dy * dy + dz * dz <= 1;
          }
        }
      }
      int[] category = new int[nvox];
      java.util.Arrays.fill(category, -1);
      int[] roiVoxels = clusters(brain, category, categories);
      int[] roiCategory = new int[roiVoxels.length];
      for (int q = 0; q < roiVoxels.length; q++) {
        roiCategory[q] = category[roiVoxels[q]];
      }
      double[][] tuning = VoxelTuning.draw(s.regime(), roiCategory, categories, rnd);

      int n = s.images();
      int v = roiVoxels.length;
      PlantedSignal planted = PlantedSignal.draw(content, tuning, rnd);
      double[] signal = planted.signal();
      double[] ncsnr = planted.ncsnr();
      double[] noiseSd = planted.noiseSd();

      // Design, in the real file's sizes (masterordering 1 x 30000 of 10k-indices, subjectim 8 x 10000): the first
      // 3n trials show the n synthetic images (10k-indices 1..n) three times each in a seeded order; the remaining
      // trials, in sessions never written, show 10k-indices n+1..10000 three times each. 10k-index k <= n is the
      // image with nsdId perm[k - 1]; k > n maps to 73k id n + k, outside the synthetic stimuli.
      int trials = NsdDesign.TOTAL_TRIALS;
      int[] master = new int[trials];
      for (int t = 0; t < n * REPEATS; t++) {
        master[t] = t % n + 1;
      }
      shuffle(shared, master, 0, n * REPEATS);
      for (int t = n * REPEATS; t < trials; t++) {
        master[t] = n + 1 + (t - n * REPEATS) % (NsdDesign.IMAGES_PER_SUBJECT - n);
      }
      shuffle(shared, master, n * REPEATS, trials);
      int[] perm = permutation(n);
      int[][] subjectim = new int[NsdDesign.SUBJECTS][NsdDesign.IMAGES_PER_SUBJECT];
      for (int sj = 0; sj < NsdDesign.SUBJECTS; sj++) {
        for (int k = 1; k <= NsdDesign.IMAGES_PER_SUBJECT; k++) {
          subjectim[sj][k - 1] = k <= n ? perm[k - 1] + 1 : n + k;
        }
      }
      if (writeShared) {
        NsdDesignFiles.writeExpDesign(design.resolve("nsd_expdesign.mat"), master, subjectim, new int[] {1, 2, 3});
      }
      int[][][] showings = new int[8][n][];
      for (int sj = 0; sj < 8; sj++) {
        List<List<Integer>> shows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          shows.add(new ArrayList<>());
        }
        for (int t = 0; t < n * REPEATS; t++) {
          shows.get(perm[master[t] - 1]).add(t + 1);
        }
        for (int i = 0; i < n; i++) {
          showings[sj][i] = shows.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
      }
      int[] nsdIds = new int[n];
      int[] cocoIds = new int[n];
      for (int i = 0; i < n; i++) {
        nsdIds[i] = i;
        cocoIds[i] = 100000 + 7 * i;
      }
      if (writeShared) {
        NsdDesignFiles.writeStimInfo(design.resolve("nsd_stim_info_merged.csv"), nsdIds, cocoIds, showings);
      }

      // Stimuli: imgBrick row = nsdId. Shared by the subjects of a root: written with the first.
      int px = s.imageSize();
      Path brickFile = stimuli.resolve("nsd_stimuli.hdf5");
      if (writeShared) {
        byte[] brick = new byte[n * px * px * 3];
        for (int i = 0; i < n; i++) {
          System.arraycopy(SceneDrawer.draw(content[i], px, s.seed() * 1_000_003L + i), 0, brick, i * px * px * 3,
              px * px * 3);
        }
        NsdHdf5Writer.writeStimuli(brickFile, brick, n, px, px);
      }

      // Betas: session files of 750 trials, C-order (750, Z, Y, X) int16 x 300; non-ROI brain voxels carry noise.
      int[] voxelOf = new int[nvox];
      java.util.Arrays.fill(voxelOf, -1);
      for (int q = 0; q < v; q++) {
        voxelOf[roiVoxels[q]] = q;
      }
      for (int sess = 0; sess < s.sessions(); sess++) {
        short[] data = new short[TRIALS_PER_SESSION * nvox];
        for (int tr = 0; tr < TRIALS_PER_SESSION; tr++) {
          int t = sess * TRIALS_PER_SESSION + tr;
          int img = perm[master[t] - 1];
          for (int lin = 0; lin < nvox; lin++) {
            if (!brain[lin]) {
              continue;
            }
            int q = voxelOf[lin];
            double beta = q >= 0 ? signal[img + n * q] + noiseSd[q] * rnd.nextGaussian() : rnd.nextGaussian();
            // C order (t, k, j, i) == linear index t * nvox + (i + nx (j + ny k)).
            data[tr * nvox + lin] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE,
                Math.round(beta * BETA_SCALE)));
          }
        }
        if (s.niftiBetas()) {
          // NIfTI X x Y x Z x 750, column-major: the same linear order as HDF5's C-order (750, Z, Y, X).
          double[] values = new double[data.length];
          for (int i = 0; i < data.length; i++) {
            values[i] = data[i];
          }
          Nifti.write(betasDir.resolve(String.format("betas_session%02d.nii.gz", sess + 1)),
              new long[] {nx, ny, nz, TRIALS_PER_SESSION}, values, 4, null);
        } else {
          NsdHdf5Writer.writeBetas(betasDir.resolve(String.format("betas_session%02d.hdf5", sess + 1)), data,
              TRIALS_PER_SESSION, new long[] {nx, ny, nz});
        }
      }

      // Volumes: brain mask, ROI label files, ncsnr, fLoc t-maps (column-major X x Y x Z). The t-maps are drawn first
      // (the ROI files draw nothing, so the DOMINANT regime draws what it always drew, in the same order).
      long[] dims = {nx, ny, nz};
      String[][] floc = {{"faces", "adult", "child"}, {"bodies", "body", "limb"}, {"places", "house", "corridor"},
          {"word", "number", "characters"}};
      double[][][] tmaps = new double[floc.length][][];
      for (int c = 0; c < floc.length; c++) {
        tmaps[c] = new double[floc[c].length][];
        for (int m = 0; m < floc[c].length; m++) {
          double[] t = new double[nvox];
          for (int q = 0; q < v; q++) {
            double others = 0;
            for (int o = 0; o < categories; o++) {
              others += o == c ? 0 : tuning[q][o] / (categories - 1);
            }
            t[roiVoxels[q]] = T_SCALE * (tuning[q][c] - others) + T_NOISE * rnd.nextGaussian();
          }
          tmaps[c][m] = t;
        }
      }
      // CORTEX: each ROI holds the voxels whose category-level t (faces, bodies, places, characters; food's drawn
      // the same way, NSD having no food localizer) passes the threshold, and each voxel is in its best one.
      double[][] roiT = null;
      boolean[][] member = null;
      if (s.regime() == TuningRegime.CORTEX) {
        int[] domainMap = {0, 0, 0, 2}; // faces, bodies, places, characters within floc[c]
        roiT = new double[v][categories];
        for (int q = 0; q < v; q++) {
          for (int c = 0; c < floc.length; c++) {
            roiT[q][c] = (float) tmaps[c][domainMap[c]][roiVoxels[q]]; // the value the float32 file holds
          }
        }
        int food = Category.FOOD.ordinal();
        for (int q = 0; q < v; q++) {
          double others = 0;
          for (int o = 0; o < categories; o++) {
            others += o == food ? 0 : tuning[q][o] / (categories - 1);
          }
          roiT[q][food] = (float) (T_SCALE * (tuning[q][food] - others) + T_NOISE * rnd.nextGaussian());
        }
        member = FlocRois.members(roiT, T_SCALE);
      }
      double[] mask = new double[nvox];
      for (int lin = 0; lin < nvox; lin++) {
        mask[lin] = brain[lin] ? 1 : 0;
      }
      Nifti.write(func.resolve("brainmask.nii.gz"), dims, mask, 4, null);
      String[] roiFiles = {"floc-faces", "floc-bodies", "floc-places", "floc-words", "food"};
      for (int c = 0; c < categories; c++) {
        double[] labels = new double[nvox];
        for (int lin = 0; lin < nvox; lin++) {
          // -1 non-cortical, 0 cortical outside the ROI, k > 0 a label (codes 1 and 2 split each ROI).
          boolean in = member == null ? category[lin] == c : voxelOf[lin] >= 0 && member[voxelOf[lin]][c];
          labels[lin] = !brain[lin] ? -1 : in ? 1 + (lin % 2) : 0;
        }
        // NSD has no food ROI (Jain et al. 2023 is user-supplied): it goes to masks/, outside the NSD tree.
        Path roiFile = c == Category.FOOD.ordinal() ? root.resolve(multi ? "masks/" + subj + "/food.nii.gz"
            : "masks/food.nii.gz")
            : func.resolve("roi").resolve(roiFiles[c] + ".nii.gz");
        Files.createDirectories(roiFile.getParent());
        Nifti.write(roiFile, dims, labels, 4, null);
      }
      double[] ncsnrVol = new double[nvox];
      for (int q = 0; q < v; q++) {
        ncsnrVol[roiVoxels[q]] = ncsnr[q];
      }
      Nifti.write(betasDir.resolve("ncsnr.nii.gz"), dims, ncsnrVol, 16, null);
      for (int c = 0; c < floc.length; c++) {
        for (int m = 0; m < floc[c].length; m++) {
          Nifti.write(func.resolve("floc_" + floc[c][m] + "tval.nii.gz"), dims, tmaps[c][m], 16, null);
        }
      }

      // Planted truth.
      double[] contentCm = new double[n * categories];
      double[] tuningCm = new double[v * categories];
      for (int c = 0; c < categories; c++) {
        for (int i = 0; i < n; i++) {
          contentCm[i + n * c] = content[i][c];
        }
        for (int q = 0; q < v; q++) {
          tuningCm[q + v * c] = tuning[q][c];
        }
      }
      if (writeShared) {
        Npy.writeMatrix(sharedTruth.resolve("content.npy"), contentCm, n, categories, Npy.DType.FLOAT64);
      }
      Npy.writeMatrix(truth.resolve("tuning.npy"), tuningCm, v, categories, Npy.DType.FLOAT64);
      Npy.writeLongVector(truth.resolve("voxels.npy"), java.util.Arrays.stream(roiVoxels).asLongStream().toArray());
      Npy.writeVector(truth.resolve("ncsnr.npy"), ncsnr, Npy.DType.FLOAT64);
      Npy.writeVector(truth.resolve("noise_sd.npy"), noiseSd, Npy.DType.FLOAT64);
      if (writeShared) {
        Files.writeString(sharedTruth.resolve("categories.txt"),
            String.join("\n", java.util.Arrays.stream(Category.values()).map(Category::label).toList()) + "\n");
      }
      String readme = "Planted truth of this synthetic NSD subject (seed " + s.seed()
          + "): content.npy images x categories (row = nsdId), tuning.npy ROI voxels x categories, voxels.npy the"
          + " linear NIfTI index (i + X (j + Y k)) of each ROI voxel, ncsnr.npy and noise_sd.npy per ROI voxel"
          + " (betas in percent signal change), categories.txt the column order.\n";
      if (roiT != null) {
        double[] roiTCm = new double[v * categories];
        for (int c = 0; c < categories; c++) {
          for (int q = 0; q < v; q++) {
            roiTCm[q + v * c] = roiT[q][c];
          }
        }
        Npy.writeMatrix(truth.resolve("floc_t.npy"), roiTCm, v, categories, Npy.DType.FLOAT64);
        readme += "Tuning regime CORTEX (docs/datasets.md section 5): floc_t.npy ROI voxels x categories, the"
            + " category-level fLoc t the ROI files were cut from (faces, bodies, places, characters as in the"
            + " floc_<X>tval files; food drawn the same way): a voxel is in the ROI of each category with t > "
            + T_SCALE * FlocRois.CONTRAST_THRESHOLD + " and in that of its largest t.\n";
      }
      Files.writeString(truth.resolve("README.txt"), readme);
    }

    /** Five clusters of ROI voxels, one per category, grown around random centres inside the brain. */
    private int[] clusters(boolean[] brain, int[] category, int categories) {
      int per = s.roiVoxels() / categories;
      List<Integer> all = new ArrayList<>();
      for (int c = 0; c < categories; c++) {
        int centre;
        do {
          centre = rnd.nextInt(nvox);
        } while (!brain[centre] || category[centre] >= 0);
        int ci = centre % nx;
        int cj = centre / nx % ny;
        int ck = centre / (nx * ny);
        Integer[] order = new Integer[nvox];
        for (int lin = 0; lin < nvox; lin++) {
          order[lin] = lin;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(lin -> {
          int i = lin % nx;
          int j = lin / nx % ny;
          int k = lin / (nx * ny);
          return (double) (i - ci) * (i - ci) + (j - cj) * (j - cj) + (k - ck) * (k - ck) + 1e-6 * lin;
        }));
        int taken = 0;
        for (int lin : order) {
          if (taken == per) {
            break;
          }
          if (brain[lin] && category[lin] < 0) {
            category[lin] = c;
            all.add(lin);
            taken++;
          }
        }
      }
      return all.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Fisher-Yates over a[from, to). */
    private static void shuffle(Random r, int[] a, int from, int to) {
      for (int i = to - 1; i > from; i--) {
        int j = from + r.nextInt(i - from + 1);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
    }

    private int[] permutation(int n) {
      int[] p = new int[n];
      for (int i = 0; i < n; i++) {
        p[i] = i;
      }
      shuffle(shared, p, 0, n);
      return p;
    }
  }
}
