package org.clipmsm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.clipmsm.io.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fit}, {@code dissect} and a two-subject {@code nsd} study submitted to a standalone Flink session cluster
 * (separate JVMs: a JobManager and TaskManagers, as {@code tools/flink-cluster start} runs them) and compared byte for
 * byte with DirectRunner's outputs. Runs when {@code -Dclipmsm.flinkMaster=localhost:PORT} names the cluster (as
 * {@code .ci/run} does); the cluster's TaskManagers have the project's classpath, so only the runnable jar is staged.
 */
@EnabledIfSystemProperty(named = StandaloneClusterTest.MASTER, matches = ".+")
class StandaloneClusterTest {
  static final String MASTER = "clipmsm.flinkMaster";

  @TempDir
  static Path tmp;

  static String[] cluster() {
    Path jar = Path.of("..", "runners", "target", "clipmsm.jar").toAbsolutePath().normalize();
    return new String[] {"--runner", "FlinkRunner", "--flinkMaster", System.getProperty(MASTER), "--parallelism", "2",
        "--filesToStage=" + jar};
  }

  @BeforeAll
  static void data() throws IOException {
    Random rnd = new Random(4);
    int n = 300;
    int f = 12;
    int v = 90;
    double[] x = new double[n * f];
    double[] y = new double[n * v];
    for (int i = 0; i < x.length; i++) {
      x[i] = rnd.nextGaussian();
    }
    for (int j = 0; j < v; j++) {
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
          s += x[i + n * ((j + k) % f)];
        }
        y[i + n * j] = s + 2 * rnd.nextGaussian();
      }
    }
    Npy.writeMatrix(tmp.resolve("X.npy"), x, n, f, Npy.DType.FLOAT64);
    Npy.writeMatrix(tmp.resolve("Y.npy"), y, n, v, Npy.DType.FLOAT32);
    double[] p = new double[n * 5];
    for (int i = 0; i < p.length; i++) {
      p[i] = 0.22 + 0.03 * rnd.nextGaussian();
    }
    Npy.writeMatrix(tmp.resolve("P.npy"), p, n, 5, Npy.DType.FLOAT64);
    Files.writeString(tmp.resolve("labels.txt"), "faces\nbodies\nplaces\nwords\nfood\n");
    StudyEndToEndTest.ok("synth", "nsd", "--out", tmp.resolve("nsd").toString(), "--subjects", "1,2", "--images", "250",
        "--voxels", "40", "--grid", "12,14,10", "--image-size", "32");
  }

  /** Runs the command on DirectRunner and on the cluster into two directories and compares them file by file. */
  static void same(String name, String... command) throws IOException {
    Path direct = tmp.resolve("direct").resolve(name);
    Path cluster = tmp.resolve("cluster").resolve(name);
    StudyEndToEndTest.ok(StudyEndToEndTest.concat(command, "--out", direct.toString()));
    Cli c = StudyEndToEndTest.ok(StudyEndToEndTest.concat(StudyEndToEndTest.concat(command, "--out",
        cluster.toString()), cluster()));
    assertEquals(0, c.status, c.toString());
    StudyEndToEndTest.assertSameTree(direct, cluster);
  }

  @Test
  void fitOnTheClusterIsDirectRunnersFit() throws IOException {
    same("fit", "fit", "--features", tmp.resolve("X.npy").toString(), "--responses", tmp.resolve("Y.npy").toString(),
        "--significance", "--voxels-per-block", "16");
  }

  @Test
  void aFitWhoseWorkerFailsOnceOnTheClusterRecoversWithDirectRunnersOutputs() throws IOException {
    String[] fit = {"fit", "--features", tmp.resolve("X.npy").toString(), "--responses",
        tmp.resolve("Y.npy").toString(), "--significance", "--voxels-per-block", "16"};
    Path marker = Files.createDirectory(tmp.resolve("marker"));
    Path direct = tmp.resolve("direct/fit-fault");
    Path cluster = tmp.resolve("cluster/fit-fault");
    StudyEndToEndTest.ok(StudyEndToEndTest.concat(fit, "--out", direct.toString()));
    StudyEndToEndTest.ok(StudyEndToEndTest.concat(StudyEndToEndTest.concat(StudyEndToEndTest.concat(fit, "--out",
        cluster.toString()), cluster()), "--failOnce=fit", "--failOnceMarker=" + marker));
    assertTrue(Files.exists(marker.resolve("failed-once-fit")), "a worker failed (tools/flink-cluster restarts it)");
    StudyEndToEndTest.assertSameTree(direct, cluster);
  }

  @Test
  void dissectOnTheClusterIsDirectRunnersDissect() throws IOException {
    // Q = the fit's inputs as activations: any images x voxels matrix will do.
    same("dissect", "dissect", "--activations", tmp.resolve("Y.npy").toString(), "--similarities",
        tmp.resolve("P.npy").toString(), "--labels", tmp.resolve("labels.txt").toString(), "--top-k", "50",
        "--voxels-per-block", "16");
  }

  @Test
  void aTwoSubjectStudyOnTheClusterIsDirectRunnersStudy() throws IOException {
    Path root = tmp.resolve("nsd");
    same("nsd", "nsd", "--nsd-root", root.toString(), "--subjects", "1,2", "--labels",
        tmp.resolve("labels.txt").toString(), "--model", "tiny-clip", "--rois",
        "floc-faces,floc-bodies,floc-places,floc-words," + root.resolve("masks/{subject}/food.nii.gz"));
  }
}
