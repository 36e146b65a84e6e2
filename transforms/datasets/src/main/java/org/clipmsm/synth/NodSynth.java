package org.clipmsm.synth;

import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.io.Cifti;
import org.clipmsm.io.CiftiXml;
import org.clipmsm.io.Npy;

/**
 * A synthetic NOD subject laid out like OpenNeuro ds004496 (docs/datasets.md §2): raw BIDS {@code events.tsv} per
 * run, the
 * stimuli as JPEG files, ciftify surface derivatives (single-trial betas as CIFTI-2 dscalar, one map per trial, with
 * {@code _label.txt}), the fLoc ROIs as dlabel files and the fLoc betas (maps Character, Body, Face, Place, Object),
 * with the planted truth in {@code truth/}. ImageNet images are shown once; each COCO run shows every COCO image once
 * (maps in sorted file-name order, catch trials in the events only). Each run adds its own per-grayordinate offset and
 * gain, which the paper's per-run z-scoring removes. Stimuli, tuning (in the spec's {@link TuningRegime}) and noise
 * follow {@link NsdSynth}: betas = offset + gain * (tuning . content - mean + noise), noise sd = signal sd / ncsnr; the
 * fLoc dlabels are the category clusters (DOMINANT) or the grayordinates above a threshold of the fLoc betas (CORTEX,
 * {@link FlocRois}). Deterministic for a seed.
 */
public final class NodSynth {
  /** The four fLoc ROIs of NOD, in {@link Category} order; their dlabel tables split each cluster in two areas. */
  static final String[][] ROI_AREAS = {{"OFA", "FFA"}, {"EBA", "FBA"}, {"OPA", "PPA"}, {"OWFA", "VWFA"}};
  /** The fLoc betas' maps and the category each follows (-1: objects, no planted category). */
  static final String[] FLOC_MAPS = {"Character", "Body", "Face", "Place", "Object"};
  static final int[] FLOC_CATEGORY = {Category.WORDS.ordinal(), Category.BODIES.ordinal(), Category.FACES.ordinal(),
      Category.PLACES.ordinal(), -1};
  /** A synset per dominant category, for ImageNet-style file names. */
  static final String[] SYNSETS = {"n09618957", "n10287213", "n08659446", "n06596364", "n07697537"};
  /** fLoc beta = FLOC_SCALE x (tuning of the category - mean tuning of the others) + N(0, FLOC_NOISE^2). */
  public static final double FLOC_SCALE = 3;
  public static final double FLOC_NOISE = 0.3;

  /**
   * Sizes of a synthetic NOD subject (NOD sub-01..09: 4 sessions x 10 runs x 100 images, 120 COCO images) and its
   * {@link TuningRegime}. The constructor without a regime gives {@link TuningRegime#DEFAULT} (CORTEX);
   * {@link #withRegime} picks one.
   */
  public record Spec(long seed, int subject, int sessions, int runsPerSession, int imagesPerRun, int cocoImages,
      int cocoRuns, int roiGrayordinates, int grayordinates, int imageSize, TuningRegime regime) {
    /** The default regime. */
    public Spec(long seed, int subject, int sessions, int runsPerSession, int imagesPerRun, int cocoImages,
        int cocoRuns, int roiGrayordinates, int grayordinates, int imageSize) {
      this(seed, subject, sessions, runsPerSession, imagesPerRun, cocoImages, cocoRuns, roiGrayordinates,
          grayordinates, imageSize, TuningRegime.DEFAULT);
    }

    public Spec {
      java.util.Objects.requireNonNull(regime, "regime");
      InvalidParameterException.require(imageSize >= 1, "imageSize", "expected a positive number of pixels, got "
          + imageSize);
      if (subject < 1 || subject > 30) {
        throw new InvalidParameterException("subject", "expected 1..30 (NOD), got " + subject);
      }
      if (sessions < 1 || sessions > 9 || runsPerSession < 1 || imagesPerRun < 2) {
        throw new InvalidParameterException("sessions/runsPerSession/imagesPerRun", "expected 1..9 sessions, >= 1 run"
            + " per session and >= 2 images per run, got " + sessions + ", " + runsPerSession + ", " + imagesPerRun);
      }
      if (cocoRuns < 0 || (cocoRuns > 0 && cocoImages < 2)) {
        throw new InvalidParameterException("cocoImages", "expected >= 2 COCO images when there are COCO runs, got "
            + cocoImages);
      }
      if (roiGrayordinates < 8 || grayordinates < 4 * roiGrayordinates) {
        throw new InvalidParameterException("roiGrayordinates", "expected 8.." + grayordinates / 4
            + " ROI grayordinates for "
            + grayordinates + " grayordinates, got " + roiGrayordinates);
      }
    }

    /** Test-sized defaults: one session of 2 runs x 25 images, 20 COCO images x 2 runs, 80 of 600 grayordinates. */
    public static Spec small(long seed) {
      return new Spec(seed, 1, 1, 2, 25, 20, 2, 80, 600, 32);
    }

    /** The same sizes with the given tuning regime. */
    public Spec withRegime(TuningRegime r) {
      return new Spec(seed, subject, sessions, runsPerSession, imagesPerRun, cocoImages, cocoRuns, roiGrayordinates,
          grayordinates, imageSize, r);
    }

    /** The same sizes and regime for another subject. */
    public Spec withSubject(int n) {
      return new Spec(seed, n, sessions, runsPerSession, imagesPerRun, cocoImages, cocoRuns, roiGrayordinates,
          grayordinates, imageSize, regime);
    }

    int imagenetImages() {
      return sessions * runsPerSession * imagesPerRun;
    }

    int images() {
      return imagenetImages() + (cocoRuns > 0 ? cocoImages : 0);
    }
  }

