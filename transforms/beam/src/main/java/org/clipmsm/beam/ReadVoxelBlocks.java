package org.clipmsm.beam;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.clipmsm.InvalidInputException;
import org.clipmsm.InvalidParameterException;
import org.clipmsm.io.Npy;
import org.clipmsm.linalg.Matrix;

/**
 * Reads a 2-D NumPy array of responses (rows = images, columns = voxels) as {@link VoxelBlock}s of consecutive voxel
 * columns. Each worker reads only its own columns (memory-mapped), so the whole matrix is never in one place. Block
 * boundaries depend only on the block size, never on the runner's parallelism, which keeps results identical across
 * runners.
 *
 * <pre>{@code
 * PCollection<VoxelBlock> responses = pipeline.apply(ReadVoxelBlocks.from("responses.npy").withVoxelsPerBlock(1024));
 * }</pre>
 */
public final class ReadVoxelBlocks extends PTransform<PBegin, PCollection<VoxelBlock>> {
  private static final long serialVersionUID = 1L;
  public static final int DEFAULT_VOXELS_PER_BLOCK = 1024;

  private final String path;
  private final int voxelsPerBlock;
  private final transient PCollectionView<?> written;

  private ReadVoxelBlocks(String path, int voxelsPerBlock, PCollectionView<?> written) {
    this.path = path;
    this.voxelsPerBlock = voxelsPerBlock;
    this.written = written;
  }

  public static ReadVoxelBlocks from(String path) {
    return new ReadVoxelBlocks(path, DEFAULT_VOXELS_PER_BLOCK, null);
  }

  public ReadVoxelBlocks withVoxelsPerBlock(int n) {
    return new ReadVoxelBlocks(path, checkVoxelsPerBlock(n), written);
  }

  /**
   * Reads the file only once this view is ready ({@link Signals#done} of the writes of the steps that make it): its header,
   * and so its blocks, are then read where the pipeline runs rather than while the graph is built.
   */
  public ReadVoxelBlocks waitFor(PCollectionView<?> inputsWritten) {
    return new ReadVoxelBlocks(path, voxelsPerBlock, inputsWritten);
  }

  /** Returns n when it is a usable block size. */
  public static int checkVoxelsPerBlock(int n) {
    if (n < 1) {
      throw new InvalidParameterException("voxelsPerBlock", "expected a positive number, got " + n);
    }
    return n;
  }

  /** The (first voxel, count) ranges of a file with this many voxel columns. */
  public static List<KV<Long, Integer>> ranges(long voxels, int voxelsPerBlock) {
    List<KV<Long, Integer>> out = new ArrayList<>();
    for (long first = 0; first < voxels; first += voxelsPerBlock) {
      out.add(KV.of(first, (int) Math.min(voxelsPerBlock, voxels - first)));
    }
    return out;
  }

  /**
   * The voxel ranges of {@link #ranges} as a PCollection, spread over workers: the (tiny) ranges are reshuffled
   * before the (large) reads that follow them.
   */
  static PCollection<KV<Long, Integer>> spreadRanges(PBegin begin, long voxels, int voxelsPerBlock) {
    return begin
        .apply("Voxel ranges", Create.of(ranges(voxels, voxelsPerBlock))
            .withCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of())))
        .apply("Spread ranges", Reshuffle.viaRandomKey());
  }

  @Override
  public PCollection<VoxelBlock> expand(PBegin begin) {
    return rangesOf(begin, path, voxelsPerBlock, written)
        .apply("Read voxel columns", ParDo.of(new ReadColumns(path)))
        .setCoder(VoxelBlock.Coder.of());
  }

  /**
   * The file's voxel ranges, from its header where the pipeline runs (once {@code written} is ready, unless null),
   * spread over workers: for a step that reads each range's columns itself.
   */
  static PCollection<KV<Long, Integer>> rangesOf(PBegin begin, String path, int voxelsPerBlock,
      PCollectionView<?> written) {
    if (written == null) {
      voxelCount(path); // a bad file fails now, before anything runs
    }
    return Signals.waitFor(begin.apply("Path", Create.of(path)), written)
        .apply("Voxel ranges", ParDo.of(new Ranges(voxelsPerBlock)))
        .setCoder(KvCoder.of(VarLongCoder.of(), VarIntCoder.of()))
        .apply("Spread ranges", Reshuffle.viaRandomKey());
  }

  /** The columns of a voxel range, read from the file. */
  static VoxelBlock read(String path, KV<Long, Integer> range) {
    return new VoxelBlock(range.getKey(), columns(path, range.getKey(), range.getValue()));
  }

  /**
   * Columns {@code first .. first + count - 1} of a 2-D .npy (rows x voxels) as a rows x count matrix: what a step
   * that reads its own voxel block (responses, weights, activations, predictions) reads.
   */
  public static Matrix columns(String path, long first, int count) {
    Path file = Path.of(path);
    return new Matrix(Npy.readHeader(file).rows(), count, Npy.readColumns(file, Math.toIntExact(first), count));
  }

  /** The voxel columns of a 2-D file. */
  private static long voxelCount(String path) {
    Path file = Path.of(path);
    var header = Npy.readHeader(file);
    if (header.ndim() != 2) {
      throw new InvalidInputException(file.getFileName() + ": expected a 2-D array (images x voxels), found "
          + header.ndim() + "-D");
    }
    return header.cols();
  }

  /** The file's {@link #ranges}, from its header where the pipeline runs. */
  private static final class Ranges extends DoFn<String, KV<Long, Integer>> {
    private static final long serialVersionUID = 1L;
    private final int voxelsPerBlock;

    Ranges(int voxelsPerBlock) {
      this.voxelsPerBlock = voxelsPerBlock;
    }

    @ProcessElement
    public void process(@Element String path, OutputReceiver<KV<Long, Integer>> out) {
      for (KV<Long, Integer> r : ranges(voxelCount(path), voxelsPerBlock)) {
        out.output(r);
      }
    }
  }

  private static final class ReadColumns extends DoFn<KV<Long, Integer>, VoxelBlock> {
    private static final long serialVersionUID = 1L;
    private final String path;

    ReadColumns(String path) {
      this.path = path;
    }

    @ProcessElement
    public void process(@Element KV<Long, Integer> range, OutputReceiver<VoxelBlock> out) {
      out.output(read(path, range));
    }
  }
}
