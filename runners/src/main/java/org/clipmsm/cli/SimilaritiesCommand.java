package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.pipelines.SimilaritiesJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "similarities", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Computes P for dissect: cosines between image embeddings and label text embeddings.",
        "Both are L2-normalised, no logit scale (docs/method.md §4.1); images x labels, float64."})
final class SimilaritiesCommand implements Callable<Integer> {
  @Option(names = "--image-embeddings", required = true, paramLabel = "E.npy", description = "CLIP image embeddings,"
      + " images x d (rows in the order of dissect's activations).")
  Path images;

  @Option(names = "--text-embeddings", required = true, paramLabel = "T.npy", description = "Label text embeddings of"
      + " the same CLIP model, labels x d (embed-text's output).")
  Path texts;

  @Option(names = "--out", required = true, paramLabel = "P.npy", description = "Output .npy.")
  Path out;

  @Override
  public Integer call() {
    Matrix p = SimilaritiesJob.run(new SimilaritiesJob.Settings(images, texts, out));
    System.out.printf("similarities: %d images x %d labels; wrote %s%n", p.rows(), p.cols(), out);
    return 0;
  }
}