  private NodSynth() {}

  public static void write(Path root, Spec spec) {
    try {
      new Writer(root, spec, false, true).write();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the synthetic NOD subject under " + root, e);
    }
  }

  /**
   * Several subjects under one root: the surface space, the stimuli and their contents are drawn from the spec's seed
   * and shared (every subject sees the same images); each subject's ROIs, tuning, noise and run orders are drawn from
   * a stream of its own. Each subject's truth goes to {@code truth/sub-NN/} (the shared {@code content.npy}, {@code
   * stimuli.txt} and {@code categories.txt} stay in {@code truth/}). {@code spec.subject()} is not used.
   */
  public static void writeSubjects(Path root, Spec spec, List<Integer> subjects) {
    SharedRoot.write("NOD", root, subjects, (n, writeShared) -> new Writer(root, spec.withSubject(n), true,
        writeShared).write());
  }

  /** The generator's state for one subject. */
  private static final class Writer {
    final Path root;
    final Spec s;
    /** Draws shared by all subjects of a root: the surface space and the stimuli's contents. */
    final Random shared;
    /** Draws of this subject; one stream with {@link #shared} for a single subject (its bytes as they always were). */
    final Random rnd;
    final boolean multi;
    /** Whether this subject writes the files all subjects of a root share (stimuli, their contents). */
    final boolean writeShared;
    final String sub;
    final Path results;

    Writer(Path root, Spec s, boolean multi, boolean writeShared) {
      this.root = root;
      this.s = s;
      this.multi = multi;
      this.writeShared = writeShared;
      this.shared = new Random(s.seed());
      this.rnd = multi ? new Random(s.seed() * 0x9E3779B97F4A7C15L + s.subject()) : shared;
      this.sub = String.format("sub-%02d", s.subject());
      this.results = root.resolve("derivatives/ciftify").resolve(sub).resolve("results");
    }

