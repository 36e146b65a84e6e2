package org.clipmsm.cli;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.clipmsm.InvalidInputException;
import org.clipmsm.dissect.GroundTruthCorrelation;
import org.clipmsm.dissect.SemanticMaps;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.synth.Category;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"The whole method on a synthetic NSD subject with a planted answer, one command after another:",
        "synth nsd -> prepare nsd -> embed (the shipped tiny CLIP) -> embed-text -> similarities -> fit",
        "(--significance --ncsnr) -> dissect -> map, then compares each label's CLIP-MSM map and CLIP-Dissect",
        "one-hot map with the planted tuning across voxels (the paper's Fig. 6), into DIR/comparison.csv."})
final class DemoCommand implements Callable<Integer> {
  /** Temperatures besides the method's 1 at which comparison.csv also scores the CLIP-MSM maps. */
  private static final double[] TEMPERATURES = {3, 10, 30};

  @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR", description = "Output directory"
      + " (default ${DEFAULT-VALUE}).")
  String out;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic subject (default"
      + " ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--images", defaultValue = "1000", description = "Images, a multiple of 250 (default"
      + " ${DEFAULT-VALUE}; each shown 3 times).")
  int images;

  @Option(names = "--voxels", defaultValue = "500", description = "ROI voxels (default ${DEFAULT-VALUE}).")
  int voxels;

  @Option(names = "--image-size", defaultValue = "96", description = "Stimulus side in pixels (default"
      + " ${DEFAULT-VALUE}).")
  int imageSize;

  @Option(names = "--model", defaultValue = "tiny-clip", paramLabel = "DIR|tiny-clip", description = "CLIP model"
      + " (default: the shipped ${DEFAULT-VALUE}).")
  String model;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() throws Exception {
    if (images % 250 != 0) {
      throw new InvalidInputException("--images: expected a multiple of 250 (NSD sessions of 750 trials), got "
          + images);
    }
    Path dir = Path.of(out);
    Files.createDirectories(dir);
    Path nsd = dir.resolve("nsd");
    Path prepared = dir.resolve("prepared");
    Path labels = dir.resolve("labels.txt");
    Files.writeString(labels, String.join("\n", java.util.Arrays.stream(Category.values()).map(Category::label)
        .toList()) + "\n");
    String sessions = String.valueOf(images * 3 / 750);
    String rois = "floc-faces,floc-bodies,floc-places,floc-words," + nsd.resolve("masks/food.nii.gz");
    List<String[]> steps = List.of(
        new String[] {"synth", "nsd", "--out", nsd.toString(), "--seed", String.valueOf(seed), "--images",
            String.valueOf(images), "--sessions", sessions, "--voxels", String.valueOf(voxels), "--grid", "24,28,20",
            "--image-size", String.valueOf(imageSize)},
        withRunner("prepare", "nsd", "--nsd-root", nsd.toString(), "--rois", rois, "--out", prepared.toString()),
        withRunner("embed", "--images", nsd.toString(), "--model", model, "--out", dir.resolve("embed").toString()),
        withRunner("embed", "--features", dir.resolve("embed/embeddings.npy").toString(), "--keys",
            dir.resolve("embed/keys.csv").toString(), "--key-column", "key", "--order",
            prepared.resolve("image_keys.csv").toString(), "--order-column", "nsdId", "--out",
            dir.resolve("features").toString()),
        withRunner("embed-text", "--labels", labels.toString(), "--model", model, "--out",
            dir.resolve("text.npy").toString()),
        new String[] {"similarities", "--image-embeddings", dir.resolve("features/embeddings.npy").toString(),
            "--text-embeddings", dir.resolve("text.npy").toString(), "--out", dir.resolve("P.npy").toString()},
        withRunner("fit", "--features", dir.resolve("features/embeddings.npy").toString(), "--responses",
            prepared.resolve("responses.npy").toString(), "--out", dir.resolve("fit").toString(), "--significance",
            "--ncsnr", prepared.resolve("ncsnr.npy").toString(), "--trials", "3"),
        withRunner("dissect", "--embeddings", dir.resolve("features/embeddings.npy").toString(), "--weights",
            dir.resolve("fit/weights.npy").toString(), "--similarities", dir.resolve("P.npy").toString(), "--labels",
            labels.toString(), "--out", dir.resolve("dissect").toString()),
        new String[] {"map", "--values", dir.resolve("dissect/msm.npy").toString(), "--voxels",
            prepared.resolve("voxels.csv").toString(), "--like",
            nsd.resolve("nsddata/ppdata/subj01/func1pt8mm/brainmask.nii.gz").toString(), "--out",
            dir.resolve("msm.nii.gz").toString(), "--names",
            String.join(",", java.util.Arrays.stream(Category.values()).map(Category::label).toList())});
    for (String[] step : steps) {
      System.out.println("demo: clipmsm " + String.join(" ", step));
      int rc = ClipMsm.run(step);
      if (rc != 0) {
        return rc;
      }
    }
    compare(dir, nsd, prepared);
    return 0;
  }

  /**
   * Per label, r across the ROI voxels between the CLIP-MSM map (and the CLIP-Dissect one-hot) and the planted
   * tuning; the voxels of prepare's voxels.csv are matched to the truth's by their linear index.
   */
  private static void compare(Path dir, Path nsd, Path prepared) throws Exception {
    Matrix msm = matrix(dir.resolve("dissect/msm.npy"));
    long[] argmaxLong = Npy.readLongVector(dir.resolve("dissect/argmax.npy"));
    int[] argmax = java.util.Arrays.stream(argmaxLong).mapToInt(x -> (int) x).toArray();
    Matrix tuning = matrix(nsd.resolve("truth/tuning.npy"));
    long[] truthVoxels = Npy.readLongVector(nsd.resolve("truth/voxels.npy"));
    Map<Long, Integer> truthRow = new HashMap<>();
    for (int i = 0; i < truthVoxels.length; i++) {
      truthRow.put(truthVoxels[i], i);
    }
    List<String> rows = Files.readAllLines(prepared.resolve("voxels.csv"));
    int voxelColumn = java.util.Arrays.asList(rows.get(0).split(",")).indexOf("voxel");
    int v = rows.size() - 1;
    int labels = tuning.cols();
    Matrix truth = Matrix.zeros(v, labels);
    for (int j = 0; j < v; j++) {
      long lin = Long.parseLong(rows.get(j + 1).split(",")[voxelColumn]);
      Integer t = truthRow.get(lin);
      if (t == null) {
        throw new IllegalStateException("voxel " + lin + " of voxels.csv has no planted tuning");
      }
      for (int d = 0; d < labels; d++) {
        truth.set(j, d, tuning.get(t, d));
      }
    }
    GroundTruthCorrelation r = GroundTruthCorrelation.of(msm, argmax, truth);
    // The same maps at other temperatures (dissect --temperature T), from the saved scores: does grading help?
    Matrix scores = matrix(dir.resolve("dissect/scores.npy"));
    GroundTruthCorrelation[] graded = new GroundTruthCorrelation[TEMPERATURES.length];
    for (int t = 0; t < TEMPERATURES.length; t++) {
      graded[t] = GroundTruthCorrelation.of(softmaxRows(scores, TEMPERATURES[t]), argmax, truth);
    }
    List<String> lines = new ArrayList<>();
    StringBuilder header = new StringBuilder("label,r_msm,r_onehot");
    for (double t : TEMPERATURES) {
      header.append(",r_msm_T").append((int) t);
    }
    lines.add(header.toString());
    System.out.println("demo: r across " + v + " voxels with the planted tuning (paper Fig. 6):");
    System.out.println("  label      CLIP-MSM  CLIP-Dissect one-hot");
    double meanMsm = 0;
    double meanOne = 0;
    for (int d = 0; d < labels; d++) {
      String name = Category.values()[d].label();
      StringBuilder line = new StringBuilder(name + "," + r.msm()[d] + "," + r.oneHot()[d]);
      for (GroundTruthCorrelation g : graded) {
        line.append(',').append(g.msm()[d]);
      }
      lines.add(line.toString());
      System.out.printf("  %-9s  %8.3f  %8.3f%n", name, r.msm()[d], r.oneHot()[d]);
      meanMsm += r.msm()[d] / labels;
      meanOne += r.oneHot()[d] / labels;
    }
    System.out.printf("  mean       %8.3f  %8.3f%n", meanMsm, meanOne);
    StringBuilder gradedLine = new StringBuilder("demo: mean r of the CLIP-MSM maps at --temperature");
    for (int t = 0; t < TEMPERATURES.length; t++) {
      double mean = java.util.Arrays.stream(graded[t].msm()).average().orElse(Double.NaN);
      gradedLine.append(String.format(" %d: %.3f%s", (int) TEMPERATURES[t], mean,
          t + 1 < TEMPERATURES.length ? "," : ""));
    }
    System.out.println(gradedLine + " (in comparison.csv)");
    double[] top = new double[v];
    for (int j = 0; j < v; j++) {
      for (int d = 0; d < labels; d++) {
        top[j] = Math.max(top[j], msm.get(j, d));
      }
    }
    java.util.Arrays.sort(top);
    System.out.printf("demo: median top-label weight of the CLIP-MSM maps %.3f (1 = the softmax is one-hot and"
        + " CLIP-MSM ties CLIP-Dissect; dissect --temperature grades it)%n", top[v / 2]);
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("comparison.csv"))) {
      for (String l : lines) {
        w.write(l + "\n");
      }
    }
    double[] r2 = Npy.readVector(dir.resolve("fit/r2.npy"));
    double[] nc = Npy.readVector(dir.resolve("fit/noise_ceiling.npy"));
    boolean[] sig = Npy.readBoolVector(dir.resolve("fit/significant.npy"));
    int nsig = 0;
    double meanR2 = 0;
    double meanNc = 0;
    for (int j = 0; j < r2.length; j++) {
      nsig += sig[j] ? 1 : 0;
      meanR2 += 100 * r2[j] / r2.length;
      meanNc += nc[j] / r2.length;
    }
    System.out.printf("demo: encoding model from tiny-CLIP embeddings: %d of %d voxels significant (BH q 0.05);"
        + " mean 100 R^2 %.1f, mean noise ceiling %.1f; maps in %s%n", nsig, r2.length, meanR2, meanNc,
        dir.resolve("msm.nii.gz"));
  }

  /** Softmax over labels of each voxel's scores / T, as dissect --temperature T writes msm.npy. */
  private static Matrix softmaxRows(Matrix scores, double temperature) {
    int v = scores.rows();
    int labels = scores.cols();
    double[] rowMajor = new double[v * labels];
    for (int j = 0; j < v; j++) {
      for (int d = 0; d < labels; d++) {
        rowMajor[j * labels + d] = scores.get(j, d);
      }
    }
    double[] p = SemanticMaps.softmax(rowMajor, v, labels, temperature);
    Matrix out = Matrix.zeros(v, labels);
    for (int j = 0; j < v; j++) {
      for (int d = 0; d < labels; d++) {
        out.set(j, d, p[j * labels + d]);
      }
    }
    return out;
  }

  private static Matrix matrix(Path f) {
    NpyHeader h = Npy.readHeader(f);
    return new Matrix(h.rows(), h.cols(), Npy.readMatrix(f));
  }

  private String[] withRunner(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(runner.beamArgs);
    a.add("--runner=" + runner.runner);
    if (runner.parallelism > 0) {
      a.add("--parallelism=" + runner.parallelism);
    }
    a.add("--flinkMaster=" + runner.flinkMaster);
    return a.toArray(String[]::new);
  }
}
