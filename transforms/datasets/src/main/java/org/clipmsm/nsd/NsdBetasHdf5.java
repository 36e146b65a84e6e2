package org.clipmsm.nsd;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.FixedPoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.clipmsm.InvalidInputException;

/**
 * Reads NSD single-trial betas from HDF5: {@code betas_sessionNN.hdf5} (volume) or
 * {@code {lh,rh}.betas_sessionNN.hdf5} (native surface), dataset {@code /betas}.
 *
 * <p>Layout (NSD data manual): int16, C-order shape {@code (T, Z, Y, X)} for volumes or {@code (T, V)} for
 * surfaces, T = 750 trials per session in the released files; values are percent signal change times 300;
 * {@code hdf5[t, k, j, i] == nifti[i, j, k, t]} on the X x Y x Z NIfTI grid; non-brain voxels are 0. The released
 * volume files are chunked one voxel per chunk, {@code (750, 1, 1, 1)}, so all trials of a voxel are one read.
 *
 * <p>Voxels are read in slabs, never the whole file: the requested voxels are grouped by the chunk that holds them
 * (for a contiguous dataset, by the row {@code (k, j)} of a volume or by blocks of {@value #CONTIGUOUS_BLOCK}
 * vertices of a surface) and each group is read as the smallest box that covers it, for all trials.
 *
 * <p>Cost: the first read after {@link #open} loads jHDF's index of all chunks (699,192 for an 81 x 104 x 83
 * session file), about 0.5 to 1.5 s, so keep one instance per file for all its reads. Measured on a synthetic
 * h5py-written 81 x 104 x 83 x 750 file in NSD's layout (in the page cache, 2 cores): 10,000 random voxels of a
 * brain-sized ellipsoid take 0.7 to 1.7 s on the first read and 0.12 to 0.26 s on later reads.
 *
 * <p>Every failure, including a missing, truncated or corrupt file, is an {@link InvalidInputException} with a
 * one-line message that starts with the file's path. An instance holds the file open until {@link #close()} and is
 * not safe for concurrent use: open one per thread.
 */
public final class NsdBetasHdf5 implements AutoCloseable {
  /** NSD stores percent signal change times 300 in int16 (NSD data manual, "betas"). */
  public static final double SCALE = 300.0;
  /** Vertices per slab for a contiguous surface dataset: one read per trial of 8 KiB. */
  static final int CONTIGUOUS_BLOCK = 4096;

  private static final String DATASET = "/betas";
  private static final String EXPECTED = "int16 " + DATASET + " of shape (T, Z, Y, X) or (T, V)";

  private final Path file;
  private final HdfFile hdf;
  private final Dataset betas;
  /** Dataset shape in HDF5 (C) order: {T, Z, Y, X} or {T, V}. */
  private final int[] dims;
  /** Spatial extent of a slab group in HDF5 order: {Z, Y, X} or {V} sizes. */
  private final int[] block;
  private final long voxels;
  /**
   * Chunk shape if the dataset is chunked with all trials in each chunk, as NSD's {@code (750, 1, 1, 1)}: then a
   * slab group is read as that one chunk's bytes, decoded here, which is several times faster than jHDF's
   * multi-dimensional slice for one-voxel chunks. Null otherwise.
   */
  private final int[] wholeTrialChunk;
  private final ByteOrder byteOrder;

  private NsdBetasHdf5(Path file, HdfFile hdf, Dataset betas) {
    this.file = file;
    this.hdf = hdf;
    this.betas = betas;
    this.dims = betas.getDimensions();
    long n = 1;
    for (int d = 1; d < dims.length; d++) {
      n *= dims[d];
    }
    this.voxels = n;
    this.block = slabBlock(betas, dims);
    int[] chunk = betas instanceof ChunkedDataset ? ((ChunkedDataset) betas).getChunkDimensions() : null;
    this.wholeTrialChunk = chunk != null && chunk.length == dims.length && chunk[0] == dims[0] ? chunk : null;
    this.byteOrder = ((FixedPoint) betas.getDataType()).getByteOrder();
  }