    void write() throws IOException {
      int categories = Category.values().length;
      int n = s.images();
      int gray = s.grayordinates();
      CiftiXml space = SurfaceSpace.cortex(gray, shared);
      double[][] content = SceneContents.draw(n, categories, shared);
      String[] names = stimulusNames(content);

      // fLoc ROIs: one contiguous cluster of grayordinates per category, each in its own quarter of the cortex.
      int per = s.roiGrayordinates() / 4;
      int[] roiOf = new int[gray];
      Arrays.fill(roiOf, -1);
      int quarter = gray / 4;
      for (int c = 0; c < 4; c++) {
        int start = c * quarter + rnd.nextInt(quarter - per + 1);
        Arrays.fill(roiOf, start, start + per, c);
      }
      int[] roiGray = java.util.stream.IntStream.range(0, gray).filter(g -> roiOf[g] >= 0).toArray();
      int v = roiGray.length;
      int[] roiCategory = Arrays.stream(roiGray).map(g -> roiOf[g]).toArray();
      double[][] tuning = VoxelTuning.draw(s.regime(), roiCategory, categories, rnd);

      PlantedSignal planted = PlantedSignal.draw(content, tuning, rnd);
      double[] signal = planted.signal();
      double[] ncsnr = planted.ncsnr();
      double[] noiseSd = planted.noiseSd();
      int[] qOf = new int[gray];
      Arrays.fill(qOf, -1);
      for (int q = 0; q < v; q++) {
        qOf[roiGray[q]] = q;
      }

      for (int img = 0; img < n && writeShared; img++) {
        writeImage(names[img], SceneDrawer.draw(content[img], s.imageSize(), s.seed() * 1_000_003L + img));
      }

      // ImageNet: image i of the subject is shown once, in session order, run by run.
      int img = 0;
      for (int sess = 1; sess <= s.sessions(); sess++) {
        for (int run = 1; run <= s.runsPerSession(); run++) {
          int[] shown = new int[s.imagesPerRun()];
          for (int t = 0; t < shown.length; t++) {
            shown[t] = img++;
          }
          String session = String.format("imagenet%02d", sess);
          writeRun(session, "imagenet", run, shown, shown, names, content, signal, noiseSd, qOf, space);
        }
      }
      // COCO: every run shows all COCO images in its own order; the betas' maps are in sorted file-name order.
      if (s.cocoRuns() > 0) {
        int[] sorted = java.util.stream.IntStream.range(s.imagenetImages(), n).boxed()
            .sorted(java.util.Comparator.comparing(i -> names[i])).mapToInt(Integer::intValue).toArray();
        for (int run = 1; run <= s.cocoRuns(); run++) {
          int[] order = sorted.clone();
          shuffle(order);
          writeRun("coco", "coco", run, order, sorted, names, content, signal, noiseSd, qOf, space);
        }
      }
      writeFloc(space, roiOf, tuning, qOf);
      writeTruth(names, content, tuning, roiGray, ncsnr, noiseSd);
    }

    /** ImageNet-style names by dominant category; COCO-style 12-digit ids for the COCO images. */
    private String[] stimulusNames(double[][] content) {
      String[] out = new String[content.length];
      for (int i = 0; i < content.length; i++) {
        if (i < s.imagenetImages()) {
          int dominant = 0;
          for (int c = 1; c < content[i].length; c++) {
            dominant = content[i][c] > content[i][dominant] ? c : dominant;
          }
          out[i] = SYNSETS[dominant] + "_" + (1000 + i) + ".JPEG";
        } else {
          out[i] = String.format("%012d.jpg", 100000 + 7 * (i - s.imagenetImages()));
        }
      }
      return out;
    }

    private String stimulusPath(String name) {
      return name.endsWith(".JPEG") ? "imagenet/" + name.substring(0, 9) + "/" + name : "coco/" + name;
    }

