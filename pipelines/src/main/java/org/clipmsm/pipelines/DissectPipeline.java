package org.clipmsm.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.clipmsm.InvalidInputException;
import org.clipmsm.beam.ComputeActivations;
import org.clipmsm.beam.DissectVoxelSet;
import org.clipmsm.beam.ReadNpyMatrix;
import org.clipmsm.beam.ReadVoxelBlocks;
import org.clipmsm.beam.ScoreBlock;
import org.clipmsm.beam.ScoreVoxels;
import org.clipmsm.beam.ToSemanticMaps;
import org.clipmsm.beam.VoxelBlock;
import org.clipmsm.beam.VoxelSet;
import org.clipmsm.dissect.Dissection;
import org.clipmsm.dissect.LabelSet;
import org.clipmsm.dissect.SemanticMaps;
import org.clipmsm.dissect.SimilarityFunction;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;
import org.clipmsm.linalg.Matrix;
import org.clipmsm.schemas.SemanticMap;

/**
 * {@code clipmsm dissect}: CLIP dissection of encoding-model voxels (method.md §4). One pass over the activations
 * scores every voxel against every label; each voxel set (all voxels, or each set of {@code --voxel-sets} and their
 * union) then gets its own log p(d) and outputs: scores.npy (voxels x labels, float64), msm.npy, argmax.npy (int32),
 * semantic_map.avro and labels_per_voxel.csv, rows in the set's voxel order. Then, per set, the count of voxels per
 * top label ({@code top_label_counts.csv}) and the top-3 probe images of the winning label ({@code probe_images.csv}:
 * the images with the highest mean activation over the set's voxels whose top label it is; paper Fig. 4). Inputs are
 * checked before anything runs; outputs are staged and moved into place only when everything has succeeded.
 */
public final class DissectPipeline {
  public static final String SCORES = "scores.npy";
  public static final String MSM = "msm.npy";
  public static final String ARGMAX = "argmax.npy";
  public static final String MAPS = "semantic_map.avro";
  public static final String LABELS_PER_VOXEL = "labels_per_voxel.csv";
  public static final String COUNTS = "top_label_counts.csv";
  public static final String PROBES = "probe_images.csv";

  private DissectPipeline() {}

  /** What the run produced, for the command's summary line. */
  public record Summary(int images, int labels, long voxels, List<String> sets, List<String> winners) {}