  /**
   * Opens {@code file} and checks that it has an int16 dataset {@code /betas} of rank 4 {@code (T, Z, Y, X)} or rank
   * 2 {@code (T, V)} with no zero-length axis.
   *
   * @throws InvalidInputException if the file is missing or unreadable or the dataset is missing or of another type
   *     or rank
   */
  public static NsdBetasHdf5 open(Path file) {
    HdfFile hdf = Hdf5Files.open(file);
    Dataset ds = Hdf5Files.integerDataset(hdf, file, DATASET, 2, true, EXPECTED, 4, 2);
    int[] dims = ds.getDimensions();
    if (Arrays.stream(dims).anyMatch(d -> d < 1)) {
      InvalidInputException e = new InvalidInputException(
          file + ": dataset " + DATASET + " has shape " + Arrays.toString(dims) + "; expected " + EXPECTED
              + " with no empty axis");
      Hdf5Files.closeQuietly(hdf, e);
      throw e;
    }
    return new NsdBetasHdf5(file, hdf, ds);
  }

  /** Number of trials T: the first axis (750 in the released files, but not assumed). */
  public int trials() {
    return dims[0];
  }

  /** The grid {@code {X, Y, Z}} (NIfTI order) of a volume file, or {@code {V}} of a surface file. */
  public long[] gridXYZ() {
    if (dims.length == 2) {
      return new long[] {dims[1]};
    }
    return new long[] {dims[3], dims[2], dims[1]};
  }

  /**
   * Betas of the listed voxels for every trial, in percent signal change (int16 / 300): {@code result[t + T * v]}
   * (trial fastest, i.e. column-major trials x voxels) for position {@code v} in {@code voxels}. Each voxel is a
   * linear NIfTI index {@code i + X * (j + Y * k)} of a volume file, or a vertex index of a surface file. Voxels may
   * come in any order and may repeat; the result follows the given order, a repeated voxel giving a repeated
   * column. Reads only the chunks (or rows) that hold the voxels.
   *
   * @throws InvalidInputException if a voxel is outside the grid, the result would exceed a Java array, or the data
   *     cannot be read (e.g. a truncated file)
   */
  public double[] readVoxels(int[] voxels) {
    int t = trials();
    if ((long) t * voxels.length > Integer.MAX_VALUE - 8) {
      throw new InvalidInputException(file + ": " + voxels.length + " voxels x " + t
          + " trials is too many values for one array; read fewer voxels at a time");
    }
    int rank = dims.length - 1;
    int[][] coords = new int[voxels.length][];
    long[] order = new long[voxels.length];
    for (int p = 0; p < voxels.length; p++) {
      int v = voxels[p];
      if (v < 0 || v >= this.voxels) {
        throw new InvalidInputException(file + ": voxel index " + v + " (position " + p + ") is outside the "
            + (rank == 1 ? this.voxels + " vertices" : "grid of " + this.voxels + " voxels") + " of " + DATASET);
      }
      int[] c = coordinates(v);
      coords[p] = c;
      // Sort key: the slab group (block index, C order) in the high bits, the position in the low bits.
      long group = 0;
      for (int d = 0; d < rank; d++) {
        group = group * ((dims[d + 1] + block[d] - 1) / block[d]) + c[d] / block[d];
      }
      order[p] = group << 32 | p;
    }
    Arrays.sort(order);
    double[] out = new double[t * voxels.length];
    int start = 0;
    try {
      while (start < order.length) {
        int end = start + 1;
        while (end < order.length && order[end] >>> 32 == order[start] >>> 32) {
          end++;
        }
        readGroup(order, start, end, coords, out);
        start = end;
      }
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InvalidInputException(file + ": cannot read " + DATASET + " (" + Hdf5Files.oneLine(e) + ")", e);
    }
    return out;
  }