    private void writeImage(String name, byte[] rgb) throws IOException {
      int px = s.imageSize();
      BufferedImage bi = new BufferedImage(px, px, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < px; y++) {
        for (int x = 0; x < px; x++) {
          int o = 3 * (y * px + x);
          bi.setRGB(x, y, (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | rgb[o + 2] & 0xff);
        }
      }
      Path file = root.resolve("stimuli").resolve(stimulusPath(name));
      Files.createDirectories(file.getParent());
      ImageIO.write(bi, "jpg", file.toFile());
    }

    /**
     * One run: events in presentation order {@code shown}, betas with one map per image of {@code maps} (for
     * ImageNet the same order; for COCO sorted by name). Each trial's beta draws fresh noise.
     */
    private void writeRun(String session, String task, int run, int[] shown, int[] maps, String[] names,
        double[][] content, double[] signal, double[] noiseSd, int[] qOf, CiftiXml space) throws IOException {
      int gray = s.grayordinates();
      int n = s.images();
      double[] offset = new double[gray];
      double[] gain = new double[gray];
      for (int g = 0; g < gray; g++) {
        offset[g] = 2 * rnd.nextGaussian();
        gain[g] = 0.5 + rnd.nextDouble();
      }
      int[] mapOf = new int[n];
      for (int m = 0; m < maps.length; m++) {
        mapOf[maps[m]] = m;
      }
      double[] betas = new double[maps.length * gray];
      for (int img : shown) {
        int m = mapOf[img];
        for (int g = 0; g < gray; g++) {
          int q = qOf[g];
          double x = q >= 0 ? signal[img + n * q] + noiseSd[q] * rnd.nextGaussian() : rnd.nextGaussian();
          betas[m + maps.length * g] = offset[g] + gain[g] * x;
        }
      }
      String base = String.format("ses-%s_task-%s_run-%d", session, task, run);
      Path dir = results.resolve(base);
      Files.createDirectories(dir);
      List<String> mapNames = Arrays.stream(maps).mapToObj(i -> names[i]).toList();
      Cifti.writeScalars(dir.resolve(base + "_beta.dscalar.nii"), mapNames, betas, space);
      // ImageNet labels name the stimulus path, COCO labels the bare file: the reader takes either.
      List<String> labels = task.equals("imagenet")
          ? Arrays.stream(maps).mapToObj(i -> stimulusPath(names[i])).toList() : mapNames;
      Files.writeString(dir.resolve(base + "_label.txt"), String.join("\n", labels) + "\n");
      writeEvents(session, task, run, shown, names, content);
    }

    /** BIDS events: ImageNet names the image in stim_file; COCO in condition, with two catch trials (2000, n/a). */
    private void writeEvents(String session, String task, int run, int[] shown, String[] names, double[][] content)
        throws IOException {
      Path file = root.resolve(sub).resolve("ses-" + session).resolve("func")
          .resolve(String.format("%s_ses-%s_task-%s_run-%02d_events.tsv", sub, session, task, run));
      Files.createDirectories(file.getParent());
      boolean coco = task.equals("coco");
      List<Integer> trials = new ArrayList<>();
      for (int img : shown) {
        trials.add(img);
      }
      if (coco) {
        for (int c = 0; c < 2; c++) {
          trials.add(rnd.nextInt(trials.size() + 1), -1);
        }
      }
      try (BufferedWriter w = Files.newBufferedWriter(file)) {
        w.write("onset\tduration\ttrial_type\tresponse\tresponse_time\t" + (coco ? "condition" : "stim_file") + "\n");
        double onset = 12;
        for (int img : trials) {
          String type;
          String stim;
          if (img < 0) {
            type = "2000";
            stim = "n/a";
          } else {
            int dominant = 0;
            for (int c = 1; c < content[img].length; c++) {
              dominant = content[img][c] > content[img][dominant] ? c : dominant;
            }
            type = coco ? String.valueOf(img - s.imagenetImages() + 1) : String.valueOf(dominant + 1);
            stim = stimulusPath(names[img]);
          }
          w.write(String.format("%.1f\t%.1f\t%s\tn/a\tn/a\t%s%n", onset, coco ? 0.5 : 1.0, type, stim));
          onset += coco ? 3 : 4;
        }
      }
    }

    /**
     * fLoc ROIs (dlabel; key 0 outside) and fLoc betas following the tuning's contrast of each category. The betas
     * are drawn first (the labels draw nothing, so the DOMINANT regime draws what it always drew); in the CORTEX
     * regime the ROIs are cut from them ({@link FlocRois}).
     */
    private void writeFloc(CiftiXml space, int[] roiOf, double[][] tuning, int[] qOf) {
      int gray = s.grayordinates();
      Path floc = results.resolve("ses-floc_task-floc");
      try {
        Files.createDirectories(floc);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      int categories = Category.values().length;
      double[] betas = new double[FLOC_MAPS.length * gray];
      for (int g = 0; g < gray; g++) {
        int q = qOf[g];
        for (int m = 0; m < FLOC_MAPS.length; m++) {
          int c = FLOC_CATEGORY[m];
          double contrast = 0;
          if (q >= 0 && c >= 0) {
            double others = 0;
            for (int o = 0; o < categories; o++) {
              others += o == c ? 0 : tuning[q][o] / (categories - 1);
            }
            contrast = FLOC_SCALE * (tuning[q][c] - others);
          }
          betas[m + FLOC_MAPS.length * g] = contrast + FLOC_NOISE * rnd.nextGaussian();
        }
      }
      // CORTEX: ROI c holds the grayordinates whose fLoc beta for c (as the float32 file holds it) passes the
      // threshold, and each planted grayordinate is in its best ROI; the four ROIs' categories are Category 0..3.
      int[] mapOf = new int[4];
      for (int m = 0; m < FLOC_MAPS.length; m++) {
        if (FLOC_CATEGORY[m] >= 0) {
          mapOf[FLOC_CATEGORY[m]] = m;
        }
      }
      boolean[][] member = null;
      if (s.regime() == TuningRegime.CORTEX) {
        double[][] maps = new double[tuning.length][4];
        for (int g = 0; g < gray; g++) {
          if (qOf[g] >= 0) {
            for (int c = 0; c < 4; c++) {
              maps[qOf[g]][c] = (float) betas[mapOf[c] + FLOC_MAPS.length * g];
            }
          }
        }
        member = FlocRois.members(maps, FLOC_SCALE);
      }
      String[] files = {"faces", "bodies", "places", "words"};
      for (int c = 0; c < 4; c++) {
        double[] keys = new double[gray];
        int seen = 0;
        int size = (int) Arrays.stream(roiOf).filter(r -> r >= 0).count() / 4;
        if (member != null) {
          size = 0;
          for (boolean[] in : member) {
            size += in[c] ? 1 : 0;
          }
        }
        for (int g = 0; g < gray; g++) {
          boolean in = member == null ? roiOf[g] == c : qOf[g] >= 0 && member[qOf[g]][c];
          if (in) {
            keys[g] = seen++ < size / 2 ? 1 : 2;
          }
        }
        List<CiftiXml.Label> table = List.of(new CiftiXml.Label(0, "???", 1, 1, 1, 0),
            new CiftiXml.Label(1, ROI_AREAS[c][0], 1, 0, 0, 1), new CiftiXml.Label(2, ROI_AREAS[c][1], 0, 0, 1, 1));
        Cifti.writeLabels(floc.resolve("floc-" + files[c] + ".dlabel.nii"), files[c], table, keys, space);
      }
      Cifti.writeScalars(floc.resolve("ses-floc_task-floc_beta.dscalar.nii"), List.of(FLOC_MAPS), betas, space);
    }

    private void writeTruth(String[] names, double[][] content, double[][] tuning, int[] roiGray, double[] ncsnr,
        double[] noiseSd) throws IOException {
      Path sharedTruth = root.resolve("truth");
      Path truth = multi ? sharedTruth.resolve(sub) : sharedTruth;
      Files.createDirectories(truth);
      int n = names.length;
      int v = roiGray.length;
      int categories = Category.values().length;
      // Rows in the order prepare nod writes them: ImageNet by run, then COCO sorted by name.
      Integer[] rows = new Integer[n];
      for (int i = 0; i < n; i++) {
        rows[i] = i;
      }
      Arrays.sort(rows, s.imagenetImages(), n, java.util.Comparator.comparing(i -> names[i]));
      double[] contentCm = new double[n * categories];
      double[] tuningCm = new double[v * categories];
      for (int c = 0; c < categories; c++) {
        for (int r = 0; r < n; r++) {
          contentCm[r + n * c] = content[rows[r]][c];
        }
        for (int q = 0; q < v; q++) {
          tuningCm[q + v * c] = tuning[q][c];
        }
      }
      if (writeShared) {
        Npy.writeMatrix(sharedTruth.resolve("content.npy"), contentCm, n, categories, Npy.DType.FLOAT64);
        Files.writeString(sharedTruth.resolve("stimuli.txt"),
            String.join("\n", Arrays.stream(rows).map(i -> names[i]).toList()) + "\n");
      }
      Npy.writeMatrix(truth.resolve("tuning.npy"), tuningCm, v, categories, Npy.DType.FLOAT64);
      Npy.writeLongVector(truth.resolve("grayordinates.npy"), Arrays.stream(roiGray).asLongStream().toArray());
      Npy.writeVector(truth.resolve("ncsnr.npy"), ncsnr, Npy.DType.FLOAT64);
      Npy.writeVector(truth.resolve("noise_sd.npy"), noiseSd, Npy.DType.FLOAT64);
      Files.writeString(truth.resolve("categories.txt"),
          String.join("\n", Arrays.stream(Category.values()).map(Category::label).toList()) + "\n");
      Files.writeString(truth.resolve("README.txt"), "Planted truth of this synthetic NOD subject (seed " + s.seed()
          + "): content.npy images x categories (rows named in stimuli.txt: ImageNet in run order, then COCO sorted"
          + " by name, the row order of prepare nod), tuning.npy ROI grayordinates x categories, grayordinates.npy"
          + " the CIFTI grayordinate index of each ROI grayordinate (the union of the four fLoc ROIs), ncsnr.npy and"
          + " noise_sd.npy per ROI grayordinate (before each run's offset and gain), categories.txt the column"
          + " order.\n" + (s.regime() == TuningRegime.CORTEX ? "Tuning regime CORTEX (docs/datasets.md section 5):"
          + " the fLoc dlabels hold the grayordinates whose fLoc beta (Face, Body, Place, Character) exceeds "
          + FLOC_SCALE * FlocRois.CONTRAST_THRESHOLD + ", and each ROI grayordinate is in the ROI of its largest"
          + " one.\n" : ""));
    }

    private void shuffle(int[] a) {
      for (int i = a.length - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
    }
  }
}
