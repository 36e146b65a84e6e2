package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyRanges;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input, one case per row of {@link #cases()}: exit status 2, exactly one error line that names the offending
 * option or file (and never the hidden staging path), no stack trace, every file that existed before the run exactly
 * as it was (bytes and modification time), and nothing new anywhere in the case's directory: {@code --out} stays as
 * it was (absent stays absent) and no hidden {@code .clipmsm-*} staging is left behind.
 *
 * <p>To add a case: append a {@link Case} to {@link #cases()} with a unique kebab-case name, what the old build (before
 * the output staging rework) did, and a setup that writes the case's files into {@link Fixture#dir} and returns the
 * command line with the text its error line must contain. Then add its row to {@code docs/bad-inputs.md}:
 * {@link #everyCaseIsDocumented} fails until the doc names it.
 */
class BadInputTest {
  /** A small prepared NSD subject (map's inputs), made once; cases copy what they use into their own directory. */
  @TempDir
  static Path shared;
  static Path prepared;
  static Path brainmask;

  @TempDir
  Path dir;

  @BeforeAll
  static void subject() {
    Path root = shared.resolve("nsd");
    Cli s = Cli.run("synth", "nsd", "--out", root.toString(), "--seed", "3", "--images", "250", "--voxels", "30",
        "--grid", "8,8,6", "--image-size", "16");
    assertEquals(0, s.status, s.toString());
    prepared = shared.resolve("prepared");
    Cli p = Cli.run("prepare", "nsd", "--nsd-root", root.toString(), "--out", prepared.toString());
    assertEquals(0, p.status, p.toString());
    brainmask = root.resolve("nsddata/ppdata/subj01/func1pt8mm/brainmask.nii.gz");
  }

  /** One bad input: its name (also its row in docs/bad-inputs.md), what the old build did, and how to make it. */
  record Case(String name, String oldBuild, Setup setup) {
    @Override
    public String toString() {
      return name;
    }
  }

  interface Setup {
    Run in(Fixture f) throws IOException;
  }

  /** A command line and what its one error line must (and must not) contain; the first mention is the main one. */
  static final class Run {
    final String[] args;
    final List<String> mentions = new ArrayList<>();
    final List<String> notMentions = new ArrayList<>(List.of(".clipmsm-"));

    Run(String mention, String... args) {
      this.args = args;
      mentions.add(mention);
    }

    Run alsoMentions(String... texts) {
      mentions.addAll(List.of(texts));
      return this;
    }

    Run notMentioning(String... texts) {
      notMentions.addAll(List.of(texts));
      return this;
    }
  }

  /** A fresh directory per case holding features.npy (100 x 4) and responses.npy (100 x 5); --out is dir/out. */
  static final class Fixture {
    final Path dir;
    final Path x;
    final Path y;
    final Path out;
    final Random rnd = new Random(7);

    Fixture(Path dir) {
      this.dir = dir;
      Random r = new Random(2);
      double[] xv = new double[100 * 4];
      double[] yv = new double[100 * 5];
      for (int i = 0; i < xv.length; i++) {
        xv[i] = r.nextGaussian();
      }
      for (int i = 0; i < yv.length; i++) {
        yv[i] = r.nextGaussian();
      }
      x = dir.resolve("features.npy");
      y = dir.resolve("responses.npy");
      out = dir.resolve("out");
      Npy.writeMatrix(x, xv, 100, 4, Npy.DType.FLOAT64);
      Npy.writeMatrix(y, yv, 100, 5, Npy.DType.FLOAT32);
    }

    String[] fit(Path features, Path responses, String... extra) {
      return concat(new String[] {"fit", "--features", features.toString(), "--responses", responses.toString(),
          "--out", out.toString()}, extra);
    }

    String[] fit(String... extra) {
      return fit(x, y, extra);
    }

    Path vector(String name, double... v) {
      Path f = dir.resolve(name);
      Npy.writeVector(f, v, Npy.DType.FLOAT64);
      return f;
    }

    Path longs(String name, long... v) {
      Path f = dir.resolve(name);
      Npy.writeLongVector(f, v);
      return f;
    }

    /** A rows x cols float64 matrix of standard normal draws. */
    Path random(String name, int rows, int cols) {
      double[] v = new double[rows * cols];
      for (int i = 0; i < v.length; i++) {
        v[i] = rnd.nextGaussian();
      }
      return matrix(name, v, rows, cols);
    }

    Path matrix(String name, double[] columnMajor, int rows, int cols) {
      Path f = dir.resolve(name);
      Npy.writeMatrix(f, columnMajor, rows, cols, Npy.DType.FLOAT64);
      return f;
    }

    Path text(String name, String content) throws IOException {
      return Files.writeString(dir.resolve(name), content);
    }

    /** A directory holding one file, so that it is not empty. */
    Path directory(String name) throws IOException {
      Path d = Files.createDirectories(dir.resolve(name));
      Files.writeString(d.resolve("keep.txt"), "keep me\n");
      return d;
    }

    /** Copies a file of the shared prepared subject into this case's directory. */
    Path copy(Path from, String name) throws IOException {
      return Files.copy(from, dir.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
    }

    /** map's inputs: values.npy (the prepared ncsnr), voxels.csv, brainmask.nii.gz; returns map's arguments. */
    String[] map(Path out) throws IOException {
      return map(copy(prepared.resolve("voxels.csv"), "voxels.csv"), out);
    }

    String[] map(Path voxels, Path out) throws IOException {
      Path values = copy(prepared.resolve("ncsnr.npy"), "values.npy");
      Path like = copy(brainmask, "brainmask.nii.gz");
      return new String[] {"map", "--values", values.toString(), "--voxels", voxels.toString(), "--like",
          like.toString(), "--out", out.toString()};
    }

    /** A small synthetic NSD subject into {@code out}; {@code extra} options replace the small defaults. */
    String[] synth(Path out, String... extra) {
      List<String> args = new ArrayList<>(List.of("synth", "nsd", "--out", out.toString()));
      List<String> given = List.of(extra);
      String[] defaults = {"--images", "250", "--voxels", "20", "--grid", "8,8,6", "--image-size", "16"};
      for (int i = 0; i < defaults.length; i += 2) {
        if (!given.contains(defaults[i])) {
          args.add(defaults[i]);
          args.add(defaults[i + 1]);
        }
      }
      args.addAll(given);
      return args.toArray(String[]::new);
    }

    /**
     * A synthetic Broden set of 4 images (32 px, segmentations 16 px) in {@code dir/broden}, dense features (4, 2, 2,
     * 3) keyed by its index.csv paths, weights 3 x 2; {@code edit} changes the set before the command line is made.
     */
    String[] netdissect(BrodenEdit edit, String... extra) throws IOException {
      Path broden = dir.resolve("broden");
      Cli s = Cli.run("synth", "broden", "--out", broden.toString(), "--images", "4", "--image-size", "32",
          "--segmentation-size", "16");
      assertEquals(0, s.status, s.toString());
      Path dense = dir.resolve("dense.npy");
      long[] shape = {4, 2, 2, 3};
      NpyRanges.createFloat32(dense, shape);
      for (int i = 0; i < 4; i++) {
        float[] row = new float[12];
        for (int j = 0; j < row.length; j++) {
          row[j] = (float) rnd.nextGaussian();
        }
        NpyRanges.writeFloatRow(dense, shape, i, row);
      }
      Path keys = text("keys.csv", "row,key\n0,synth/00001.png\n1,synth/00002.png\n2,synth/00003.png\n"
          + "3,synth/00004.png\n");
      Path weights = random("weights.npy", 3, 2);
      edit.apply(broden);
      return concat(new String[] {"netdissect", "--broden", broden.toString(), "--dense", dense.toString(), "--keys",
          keys.toString(), "--weights", weights.toString(), "--out", out.toString()}, extra);
    }

    String[] noiseCeiling(Path ncsnr, Path out, String... extra) {
      return concat(new String[] {"noise-ceiling", "--ncsnr", ncsnr.toString(), "--trials", "3", "--out",
          out.toString()}, extra);
    }

    String[] similarities(Path images, Path texts, Path out) {
      return new String[] {"similarities", "--image-embeddings", images.toString(), "--text-embeddings",
          texts.toString(), "--out", out.toString()};
    }
  }

  interface BrodenEdit {
    void apply(Path broden) throws IOException;
  }

  static final BrodenEdit AS_WRITTEN = b -> {};

  static String[] concat(String[] a, String... b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  static Case c(String name, String oldBuild, Setup setup) {
    return new Case(name, oldBuild, setup);
  }

  static final String OLD_OK = "old: the same (exit 2, one line)";

  /** Every bad input, in the order of docs/bad-inputs.md. */
  static List<Case> cases() {
    return List.of(
        // ---- files the fit reads ----
        c("fit-rows-differ", OLD_OK, f -> {
          Path short90 = f.matrix("short.npy", new double[90 * 5], 90, 5);
          return new Run("short.npy", f.fit(f.x, short90));
        }),
        c("fit-nan-in-features", OLD_OK, f -> {
          double[] xv = Npy.readMatrix(f.x);
          xv[17 + 2 * 100] = Double.NaN;
          Npy.writeMatrix(f.x, xv, 100, 4, Npy.DType.FLOAT64);
          return new Run("features.npy: non-finite value NaN at row 17, column 2", f.fit());
        }),
        c("fit-responses-not-2d", OLD_OK, f -> {
          Path v = f.vector("vector.npy", new double[100]);
          return new Run("vector.npy: expected a 2-D array", f.fit(f.x, v));
        }),
        c("fit-responses-not-npy", OLD_OK, f -> {
          Path junk = f.text("junk.npy", "this is not numpy");
          return new Run("junk.npy", f.fit(f.x, junk));
        }),
        c("fit-features-missing", OLD_OK, f -> new Run("missing.npy", f.fit(f.dir.resolve("missing.npy"), f.y))),
        c("fit-responses-truncated", OLD_OK, f -> {
          byte[] bytes = Files.readAllBytes(f.y);
          Path cut = Files.write(f.dir.resolve("cut.npy"), Arrays.copyOf(bytes, bytes.length - 100));
          return new Run("cut.npy", f.fit(f.x, cut));
        }),
        c("fit-test-index-out-of-range", OLD_OK, f -> {
          Path idx = f.longs("idx.npy", 1, 2, 3, 100);
          return new Run("idx.npy: row index 100 is out of range", f.fit("--test-index", idx.toString()));
        }),
        c("fit-test-index-every-row", "old: exit 2 but blamed the split and --val-fraction/--folds, not the file", f -> {
          long[] all = new long[100];
          for (int i = 0; i < all.length; i++) {
            all[i] = i;
          }
          Path idx = f.longs("allidx.npy", all);
          return new Run("allidx.npy", f.fit("--test-index", idx.toString())).notMentioning("--val-fraction");
        }),
        // ---- options of fit ----
        c("fit-too-few-test-rows", OLD_OK, f -> new Run("test rows", f.fit("--test-fraction", "0.01"))),
        c("fit-alphas-not-numbers", OLD_OK, f -> new Run("--alphas", f.fit("--alphas", "1,oops"))),
        c("fit-unknown-runner", OLD_OK, f -> new Run("--runner", f.fit("--runner", "SparkRunner"))),
        c("fit-one-fold", OLD_OK, f -> new Run("--folds", f.fit("--folds", "1"))),
        c("fit-seed-negative", "old: exit 1, 'failed: IllegalArgumentException: seed must be between 0 and 2^32 - 1'",
            f -> new Run("--seed", f.fit("--seed", "-1"))),
        c("fit-negative-ncsnr", "old: exit 0, noise_ceiling.npy computed from ncsnr^2 (75 for ncsnr -1)", f -> {
          Path n = f.vector("ncsnr.npy", 0.5, -1, 0.3, 0.2, 0.1);
          return new Run("ncsnr.npy", f.fit("--ncsnr", n.toString(), "--trials", "3"));
        }),
        // ---- --parallelism on commands that run a pipeline ----
        c("fit-parallelism-0", "old: exit 0, ran as if 1", f -> new Run("--parallelism", f.fit("--parallelism", "0"))),
        c("fit-parallelism-minus-1", "old: exit 0, ran as if 1",
            f -> new Run("--parallelism", f.fit("--parallelism", "-1"))),
        c("fit-flink-parallelism-0", "old: exit 0, ran on Flink's default",
            f -> new Run("--parallelism", f.fit("--runner", "FlinkRunner", "--parallelism", "0"))),
        c("significance-parallelism-minus-1", "old: exit 0, ran as if 1", f -> {
          Path pred = f.random("pred.npy", 20, 5);
          Path actual = f.random("actual.npy", 20, 5);
          return new Run("--parallelism", "significance", "--pred", pred.toString(), "--actual", actual.toString(),
              "--bootstraps", "10", "--out", f.out.toString(), "--parallelism", "-1");
        }),
        c("noise-ceiling-parallelism-0", "old: exit 0, ran as if 1", f -> {
          Path n = f.vector("ncsnr.npy", 0.5, 1, 0.3);
          return new Run("--parallelism", f.noiseCeiling(n, f.out.resolve("nc.npy"), "--parallelism", "0"));
        }),
        c("dissect-parallelism-minus-1", "old: exit 0, ran as if 1", f -> {
          Path q = f.random("Q.npy", 30, 6);
          Path p = f.random("P.npy", 30, 3);
          return new Run("--parallelism", "dissect", "--activations", q.toString(), "--similarities", p.toString(),
              "--top-k", "5", "--out", f.out.toString(), "--parallelism", "-1");
        }),
        c("embed-text-parallelism-0", "old: exit 0, ran as if 1", f -> {
          Path labels = f.text("labels.txt", "faces\nbodies\n");
          return new Run("--parallelism", "embed-text", "--labels", labels.toString(), "--model", "tiny-clip",
              "--out", f.out.resolve("T.npy").toString(), "--parallelism", "0");
        }),
        // ---- significance ----
        c("significance-shapes-differ", OLD_OK, f -> {
          Path p = f.matrix("pred.npy", new double[100 * 4], 100, 4);
          return new Run("responses.npy", "significance", "--pred", p.toString(), "--actual", f.y.toString(),
              "--out", f.out.toString());
        }),
        c("significance-p-below-0", "old: exit 0, wrote q = -4 for p = -2", f -> {
          Path p = f.vector("pvalues.npy", -2, 0.5);
          return new Run("pvalues.npy", "significance", "--p-values", p.toString(), "--out", f.out.toString());
        }),
        c("significance-p-above-1", "old: exit 0, wrote q (p = 5 adjusted like any other)", f -> {
          Path p = f.vector("pvalues.npy", 0.1, 5, 0.2);
          return new Run("pvalues.npy", "significance", "--p-values", p.toString(), "--out", f.out.toString());
        }),
        c("significance-p-values-and-pred-actual", "old: exit 0, silently dropped --pred/--actual", f -> {
          Path p = f.vector("pvalues.npy", 0.1, 0.5, 0.2);
          Path pred = f.random("pred.npy", 20, 3);
          Path actual = f.random("actual.npy", 20, 3);
          return new Run("--p-values", "significance", "--p-values", p.toString(), "--pred", pred.toString(),
              "--actual", actual.toString(), "--out", f.out.toString());
        }),
        // ---- noise-ceiling ----
        c("noise-ceiling-no-trials", OLD_OK, f -> {
          Path n = f.vector("ncsnr.npy", 0.5, 1);
          return new Run("--trials", "noise-ceiling", "--ncsnr", n.toString(), "--out",
              f.out.resolve("nc.npy").toString());
        }),
        c("noise-ceiling-trial-counts-of-2", OLD_OK, f -> {
          Path n = f.vector("ncsnr.npy", 0.5, 1);
          return new Run("--trial-counts", "noise-ceiling", "--ncsnr", n.toString(), "--trial-counts", "3,2",
              "--out", f.out.resolve("nc.npy").toString());
        }),
        c("noise-ceiling-negative-ncsnr", "old: exit 0, NC from ncsnr^2 (75 for ncsnr -1)", f -> {
          Path n = f.vector("ncsnr.npy", 0.5, -1, 0.3);
          return new Run("ncsnr.npy", f.noiseCeiling(n, f.dir.resolve("nc.npy")));
        }),
        // ---- similarities ----
        c("similarities-nan-in-image-embeddings", "old: exit 0, a row of NaN in P", f -> {
          double[] e = Npy.readMatrix(f.random("E.npy", 10, 8));
          e[3 + 2 * 10] = Double.NaN;
          f.matrix("E.npy", e, 10, 8);
          Path t = f.random("T.npy", 5, 8);
          return new Run("E.npy", f.similarities(f.dir.resolve("E.npy"), t, f.dir.resolve("P.npy")))
              .alsoMentions("NaN");
        }),
        c("similarities-text-width-differs",
            "old: exit 2 but named 'text embeddings', not the file", f -> {
              Path e = f.random("E.npy", 10, 8);
              Path t = f.random("T7.npy", 5, 7);
              return new Run("T7.npy", f.similarities(e, t, f.dir.resolve("P.npy")));
            }),
        // ---- map ----
        c("map-voxel-outside-grid", "old: exit 2 but named 'voxels', not the file and line", f -> {
          List<String> lines = new ArrayList<>(Files.readAllLines(prepared.resolve("voxels.csv")));
          String[] row = lines.get(3).split(",", -1);
          row[1] = Integer.toString(8 * 8 * 6 + 5); // line 4 of the file, after the header
          lines.set(3, String.join(",", row));
          Path bad = f.text("badvox.csv", String.join("\n", lines) + "\n");
          return new Run("badvox.csv", f.map(bad, f.dir.resolve("r.nii.gz"))).alsoMentions("line 4")
              .notMentioning("error: voxels:");
        }),
        // ---- --out that is one of the command's own inputs ----
        c("noise-ceiling-out-is-its-ncsnr", "old: exit 0, overwrote the ncsnr file with the result", f -> {
          Path n = f.vector("n.npy", 0.5, 1, 0.3);
          return new Run("--out", f.noiseCeiling(n, n));
        }),
        c("similarities-out-is-its-image-embeddings", "old: exit 0, overwrote E.npy with P", f -> {
          Path e = f.random("E.npy", 10, 8);
          Path t = f.random("T.npy", 5, 8);
          return new Run("--out", f.similarities(e, t, e));
        }),
        c("embed-text-out-is-its-labels", "old: exit 0, overwrote labels.txt with the embeddings", f -> {
          Path labels = f.text("labels.txt", "faces\nbodies\n");
          return new Run("--out", "embed-text", "--labels", labels.toString(), "--model", "tiny-clip", "--out",
              labels.toString());
        }),
        c("fit-out-holds-its-features", "old: exit 0, wrote the results beside features.npy in that directory", f -> {
          Path in = Files.createDirectories(f.dir.resolve("inputs"));
          Path features = Files.copy(f.x, in.resolve("features.npy"), StandardCopyOption.COPY_ATTRIBUTES);
          return new Run("--out", concat(new String[] {"fit", "--features", features.toString(), "--responses",
              f.y.toString(), "--out", in.toString()}));
        }),
        // ---- --out that cannot be the result ----
        c("noise-ceiling-out-is-a-directory", "old: exit 1, FileSystemException naming the hidden staging path",
            f -> new Run("--out", f.noiseCeiling(f.vector("ncsnr.npy", 0.5, 1), f.directory("nc.npy")))),
        c("similarities-out-is-a-directory", "old: exit 1, 'FileSystemException: P.npy: Is a directory'",
            f -> new Run("--out", f.similarities(f.random("E.npy", 10, 8), f.random("T.npy", 5, 8),
                f.directory("P.npy")))),
        c("map-out-is-a-directory", "old: exit 1, FileSystemException naming the hidden .r.nii.gz.partial",
            f -> new Run("--out", f.map(f.directory("r.nii.gz")))),
        c("synth-out-is-a-file", "old: exit 1, 'FileSystemException: ...: Not a directory'", f -> {
          Path file = f.text("subject", "a file\n");
          return new Run("--out", f.synth(file));
        }),
        c("fit-out-is-a-file", OLD_OK, f -> {
          Path file = f.text("result", "a file\n");
          return new Run("--out", concat(new String[] {"fit", "--features", f.x.toString(), "--responses",
              f.y.toString(), "--out", file.toString()}));
        }),
        c("noise-ceiling-out-under-a-file", "old: exit 2, one line naming --out (already right)", f -> {
          Path file = f.text("plain.npy", "a file\n");
          return new Run("--out", f.noiseCeiling(f.vector("ncsnr.npy", 0.5, 1), file.resolve("x.npy")));
        }),
        c("synth-out-under-a-file", "old: exit 1, 'FileSystemException: ...: Not a directory'", f -> {
          Path file = f.text("plain.npy", "a file\n");
          return new Run("--out", f.synth(file.resolve("x")));
        }),
        c("similarities-out-under-a-file", "old: exit 1, 'FileSystemException: plain.npy/x.npy: Not a directory'",
            f -> {
              Path file = f.text("plain.npy", "a file\n");
              return new Run("--out", f.similarities(f.random("E.npy", 10, 8), f.random("T.npy", 5, 8),
                  file.resolve("x.npy")));
            }),
        c("map-out-under-a-file", "old: exit 1, FileSystemException naming the hidden .x.nii.gz.partial.gz", f -> {
          Path file = f.text("plain.npy", "a file\n");
          return new Run("--out", f.map(file.resolve("x.nii.gz")));
        }),
        // ---- synth ----
        c("synth-image-size-0", "old: exit 1 ('Width (0) and height (0) cannot be <= 0') and a partial tree in --out",
            f -> new Run("--image-size", f.synth(f.out, "--image-size", "0"))),
        // ---- found by review of the staging rework ----
        c("fit-out-new-parents-then-bad-input", "old: exit 2, and the new parents a/b of --out were left behind",
            f -> {
              double[] xv = new double[100 * 4];
              xv[17 + 2 * 100] = Double.NaN;
              Path nan = f.matrix("nan.npy", xv, 100, 4);
              return new Run("nan.npy", "fit", "--features", nan.toString(), "--responses", f.y.toString(), "--out",
                  f.dir.resolve("a/b/out").toString());
            }),
        c("dissect-set-named-like-a-summary", "old: exit 1 after the whole run, naming the hidden staging path",
            f -> {
              Path sets = f.text("sets.csv", "set,voxel\nprobe_images.csv,0\nffa,1\n");
              return new Run("sets.csv: line 2", "dissect", "--activations", f.random("Q.npy", 40, 3).toString(),
                  "--similarities", f.random("P.npy", 40, 2).toString(), "--top-k", "5", "--voxel-sets",
                  sets.toString(), "--out", f.out.toString());
            }),
        c("demo-voxels-0", "old: exit 2 but named roiVoxels, the code's parameter, not --voxels",
            f -> new Run("--voxels", "demo", "--out", f.out.toString(), "--voxels", "0")),
        // ---- netdissect ----
        c("netdissect-index-names-a-missing-file", "new command", f -> new Run("00002_object.png", f.netdissect(
            b -> Files.delete(b.resolve("images/synth/00002_object.png"))))),
        c("netdissect-segmentation-of-the-wrong-size", "new command", f -> new Run("00003_object.png", f.netdissect(
            b -> Files.copy(b.resolve("images/synth/00003.png"), b.resolve("images/synth/00003_object.png"),
                StandardCopyOption.REPLACE_EXISTING))).alsoMentions("16 x 16")),
        c("netdissect-index-column-not-in-category-csv", "new command", f -> new Run("index.csv", f.netdissect(b -> {
          List<String> lines = Files.readAllLines(b.resolve("index.csv"));
          List<String> edited = new ArrayList<>();
          for (String l : lines) {
            edited.add(l + (edited.isEmpty() ? ",material" : ","));
          }
          Files.write(b.resolve("index.csv"), edited);
        })).alsoMentions("material")),
        c("netdissect-empty-probe-set", "new command", f -> new Run("index.csv", f.netdissect(
            b -> Files.writeString(b.resolve("index.csv"), Files.readAllLines(b.resolve("index.csv")).get(0)
                + "\n")))),
        c("netdissect-dense-width-differs-from-weights", "new command", f -> {
          String[] args = f.netdissect(AS_WRITTEN);
          Path wide = f.random("wide.npy", 5, 2);
          args[Arrays.asList(args).indexOf("--weights") + 1] = wide.toString();
          return new Run("wide.npy: 5 rows (features), but dense.npy has 3", args);
        }),
        c("netdissect-keys-miss-a-probe-image", "new command", f -> {
          String[] args = f.netdissect(AS_WRITTEN);
          f.text("keys.csv", "row,key\n0,synth/00001.png\n1,synth/00002.png\n2,synth/00003.png\n3,other.png\n");
          return new Run("keys.csv: no row for the probe image synth/00004.png", args);
        }),
        c("netdissect-unknown-category", "new command",
            f -> new Run("--categories", f.netdissect(AS_WRITTEN, "--categories", "object,material"))),
        // ---- the studies ----
        c("nsd-subject-outside-nsd", "new command", f -> {
          Path labels = f.text("labels.txt", "faces\nbodies\n");
          return new Run("--subjects: NSD has subjects 1..8, got 9", "nsd", "--nsd-root", f.dir.toString(),
              "--subjects", "1,9", "--labels", labels.toString(), "--model", "tiny-clip", "--out", f.out.toString());
        }),
        c("nsd-labels-missing", "new command", f -> new Run("nope.txt", "nsd", "--nsd-root", f.dir.toString(),
            "--subjects", "1", "--labels", f.dir.resolve("nope.txt").toString(), "--model", "tiny-clip", "--out",
            f.out.toString())),
        c("nsd-a-subjects-mask-missing", "new command", f -> {
          Path root = f.dir.resolve("nsd");
          assertEquals(0, Cli.run(f.synth(root, "--subjects", "1,2")).status);
          Files.delete(root.resolve("masks/subj02/food.nii.gz"));
          Path labels = f.text("labels.txt", "faces\nbodies\n");
          return new Run("food.nii.gz", "nsd", "--nsd-root", root.toString(), "--subjects", "1,2", "--labels",
              labels.toString(), "--model", "tiny-clip", "--rois", "floc-faces," + root.resolve("masks/{subject}"
              + "/food.nii.gz"), "--out", f.out.toString()).alsoMentions("subj02");
        }),
        c("nod-fewer-images-than-top-k", "new command", f -> {
          Path root = f.dir.resolve("nod");
          assertEquals(0, Cli.run("synth", "nod", "--out", root.toString(), "--image-size", "16").status);
          Path labels = f.text("labels.txt", "faces\nbodies\n");
          return new Run("fewer than the 100 top images", "nod", "--nod-root", root.toString(), "--subjects", "1",
              "--labels", labels.toString(), "--model", "tiny-clip", "--out", f.out.toString())
              .alsoMentions("70 images");
        }),
        c("bench-unknown-beam-option", "old: exit 0, the misspelt option ignored",
            f -> new Run("missing a property named 'voxel-per-block'", "bench", "dissect", "--images", "200",
                "--voxels", "50", "--labels", "5", "--voxel-per-block=4")));
  }

  /**
   * {@code -Dclipmsm.e2e.jar=/path/to/clipmsm.jar} runs every case with that jar in a subprocess instead of this
   * build in-process (how the "old build" column of docs/bad-inputs.md was checked).
   */
  static final String OTHER_BUILD = "clipmsm.e2e.jar";

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejected(Case c) throws IOException {
    Run run = c.setup().in(new Fixture(dir));
    Map<String, Entry> before = snapshot(dir);
    String context = c.name() + " (" + c.oldBuild() + "): " + String.join(" ", run.args);
    Cli result;
    try {
      String other = System.getProperty(OTHER_BUILD);
      result = other == null ? Cli.assertRejected(run.mentions.get(0), run.args)
          : Cli.assertRejected(Cli.runJar(Path.of(other), run.args), run.mentions.get(0));
    } catch (AssertionError e) {
      throw new AssertionError(context + "\n" + e.getMessage(), e);
    }
    String error = result.errorLines().strip();
    for (String m : run.mentions) {
      assertTrue(error.contains(m), context + "\nerror should mention '" + m + "': " + error);
    }
    for (String m : run.notMentions) {
      assertFalse(result.err.contains(m), context + "\nerror should not mention '" + m + "': " + result.err);
    }
    assertUnchanged(before, snapshot(dir), context);
  }

  @Test
  void everyCaseIsDocumented() throws IOException {
    Path doc = Stream.of(Path.of("../docs/bad-inputs.md"), Path.of("docs/bad-inputs.md")).filter(Files::exists)
        .findFirst().orElseThrow(() -> new AssertionError("docs/bad-inputs.md not found from "
            + Path.of("").toAbsolutePath()));
    String text = Files.readString(doc);
    Set<String> names = new HashSet<>();
    for (Case c : cases()) {
      assertTrue(names.add(c.name()), "case names are unique: " + c.name());
      assertTrue(text.contains("`" + c.name() + "`"), "docs/bad-inputs.md should have a row for `" + c.name() + "`");
    }
  }

  /** A file's bytes and modification time, or a directory. */
  record Entry(boolean directory, byte[] bytes, FileTime modified) {}

  /** Every entry under {@code root}, by relative path. */
  static Map<String, Entry> snapshot(Path root) throws IOException {
    Map<String, Entry> all = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        if (p.equals(root)) {
          continue;
        }
        String name = root.relativize(p).toString();
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          all.put(name, new Entry(true, null, null));
        } else {
          all.put(name, new Entry(false, Files.readAllBytes(p),
              Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)));
        }
      }
    }
    return all;
  }

  /**
   * Every file as it was (bytes, modification time), every directory still there, and nothing new: no output, no
   * created parent, no hidden staging.
   */
  static void assertUnchanged(Map<String, Entry> before, Map<String, Entry> after, String context) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Entry> e : before.entrySet()) {
      Entry now = after.get(e.getKey());
      Entry was = e.getValue();
      if (now == null) {
        problems.add(e.getKey() + ": deleted");
      } else if (was.directory() != now.directory()) {
        problems.add(e.getKey() + ": was a " + (was.directory() ? "directory" : "file") + ", now is not");
      } else if (!was.directory()) {
        if (!Arrays.equals(was.bytes(), now.bytes())) {
          problems.add(e.getKey() + ": content changed");
        }
        if (!was.modified().equals(now.modified())) {
          problems.add(e.getKey() + ": modification time changed (" + was.modified() + " -> " + now.modified()
              + ")");
        }
      }
    }
    for (String name : after.keySet()) {
      if (!before.containsKey(name)) {
        boolean staged = Path.of(name).getFileName().toString().startsWith(".clipmsm-")
            || name.contains("/.clipmsm-");
        problems.add(name + (staged ? ": hidden staging left behind" : ": created by a rejected run"));
      }
    }
    if (!problems.isEmpty()) {
      fail(context + "\nfiles:\n  " + String.join("\n  ", problems));
    }
  }
}