  /** Reads the box covering the voxels at {@code order[start, end)}, all of one slab group, into {@code out}. */
  private void readGroup(long[] order, int start, int end, int[][] coords, double[] out) {
    int rank = dims.length - 1;
    int[] lo = coords[(int) order[start]].clone();
    int[] hi = lo.clone();
    for (int q = start + 1; q < end; q++) {
      int[] c = coords[(int) order[q]];
      for (int d = 0; d < rank; d++) {
        lo[d] = Math.min(lo[d], c[d]);
        hi[d] = Math.max(hi[d], c[d]);
      }
    }
    int t = trials();
    if (wholeTrialChunk != null && readChunk(order, start, end, coords, out)) {
      return;
    }
    long[] offset = new long[rank + 1];
    int[] shape = new int[rank + 1];
    shape[0] = t;
    for (int d = 0; d < rank; d++) {
      offset[d + 1] = lo[d];
      shape[d + 1] = hi[d] - lo[d] + 1;
    }
    Object slab = betas.getData(offset, shape);
    for (int q = start; q < end; q++) {
      int p = (int) order[q];
      int[] c = coords[p];
      int base = t * p;
      if (rank == 1) {
        short[][] s = (short[][]) slab;
        int v = c[0] - lo[0];
        for (int i = 0; i < t; i++) {
          out[base + i] = s[i][v] / SCALE;
        }
      } else {
        short[][][][] s = (short[][][][]) slab;
        int z = c[0] - lo[0];
        int y = c[1] - lo[1];
        int x = c[2] - lo[2];
        for (int i = 0; i < t; i++) {
          out[base + i] = s[i][z][y][x] / SCALE;
        }
      }
    }
  }

  /**
   * Reads the voxels at {@code order[start, end)}, all in one chunk that holds every trial, from that chunk's
   * (decompressed) bytes. Returns false if the chunk is not allocated (jHDF then throws; the slab read gives the
   * fill value), so the caller reads a slab instead.
   */
  private boolean readChunk(long[] order, int start, int end, int[][] coords, double[] out) {
    int rank = dims.length - 1;
    int[] chunk = wholeTrialChunk;
    int[] chunkOffset = new int[rank + 1];
    int[] first = coords[(int) order[start]];
    for (int d = 0; d < rank; d++) {
      chunkOffset[d + 1] = first[d] / chunk[d + 1] * chunk[d + 1];
    }
    byte[] bytes;
    try {
      bytes = ((ChunkedDataset) betas).getDecompressedChunk(chunkOffset);
    } catch (HdfException e) {
      return false;
    }
    // A chunk is stored whole, edge chunks included: C order over the chunk shape (HDF5 spec, "Data Storage").
    int perTrial = 1;
    for (int d = 1; d <= rank; d++) {
      perTrial *= chunk[d];
    }
    int t = trials();
    ShortBuffer values = ByteBuffer.wrap(bytes).order(byteOrder).asShortBuffer();
    if (values.capacity() < t * perTrial) {
      throw new InvalidInputException(file + ": chunk at " + Arrays.toString(chunkOffset) + " of " + DATASET
          + " has " + bytes.length + " bytes; expected " + 2 * t * perTrial);
    }
    for (int q = start; q < end; q++) {
      int p = (int) order[q];
      int[] c = coords[p];
      int within = 0;
      for (int d = 0; d < rank; d++) {
        within = within * chunk[d + 1] + (c[d] - chunkOffset[d + 1]);
      }
      int base = t * p;
      for (int i = 0; i < t; i++) {
        out[base + i] = values.get(i * perTrial + within) / SCALE;
      }
    }
    return true;
  }

  /** HDF5-order spatial coordinates {k, j, i} (or {v}) of a linear NIfTI index i + X * (j + Y * k). */
  private int[] coordinates(int v) {
    if (dims.length == 2) {
      return new int[] {v};
    }
    int x = dims[3];
    int y = dims[2];
    return new int[] {v / (x * y), (v / x) % y, v % x};
  }

  /**
   * The spatial size of a slab group: the chunk's for a chunked dataset (so each group is read from one chunk); for
   * contiguous data, one row of X voxels of a volume, or {@value #CONTIGUOUS_BLOCK} vertices of a surface.
   */
  private static int[] slabBlock(Dataset ds, int[] dims) {
    int rank = dims.length - 1;
    if (ds instanceof ChunkedDataset) {
      int[] chunk = ((ChunkedDataset) ds).getChunkDimensions();
      return Arrays.copyOfRange(chunk, 1, 1 + rank);
    }
    if (rank == 1) {
      return new int[] {Math.min(dims[1], CONTIGUOUS_BLOCK)};
    }
    return new int[] {1, 1, dims[3]};
  }

  @Override
  public String toString() {
    return "NsdBetasHdf5[" + file + ", shape " + Arrays.toString(dims) + "]";
  }

  /** Closes the file. */
  @Override
  public void close() {
    Hdf5Files.close(hdf, file);
  }
}