  public static Summary run(DissectOptions o) {
    Path pFile = Path.of(o.getSimilarities());
    NpyHeader ph = Npy.readHeader(pFile);
    FitPipeline.requireMatrix(pFile, ph, "images x labels");
    int images = ph.rows();
    int labelCount = ph.cols();
    boolean fromActivations = o.getActivations() != null;
    if (fromActivations == (o.getEmbeddings() != null || o.getWeights() != null)
        || (!fromActivations && (o.getEmbeddings() == null || o.getWeights() == null))) {
      throw new InvalidInputException("dissect: give --activations Q.npy, or --embeddings I.npy with --weights W.npy");
    }
    long voxels;
    String activationsName;
    if (fromActivations) {
      Path q = Path.of(o.getActivations());
      NpyHeader qh = Npy.readHeader(q);
      FitPipeline.requireMatrix(q, qh, "images x voxels");
      requireImages(q, qh.rows(), pFile, images);
      voxels = qh.cols();
      activationsName = q.getFileName().toString();
    } else {
      Path i = Path.of(o.getEmbeddings());
      Path w = Path.of(o.getWeights());
      NpyHeader ih = Npy.readHeader(i);
      NpyHeader wh = Npy.readHeader(w);
      FitPipeline.requireMatrix(w, wh, "features x voxels");
      requireImages(i, ih.rows(), pFile, images);
      if (wh.rows() != ih.cols()) {
        throw new InvalidInputException(w.getFileName() + ": " + wh.rows() + " rows (features), but "
            + i.getFileName() + " has " + ih.cols() + " features (expected features x voxels, as fit writes"
            + " weights.npy)");
      }
      Matrix emb = new Matrix(ih.rows(), ih.cols(), Npy.readMatrix(i));
      emb.requireFinite(i.getFileName().toString(), "embeddings", 0);
      voxels = wh.cols();
      activationsName = "activations from " + i.getFileName() + " and " + w.getFileName();
    }
    if (voxels < 1 || labelCount < 1) {
      throw new InvalidInputException((voxels < 1 ? activationsName : pFile.getFileName().toString())
          + ": expected at least one column");
    }
    Dissection spec = dissection(o);
    spec.checkImages(images, pFile.getFileName().toString());
    List<String> labels = null;
    if (o.getLabels() != null) {
      labels = LabelSet.read(Path.of(o.getLabels()));
      if (labels.size() != labelCount) {
        throw new InvalidInputException(o.getLabels() + ": " + labels.size() + " labels, but " + pFile.getFileName()
            + " has " + labelCount + " columns (expected one label per column)");
      }
    }
    SemanticMaps.softmax(new double[] {0}, 1, 1, o.getTemperature());
    if (o.getVoxelsPerBlock() < 1) {
      throw new InvalidInputException("--voxels-per-block: expected a positive number, got " + o.getVoxelsPerBlock());
    }
    boolean named = o.getVoxelSets() != null;
    List<VoxelSet> sets = named ? VoxelSetsCsv.read(Path.of(o.getVoxelSets()), voxels, activationsName)
        : List.of(VoxelSet.all(voxels));

    try (OutputDirectory out = OutputDirectory.open(Path.of(o.getOut()), "dissect")) {
      String staging = out.staging().toString();
      Pipeline pipeline = Pipeline.create(o);
      PCollection<Matrix> p = pipeline.apply("Read similarities", ReadNpyMatrix.from(o.getSimilarities()));
      PCollection<VoxelBlock> q;
      if (fromActivations) {
        q = pipeline.apply("Read activations",
            ReadVoxelBlocks.from(o.getActivations()).withVoxelsPerBlock(o.getVoxelsPerBlock()));
      } else {
        PCollection<Matrix> emb = pipeline.apply("Read embeddings", ReadNpyMatrix.from(o.getEmbeddings()));
        q = pipeline.apply("Read weights", ReadVoxelBlocks.from(o.getWeights())
                .withVoxelsPerBlock(o.getVoxelsPerBlock()))
            .apply("Activations", ComputeActivations.withEmbeddings(emb));
      }
      PCollection<ScoreBlock> raw = q.apply("Score voxels", ScoreVoxels.withSimilarities(p).with(spec)
          .withSourceNames(pFile.getFileName().toString(), activationsName).withTotalVoxels(voxels));
      for (VoxelSet set : sets) {
        String sub = named ? set.name() : "";
        Path dir = sub.isEmpty() ? out.staging() : out.file(sub);
        Files.createDirectories(dir.resolve("parts"));
        Npy.createMatrix(dir.resolve(SCORES), set.size(), labelCount, Npy.DType.FLOAT64);
        Npy.createMatrix(dir.resolve(MSM), set.size(), labelCount, Npy.DType.FLOAT64);
        Npy.writeIntVector(dir.resolve(ARGMAX), new int[set.size()]);
        ToSemanticMaps.Maker maker = ToSemanticMaps.withLabels(labels).withTemperature(o.getTemperature())
            .withVoxelSet(set.name()).withMethod(spec.toString()).maker();
        raw.apply("Set " + set.name(), DissectVoxelSet.of(set, spec))
            .apply("Write " + set.name(), ParDo.of(new WriteSetBlock(staging, sub, maker)));
      }
      pipeline.run().waitUntilFinish();

      List<String> winners = new ArrayList<>();
      StringBuilder counts = new StringBuilder("set,label,name,voxels,fraction\n");
      StringBuilder probes = new StringBuilder("set,label,name,voxels,rank,image,mean_activation\n");
      for (VoxelSet set : sets) {
        Path dir = named ? out.file(set.name()) : out.staging();
        List<Path> parts = new ArrayList<>();
        List<Path> csvParts = new ArrayList<>();
        for (long firstRow : partRows(dir.resolve("parts"))) {
          parts.add(dir.resolve("parts").resolve(partName(firstRow, "avro")));
          csvParts.add(dir.resolve("parts").resolve(partName(firstRow, "csv")));
        }
        AvroParts.merge(parts, SemanticMap.getClassSchema(), dir.resolve(MAPS));
        concatenate(csvParts, "voxel,label,weight,label2,weight2,label3,weight3\n", dir.resolve(LABELS_PER_VOXEL));
        Files.delete(dir.resolve("parts"));
        winners.add(summarize(o, set, dir, labels, labelCount, images, fromActivations, counts, probes));
      }
      Files.writeString(out.file(COUNTS), counts, StandardCharsets.UTF_8);
      Files.writeString(out.file(PROBES), probes, StandardCharsets.UTF_8);
      out.commit();
      return new Summary(images, labelCount, voxels, sets.stream().map(VoxelSet::name).toList(), winners);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The method and its constants; a constant the method does not use is an error, not silently ignored. */
  static Dissection dissection(DissectOptions o) {
    SimilarityFunction f = SimilarityFunction.parse(o.getMethod());
    Dissection d = Dissection.defaults(f);
    if (!f.usesTopK()) {
      for (var given : List.of(java.util.Map.entry("--top-k", o.getTopK() != null),
          java.util.Map.entry("--a", o.getA() != null), java.util.Map.entry("--lambda", o.getLambda() != null))) {
        if (given.getValue()) {
          throw new InvalidInputException(given.getKey() + ": not used by --method " + f.cliName());
        }
      }
    }
    if (f != SimilarityFunction.SOFT_WPMI && (o.getPStart() != null || o.getPEnd() != null)) {
      throw new InvalidInputException((o.getPStart() != null ? "--p-start" : "--p-end") + ": only used by --method"
          + " softwpmi");
    }
    if (o.getTopK() != null) {
      d = d.withTopK(o.getTopK());
    }
    if (o.getA() != null) {
      d = d.withA(o.getA());
    }
    if (o.getLambda() != null) {
      d = d.withLambda(o.getLambda());
    }
    if (o.getPStart() != null) {
      d = d.withPStart(o.getPStart());
    }
    if (o.getPEnd() != null) {
      d = d.withPEnd(o.getPEnd());
    }
    return d;
  }

  private static void requireImages(Path file, int rows, Path pFile, int images) {
    if (rows != images) {
      throw new InvalidInputException(file.getFileName() + ": " + rows + " rows (images), but " + pFile.getFileName()
          + " has " + images + " (expected the same images in the same order)");
    }
  }

  static String partName(long firstRow, String ext) {
    return String.format("part-%012d.%s", firstRow, ext);
  }

  private static List<Long> partRows(Path parts) throws IOException {
    try (var s = Files.list(parts)) {
      return s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".avro"))
          .map(n -> Long.parseLong(n.substring(5, 17))).sorted().toList();
    }
  }

