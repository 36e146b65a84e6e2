package org.clipmsm.io;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.clipmsm.InvalidInputException;

/**
 * Reads and writes single-file NIfTI-1 and NIfTI-2 images ({@code .nii}, and {@code .nii.gz}: the same, gzipped),
 * without a third-party library. Voxel data are column-major (x fastest): voxel {@code (i, j, k, t)} is at index
 * {@code i + X * (j + Y * (k + Z * t))}.
 *
 * <p>Reads stream each file once from start to end, so a gzipped file is never decompressed twice or held whole.
 * Read failures are {@link InvalidInputException}s with a one-line message that starts with the file name; write
 * failures are {@link UncheckedIOException}s naming the file, and bad arguments {@link IllegalArgumentException}s.
 */
public final class Nifti {
  /** Bytes decoded per step: a multiple of every item size. */
  private static final int CHUNK_BYTES = 1 << 16;

  private Nifti() {}

  /**
   * Reads the header and extensions of {@code file}.
   *
   * @throws InvalidInputException if the file cannot be read or is not a supported NIfTI image
   */
  public static NiftiHeader readHeader(Path file) {
    try (NiftiInput in = NiftiInput.open(file)) {
      return NiftiHeader.read(in);
    }
  }

  /**
   * All data as doubles in file (column-major) order, scaled by scl_slope/inter when set.
   *
   * @throws InvalidInputException if the file cannot be read, is not a supported NIfTI image, is truncated, or has
   *     more voxels than a Java array holds
   */
  public static double[] readData(Path file) {
    return readData(file, true);
  }

  /** All data as stored, without applying scl_slope/inter. */
  public static double[] readRawData(Path file) {
    return readData(file, false);
  }

  private static double[] readData(Path file, boolean scaled) {
    try (NiftiInput in = NiftiInput.open(file)) {
      NiftiHeader h = NiftiHeader.read(in);
      long count = h.voxelCount();
      if (count > Integer.MAX_VALUE - 8) {
        throw h.invalid("dimensions " + NiftiHeader.shapeString(h.dims()) + " hold " + count
            + " voxels, more than a Java array can; read a mask of them with readMasked");
      }
      double[] out = new double[(int) count];
      Chunks chunks = new Chunks(in, h);
      for (long at = 0; at < count; ) {
        int n = chunks.next(count - at);
        for (int k = 0; k < n; k++) {
          out[(int) at + k] = chunks.get(k);
        }
        at += n;
      }
      if (scaled) {
        scale(h, out);
      }
      return out;
    }
  }

  /**
   * Only the voxels whose linear spatial index ({@code i + X*(j + Y*k)}) is listed, for every volume t: {@code
   * result[v + n*t]} for {@code n = indices.length}. Streams the file once (gzip-friendly), never materialising the
   * whole 4-D array. This is how masked betas are read (e.g. 10,000 ROI voxels of an 81x104x83x750 volume). Scaled
   * like readData.
   *
   * <p>The spatial volume is the first three dims (fewer when the image has fewer); every further dim counts as
   * volumes. Indices may come in any order and repeat.
   *
   * @throws InvalidInputException if the file cannot be read or is not a supported NIfTI image, an index is outside
   *     the spatial volume, or the result would not fit a Java array
   */
  public static double[] readMasked(Path file, int[] spatialIndices) {
    try (NiftiInput in = NiftiInput.open(file)) {
      NiftiHeader h = NiftiHeader.read(in);
      long[] dims = h.dims();
      long spatial = 1;
      for (int i = 0; i < Math.min(3, dims.length); i++) {
        spatial *= dims[i];
      }
      long volumes = h.voxelCount() / spatial;
      int n = spatialIndices.length;
      for (int v : spatialIndices) {
        if (v < 0 || v >= spatial) {
          throw h.invalid("mask index " + v + " is outside the spatial volume " + NiftiHeader.shapeString(
              Arrays.copyOf(dims, Math.min(3, dims.length))) + " (expected 0 to " + (spatial - 1) + ")");
        }
      }
      if ((long) n * volumes > Integer.MAX_VALUE - 8) {
        throw h.invalid(n + " voxels x " + volumes + " volumes are more values than a Java array can hold");
      }
      // Visit the wanted voxels in file order: positions sorted by index.
      Integer[] boxed = new Integer[n];
      for (int p = 0; p < n; p++) {
        boxed[p] = p;
      }
      Arrays.sort(boxed, (a, b) -> Integer.compare(spatialIndices[a], spatialIndices[b]));
      int[] order = new int[n];
      int[] sorted = new int[n];
      for (int p = 0; p < n; p++) {
        order[p] = boxed[p];
        sorted[p] = spatialIndices[order[p]];
      }
      double[] out = new double[(int) (n * volumes)];
      Chunks chunks = new Chunks(in, h);
      for (long t = 0; t < volumes; t++) {
        int p = 0;
        int base = (int) (n * t);
        for (long at = 0; at < spatial; ) {
          int got = chunks.next(spatial - at);
          long end = at + got;
          while (p < n && sorted[p] < end) {
            out[base + order[p]] = chunks.get((int) (sorted[p] - at));
            p++;
          }
          at = end;
        }
      }
      scale(h, out);
      return out;
    }
  }

