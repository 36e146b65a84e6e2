package org.clipmsm.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.clipmsm.beam.Progress;
import org.clipmsm.pipelines.EmbedPipeline;
import org.clipmsm.pipelines.EmbedSettings;
import java.util.Random;
import org.clipmsm.embed.EmbeddingModel;
import org.clipmsm.embed.ImagePreprocessing;
import org.clipmsm.stimuli.ImageReader;
import org.clipmsm.stimuli.ImageRef;
import org.clipmsm.stimuli.ImageSources;
import org.clipmsm.embed.ModelRef;
import org.clipmsm.nsd.NsdHdf5Writer;
import org.clipmsm.synth.Category;
import org.clipmsm.synth.SceneContents;
import org.clipmsm.synth.SceneDrawer;

/**
 * {@code clipmsm bench embed}: images per second of the image encoder on NSD-sized stimuli, in three parts: reading
 * and preprocessing alone (one thread), the encoder's forward passes alone (after warm-up batches), and the
 * {@code embed} command end to end on the chosen runner. tools/bench_torch.py times Python torch on the same
 * TorchScript file and the same HDF5 file.
 */
final class EmbedBenchmark {
  private static final int MIN_PASSES = 3;
  private static final int MAX_PASSES = 10;
  private static final double PASS_BUDGET_SECONDS = 60;

  private EmbedBenchmark() {}

  static void run(String model, String stimuli, int count, int batchSize, Path dir, PipelineOptions options,
      String runner) throws IOException {
    Path h5 = stimuli != null ? Path.of(stimuli) : writeStimuli(dir.resolve("nsd_stimuli.hdf5"), count, 425);
    List<ImageRef> refs = ImageSources.list(h5);
    int n = refs.size();
    ModelRef ref = ModelRef.of(model);
    try (EmbeddingModel m = EmbeddingModel.open(ref); ImageReader reader = new ImageReader()) {
      ImagePreprocessing pre = m.preprocessing();
      float[] pixels = new float[n * pre.length()];
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        pre.apply(reader.read(refs.get(i)), pixels, i * pre.length());
      }
      double tPre = (System.nanoTime() - t0) / 1e9;
      // The forward passes read the model's staging buffer, which the embed command's preprocessing threads fill in
      // place; the copy into it here is not timed (Python's side times the forward on a ready tensor too).
      java.nio.FloatBuffer staging = m.stagingBuffer(batchSize);
      for (int w = 0; w < 2; w++) {
        staging.put(0, pixels, 0, Math.min(batchSize, n) * pre.length());
        m.embedStaged(Math.min(batchSize, n));
      }
      // The best pass: this machine is shared, and a pass slowed by another process says nothing about ours. Ten
      // passes, or as many as fit in a minute (at least three) for the big encoders.
      double tFwd = Double.POSITIVE_INFINITY;
      int passes = 0;
      long tPasses = System.nanoTime();
      while (passes < MIN_PASSES || passes < MAX_PASSES && (System.nanoTime() - tPasses) / 1e9 < PASS_BUDGET_SECONDS) {
        passes++;
        double t = 0;
        for (int start = 0; start < n; start += batchSize) {
          int k = Math.min(batchSize, n - start);
          staging.put(0, pixels, start * pre.length(), k * pre.length());
          t0 = System.nanoTime();
          m.embedStaged(k);
          t += (System.nanoTime() - t0) / 1e9;
        }
        tFwd = Math.min(tFwd, t);
      }
      System.out.printf("embed benchmark: %s (%s), %d images of %s, batch %d, %s threads:%n", model,
          m.imageFile().getFileName(), n, h5, batchSize, System.getProperty("ai.djl.pytorch.num_threads",
              "default"));
      System.out.printf("  read + preprocess (1 thread): %.1f images/s%n", n / tPre);
      System.out.printf("  forward passes alone:         %.1f images/s (best of %d passes)%n", n / tFwd, passes);
      System.out.printf("  both, one after the other:    %.1f images/s%n", n / (tPre + tFwd));
    }
    long t0 = System.nanoTime();
    EmbedPipeline.Summary s = EmbedPipeline.run(options, EmbedSettings.of(h5, ref, dir.resolve("embed-out"))
        .withBatchSize(batchSize), Progress.lines("clipmsm"));
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("  the embed pipeline end to end (%s): %.1f images/s (%.1f s, %d embedded)%n", runner,
        n / secs, secs, s.embedded());
  }

  /** NSD-sized drawn scenes (425 px) as an NSD stimuli file. */
  static Path writeStimuli(Path file, int count, int size) {
    double[][] content = SceneContents.draw(count, Category.values().length, new Random(20));
    byte[] brick = new byte[count * size * size * 3];
    for (int i = 0; i < count; i++) {
      System.arraycopy(SceneDrawer.draw(content[i], size, 7_000L + i), 0, brick, i * size * size * 3,
          size * size * 3);
    }
    NsdHdf5Writer.writeStimuli(file, brick, count, size, size);
    System.out.printf("embed benchmark: wrote %d drawn scenes of %d px to %s%n", count, size, file);
    return file;
  }
}