  private static void concatenate(List<Path> parts, String header, Path target) throws IOException {
    try (var w = Files.newOutputStream(target)) {
      w.write(header.getBytes(StandardCharsets.UTF_8));
      for (Path part : parts) {
        w.write(Files.readAllBytes(part));
        Files.delete(part);
      }
    }
  }

  /**
   * Top-label counts of a set and the top-3 probe images of its winning label (most voxels; ties to the lower label
   * index): the images with the highest mean activation over the voxels whose top label it is (ties: lower image
   * index). Reads the activations of those voxels again, one voxel block at a time.
   */
  private static String summarize(DissectOptions o, VoxelSet set, Path dir, List<String> labels, int labelCount,
      int images, boolean fromActivations, StringBuilder counts, StringBuilder probes) {
    long[] argmax = Npy.readLongVector(dir.resolve(ARGMAX));
    long[] count = new long[labelCount];
    for (long a : argmax) {
      if (a >= 0) {
        count[(int) a]++;
      }
    }
    Integer[] order = new Integer[labelCount];
    for (int d = 0; d < labelCount; d++) {
      order[d] = d;
    }
    java.util.Arrays.sort(order, (x, y) -> count[x] != count[y] ? Long.compare(count[y], count[x])
        : Integer.compare(x, y));
    for (int d : order) {
      if (count[d] > 0) {
        counts.append(String.format("%s,%d,%s,%d,%s%n", set.name(), d, csv(name(labels, d)), count[d],
            Double.toString((double) count[d] / set.size())));
      }
    }
    int winner = order[0];
    if (count[winner] == 0) {
      return "";
    }
    List<Long> members = new ArrayList<>();
    for (int r = 0; r < argmax.length; r++) {
      if (argmax[r] == winner) {
        members.add(set.voxels()[r]);
      }
    }
    double[] sum = new double[images];
    int block = o.getVoxelsPerBlock();
    Matrix emb = fromActivations ? null : new Matrix(images, Npy.readHeader(Path.of(o.getEmbeddings())).cols(),
        Npy.readMatrix(Path.of(o.getEmbeddings())));
    int m = 0;
    while (m < members.size()) {
      long first = members.get(m) / block * block;
      long totalCols = fromActivations ? Npy.readHeader(Path.of(o.getActivations())).cols()
          : Npy.readHeader(Path.of(o.getWeights())).cols();
      int width = (int) Math.min(block, totalCols - first);
      Matrix q;
      if (fromActivations) {
        q = new Matrix(images, width, Npy.readColumns(Path.of(o.getActivations()), (int) first, width));
      } else {
        Matrix w = new Matrix(emb.cols(), width, Npy.readColumns(Path.of(o.getWeights()), (int) first, width));
        q = emb.times(w);
      }
      for (; m < members.size() && members.get(m) < first + width; m++) {
        int j = (int) (members.get(m) - first);
        for (int i = 0; i < images; i++) {
          sum[i] += q.get(i, j);
        }
      }
    }
    int[] top = SemanticMaps.top(sum, 0, images, Math.min(3, images));
    for (int r = 0; r < top.length; r++) {
      probes.append(String.format("%s,%d,%s,%d,%d,%d,%s%n", set.name(), winner, csv(name(labels, winner)),
          members.size(), r + 1, top[r], Double.toString(sum[top[r]] / members.size())));
    }
    return name(labels, winner);
  }

