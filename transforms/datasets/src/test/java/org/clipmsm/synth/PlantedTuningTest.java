package org.clipmsm.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.clipmsm.dissect.Dissection;
import org.clipmsm.dissect.ImageLabelSimilarity;
import org.clipmsm.dissect.LabelPrior;
import org.clipmsm.dissect.LabelScorer;
import org.clipmsm.dissect.SemanticMaps;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.ridge.AlphaGrid;
import org.clipmsm.ridge.RidgeBlockResult;
import org.clipmsm.ridge.RidgeDecomposition;
import org.clipmsm.ridge.RidgeSolver;
import org.clipmsm.ridge.SplitSpec;
import org.clipmsm.synth.SceneContents;
import org.clipmsm.synth.VoxelTuning;
import org.junit.jupiter.api.Test;

/**
 * The paper's Fig. 6 claim on a synthetic subject with planted tuning: fit the ridge encoding model from planted
 * image embeddings to the synthetic responses, dissect it with SoftWPMI, and each label's CLIP-MSM score (softmax)
 * correlates with the planted tuning across voxels better than CLIP-Dissect's one-hot label does.
 *
 * <p>Planted embeddings stand in for CLIP: image embedding = the image's category amounts (the synthetic generator's
 * SceneContents) mapped through fixed random orthonormal category axes in a 32-d space, plus a shared direction and
 * noise; a label's text embedding = its category axis plus the same shared direction.
 */
class PlantedTuningTest {
  static final int IMAGES = 800;
  static final int CATEGORIES = 5;
  static final int DIM = 32;
  static final int VOXELS = 250;
  static final double SHARED = 15;

  @Test
  void multiSemanticScoresTrackPlantedTuningBetterThanOneHotLabels() {
    Random rnd = new Random(2024);
    double[][] content = SceneContents.draw(IMAGES, CATEGORIES, rnd);
    int[] roi = new int[VOXELS];
    for (int v = 0; v < VOXELS; v++) {
      roi[v] = v % CATEGORIES;
    }
    double[][] tuning = VoxelTuning.draw(roi, CATEGORIES, rnd);
    // Category axes and one shared direction (row CATEGORIES), all orthonormal. The shared part puts every
    // image-label cosine in a narrow band, as CLIP's are (about 0.2 +- 0.05: here about 0.99 +- 0.005), so P' is
    // nearly flat and S differs between labels by a few nats, not tens.
    double[][] basis = orthonormalRows(CATEGORIES + 1, DIM, rnd);
    double[][] axes = java.util.Arrays.copyOf(basis, CATEGORIES);
    double[] shared = basis[CATEGORIES];

    Matrix embeddings = Matrix.zeros(IMAGES, DIM);
    for (int i = 0; i < IMAGES; i++) {
      for (int e = 0; e < DIM; e++) {
        double v = 0.1 * rnd.nextGaussian() + SHARED * shared[e];
        for (int c = 0; c < CATEGORIES; c++) {
          v += content[i][c] * axes[c][e];
        }
        embeddings.set(i, e, v);
      }
    }
    double[][] labels = new double[CATEGORIES][DIM];
    for (int c = 0; c < CATEGORIES; c++) {
      for (int e = 0; e < DIM; e++) {
        labels[c][e] = axes[c][e] + SHARED * shared[e];
      }
    }
    Matrix text = Matrix.fromRows(labels);
    Matrix responses = Matrix.zeros(IMAGES, VOXELS);
    for (int i = 0; i < IMAGES; i++) {
      for (int v = 0; v < VOXELS; v++) {
        double y = 0.3 * rnd.nextGaussian();
        for (int c = 0; c < CATEGORIES; c++) {
          y += tuning[v][c] * content[i][c];
        }
        responses.set(i, v, y);
      }
    }

    // The encoding model, then the dissection of its weights: Q = I W, P = cos(I, T).
    RidgeBlockResult fit = RidgeSolver.solve(RidgeDecomposition.compute(embeddings,
        SplitSpec.defaults().toSplit(IMAGES), AlphaGrid.code(DIM)), 0, responses);
    Matrix q = embeddings.times(fit.weights());
    Matrix p = ImageLabelSimilarity.compute(embeddings, text);
    Dissection spec = Dissection.softWpmi();
    double[] x = LabelScorer.prepare(p, spec).score(q, 0);
    double[] s = LabelPrior.subtract(x, VOXELS, CATEGORIES, LabelPrior.of(x, VOXELS, CATEGORIES), spec.lambda());
    double[] msm = SemanticMaps.softmax(s, VOXELS, CATEGORIES, 1.0);
    int[] argmax = SemanticMaps.argmax(s, VOXELS, CATEGORIES);

    double meanMsm = 0;
    double meanOneHot = 0;
    int better = 0;
    StringBuilder report = new StringBuilder();
    for (int c = 0; c < CATEGORIES; c++) {
      double[] score = new double[VOXELS];
      double[] oneHot = new double[VOXELS];
      double[] planted = new double[VOXELS];
      for (int v = 0; v < VOXELS; v++) {
        score[v] = msm[v * CATEGORIES + c];
        oneHot[v] = argmax[v] == c ? 1 : 0;
        planted[v] = tuning[v][c];
      }
      double rMsm = pearson(score, planted);
      double rOneHot = pearson(oneHot, planted);
      report.append(String.format("label %d: r(msm) %.3f, r(one-hot) %.3f; ", c, rMsm, rOneHot));
      better += rMsm > rOneHot ? 1 : 0;
      meanMsm += rMsm / CATEGORIES;
      meanOneHot += rOneHot / CATEGORIES;
    }
    System.out.println("planted tuning: " + report);
    assertTrue(meanMsm > meanOneHot, report.toString());
    assertTrue(better == CATEGORIES, "every label: " + report);
    assertTrue(meanMsm > 0.5, "the maps recover the planted tuning: " + report);
  }

  static double[][] orthonormalRows(int rows, int cols, Random rnd) {
    double[][] a = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        a[r][c] = rnd.nextGaussian();
      }
      for (int prev = 0; prev < r; prev++) {
        double dot = 0;
        for (int c = 0; c < cols; c++) {
          dot += a[r][c] * a[prev][c];
        }
        for (int c = 0; c < cols; c++) {
          a[r][c] -= dot * a[prev][c];
        }
      }
      double norm = 0;
      for (int c = 0; c < cols; c++) {
        norm += a[r][c] * a[r][c];
      }
      for (int c = 0; c < cols; c++) {
        a[r][c] /= Math.sqrt(norm);
      }
    }
    return a;
  }

  static double pearson(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i] / a.length;
      mb += b[i] / b.length;
    }
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }
}