  /**
   * Only the listed runs of {@code runLength} consecutive values, the data seen as runs in file order: {@code
   * result[k + runLength * p]} is value k of run {@code runs[p]}. For a CIFTI-2 dense file with {@code runLength} =
   * maps this reads the maps of chosen grayordinates (the map index varies fastest on disk). Streams the file once
   * and decodes only the wanted values. Scaled like readData.
   *
   * @throws InvalidInputException if the file cannot be read, a run is outside the data, or runLength does not
   *     divide the data
   */
  public static double[] readRuns(Path file, int runLength, int[] runs) {
    try (NiftiInput in = NiftiInput.open(file)) {
      NiftiHeader h = NiftiHeader.read(in);
      long count = h.voxelCount();
      if (runLength < 1 || count % runLength != 0) {
        throw h.invalid(count + " values do not split into runs of " + runLength);
      }
      long runCount = count / runLength;
      int n = runs.length;
      if ((long) n * runLength > Integer.MAX_VALUE - 8) {
        throw h.invalid(n + " runs of " + runLength + " values are more than a Java array can hold");
      }
      Integer[] boxed = new Integer[n];
      for (int p = 0; p < n; p++) {
        if (runs[p] < 0 || runs[p] >= runCount) {
          throw h.invalid("index " + runs[p] + " is outside the " + runCount + " of the data (expected 0 to "
              + (runCount - 1) + ")");
        }
        boxed[p] = p;
      }
      Arrays.sort(boxed, (a, b) -> Integer.compare(runs[a], runs[b]));
      double[] out = new double[n * runLength];
      Chunks chunks = new Chunks(in, h);
      int q = 0; // next position in sorted order
      for (long at = 0; at < count && q < n; ) {
        int got = chunks.next(count - at);
        long end = at + got;
        // Every wanted value in [at, end): runs overlapping the chunk, in order.
        while (q < n) {
          int p = boxed[q];
          long first = (long) runs[p] * runLength;
          if (first >= end) {
            break;
          }
          long from = Math.max(first, at);
          long to = Math.min(first + runLength, end);
          for (long x = from; x < to; x++) {
            out[(int) (p * (long) runLength + (x - first))] = chunks.get((int) (x - at));
          }
          if (first + runLength > end) {
            break; // the run continues in the next chunk
          }
          q++;
          // A repeated run: copy what was just decoded.
          while (q < n && runs[boxed[q]] == runs[p]) {
            System.arraycopy(out, p * runLength, out, boxed[q] * runLength, runLength);
            q++;
          }
        }
        at = end;
      }
      scale(h, out);
      return out;
    }
  }

  /** Applies scl_slope/inter in place when set; a non-finite inter counts as 0, as in nibabel. */
  private static void scale(NiftiHeader h, double[] values) {
    if (!h.isScaled()) {
      return;
    }
    double slope = h.sclSlope();
    double inter = Double.isFinite(h.sclInter()) ? h.sclInter() : 0;
    for (int i = 0; i < values.length; i++) {
      values[i] = values[i] * slope + inter;
    }
  }

  /** The data after the header, decoded a chunk at a time. */
  private static final class Chunks {
    private final NiftiInput in;
    private final NiftiDatatype type;
    private final long total;
    private final byte[] bytes = new byte[CHUNK_BYTES];
    private final ByteBuffer buf;
    private long voxelsRead;

    Chunks(NiftiInput in, NiftiHeader h) {
      this.in = in;
      this.type = h.type();
      this.total = h.voxelCount();
      this.buf = ByteBuffer.wrap(bytes).order(h.order());
    }

    /** Reads the next at most {@code max} voxels (at least one) and returns how many. */
    int next(long max) {
      int n = (int) Math.min(max, CHUNK_BYTES / type.size());
      int len = n * type.size();
      int got = in.read(bytes, 0, len, "data", true);
      if (got < len) {
        long expected = total * type.size();
        throw new InvalidInputException(in.source() + ": truncated data (file ends at byte " + in.position()
            + ", expected " + expected + " bytes of " + type.typeName() + " data from vox_offset, "
            + (in.position() - got + len) + " so far)");
      }
      voxelsRead += n;
      return n;
    }

    double get(int k) {
      return type.get(buf, k * type.size());
    }
  }

  /**
   * Writes a NIfTI-1 single file (.nii, or gzipped when the name ends in .gz), copying the affine (sform AND qform,
   * codes from the reference) and pixdim from {@code like} (may be null: identity affine, code 0), with the given
   * dims and data (column-major), datatype float32 (16) or float64 (64) or int16 (4) or uint8 (2) as asked (the
   * other readable integer types work too). Writes to a temp file in the same directory, then moves it into place
   * atomically: the file is never seen half-written, and no file is left when writing fails.
   *
   * @throws IllegalArgumentException if dims and data disagree, the datatype is unknown, or a value cannot be stored
   *     in an integer datatype (not a whole number, or out of range): integers are never rounded or clipped
   * @throws UncheckedIOException if writing fails
   */
  public static void write(Path file, long[] dims, double[] data, int datatype, NiftiHeader like) {
    NiftiWriter.write(file, 1, dims, data, datatype, like, List.of(), 0);
  }

  /**
   * As {@link #write}, for NIfTI-2, with header extensions and an intent code (needed for CIFTI-2).
   *
   * @param extensions written in order after the header, each payload zero-padded to a multiple of 16 bytes
   */
  public static void write2(Path file, long[] dims, double[] data, int datatype, NiftiHeader like,
      List<NiftiExtension> extensions, int intentCode) {
    NiftiWriter.write(file, 2, dims, data, datatype, like, extensions, intentCode);
  }
}