  static String name(List<String> labels, int d) {
    return d < 0 ? "" : labels == null ? Integer.toString(d) : labels.get(d);
  }

  /** A CSV field, quoted when it holds a comma, quote or newline. */
  static String csv(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  /** Writes a set's block in place: scores and msm rows, argmax, an Avro part and a CSV part. */
  static final class WriteSetBlock extends DoFn<ScoreBlock, Void> {
    private static final long serialVersionUID = 1L;
    private final String staging;
    private final String sub;
    private final ToSemanticMaps.Maker maker;

    WriteSetBlock(String staging, String sub, ToSemanticMaps.Maker maker) {
      this.staging = staging;
      this.sub = sub;
      this.maker = maker;
    }

    @ProcessElement
    public void process(@Element ScoreBlock b) {
      Path dir = sub.isEmpty() ? Path.of(staging) : Path.of(staging, sub);
      ToSemanticMaps.Maps maps = maker.maps(b);
      NpyRowRange.writeRows(dir.resolve(SCORES), b.firstRow(), b.scores());
      NpyRowRange.writeRows(dir.resolve(MSM), b.firstRow(), maps.msm());
      NpyRowRange.writeInts(dir.resolve(ARGMAX), b.firstRow(), maps.argmax());
      AvroParts.writePart(dir.resolve("parts").resolve(partName(b.firstRow(), "avro")),
          SemanticMap.getClassSchema(), maker.records(b, maps));
      int l = b.labels();
      StringBuilder sb = new StringBuilder();
      for (int r = 0; r < b.rows(); r++) {
        int[] top = SemanticMaps.top(b.scores(), r * l, l, Math.min(3, l));
        sb.append(b.voxels()[r]);
        for (int t = 0; t < 3; t++) {
          int d = t < top.length ? top[t] : -1;
          sb.append(',').append(csv(maker.labelName(d))).append(',')
              .append(d < 0 ? "" : Double.toString(maps.msm()[r * l + d]));
        }
        sb.append('\n');
      }
      try {
        Files.writeString(dir.resolve("parts").resolve(partName(b.firstRow(), "csv")), sb, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
