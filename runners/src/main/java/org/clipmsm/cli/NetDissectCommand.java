package org.clipmsm.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.Progress;
import org.clipmsm.embed.Djl;
import org.clipmsm.embed.ModelRef;
import org.clipmsm.netdissect.NetDissection;
import org.clipmsm.pipelines.NetDissectPipeline;
import org.clipmsm.pipelines.NetDissectSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "netdissect", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Labels voxels by Network Dissection over a Broden probe set, the paper's baseline.",
        "A voxel's activation maps (dense features times its weights) are thresholded at their top quantile,",
        "upsampled to the segmentations and scored by IoU against every concept. Writes in DIR: netdissect.csv",
        "(voxel, label, category, iou, interpretable), iou.npy (voxels x concepts, float64, label.csv order without",
        "number 0), concepts.txt and thresholds.npy."})
final class NetDissectCommand implements Callable<Integer> {
  @Option(names = "--broden", required = true, paramLabel = "DIR", description = "Broden root (index.csv,"
      + " category.csv, label.csv, c_*.csv, images/).")
  Path broden;

  @Option(names = "--dense", paramLabel = "D.npy", description = "Dense features of the probe images (n, h, w, D),"
      + " as embed --dense writes them (with --keys).")
  Path dense;

  @Option(names = "--keys", paramLabel = "K.csv", description = "The index.csv image path of each row of --dense"
      + " (embed's keys.csv).")
  Path keys;

  @Option(names = "--model", paramLabel = "DIR|tiny-clip", description = "Instead of --dense: the encoder whose"
      + " dense features to compute first (removed afterwards).")
  String model;

  @Option(names = "--djl-cache", paramLabel = "DIR", description = "With --model: where DJL unpacks its native"
      + " library on first use (default: $DJL_CACHE_DIR, else ~/.djl.ai).")
  String djlCache;

  @Option(names = "--weights", required = true, paramLabel = "W.npy", description = "Encoding weights, features x"
      + " voxels (fit's weights.npy on the same encoder's embeddings).")
  Path weights;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--quantile", paramLabel = "Q", description = "Top fraction of a voxel's map values above its"
      + " threshold (default ${DEFAULT-VALUE}).")
  double quantile = NetDissection.DEFAULT_QUANTILE;

  @Option(names = "--iou-threshold", paramLabel = "T", description = "IoU from which a voxel is interpretable"
      + " (default ${DEFAULT-VALUE}).")
  double iouThreshold = NetDissection.DEFAULT_IOU_THRESHOLD;

  @Option(names = "--categories", split = ",", paramLabel = "C,...", description = "Broden categories to score"
      + " (default: object, part, scene, texture, color, those the set has).")
  List<String> categories = List.of();

  @Option(names = "--voxels-per-block", paramLabel = "N", description = "Voxels per block, the unit of parallel"
      + " work; each block reads the probe set again (default ${DEFAULT-VALUE}). Results never depend on it.")
  int voxelsPerBlock = NetDissectSettings.DEFAULT_VOXELS_PER_BLOCK;

  @Mixin
  RunnerOptions runner;

  @Override
  public Integer call() {
    if (model != null ? dense != null || keys != null : dense == null || keys == null) {
      throw new InvalidInputException("give --dense D.npy with --keys K.csv, or --model DIR|tiny-clip");
    }
    if (model != null) {
      Djl.configure(djlCache);
    }
    NetDissectSettings s = model != null ? NetDissectSettings.fromModel(broden, ModelRef.of(model), weights, out)
        : NetDissectSettings.fromDense(broden, dense, keys, weights, out);
    s = s.with(NetDissection.defaults().withQuantile(quantile).withIouThreshold(iouThreshold))
        .withCategories(categories).withVoxelsPerBlock(voxelsPerBlock);
    long t0 = System.nanoTime();
    NetDissectPipeline.Summary r = NetDissectPipeline.run(runner.build(), s, Progress.lines("clipmsm"));
    System.out.printf("netdissect: %d probe images x %d concepts, %d voxels in %.1f s; wrote %s%n", r.images(),
        r.concepts(), r.voxels(), (System.nanoTime() - t0) / 1e9, out);
    System.out.printf("netdissect: %d of %d voxels interpretable (IoU >= %s)%s%n", r.interpretable(), r.voxels(),
        iouThreshold, r.commonest().isEmpty() ? "" : "; most often " + r.commonest());
    return 0;
  }
}
