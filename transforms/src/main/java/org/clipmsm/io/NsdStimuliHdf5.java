package org.clipmsm.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.nio.file.Path;
import java.util.Arrays;
import org.clipmsm.InvalidInputException;

/**
 * Reads the NSD stimulus images from {@code nsd_stimuli.hdf5}: dataset {@code imgBrick}, uint8, shape
 * {@code (73000, 425, 425, 3)}, uncompressed, row {@code n} is the image of nsdId {@code n} (NSD data manual). The
 * file is about 40 GB, so images are read one at a time, each a slab of just its own bytes.
 *
 * <p>Every failure, including a missing, truncated or corrupt file, is an {@link InvalidInputException} with a
 * one-line message that starts with the file's path. An instance holds the file open until {@link #close()} and is
 * not safe for concurrent use: open one per thread.
 */
public final class NsdStimuliHdf5 implements AutoCloseable {
  private static final String DATASET = "imgBrick";
  private static final String EXPECTED = "uint8 " + DATASET + " of shape (N, H, W, 3)";

  private final Path file;
  private final HdfFile hdf;
  private final Dataset brick;
  private final int[] dims;

  private NsdStimuliHdf5(Path file, HdfFile hdf, Dataset brick) {
    this.file = file;
    this.hdf = hdf;
    this.brick = brick;
    this.dims = brick.getDimensions();
  }

  /**
   * Opens {@code file} and checks that it has a uint8 dataset {@code imgBrick} of shape {@code (N, H, W, 3)} with
   * N, H and W positive.
   *
   * @throws InvalidInputException if the file is missing or unreadable or the dataset is missing or of another type
   *     or shape
   */
  public static NsdStimuliHdf5 open(Path file) {
    HdfFile hdf = Hdf5Files.open(file);
    Dataset ds = Hdf5Files.integerDataset(hdf, file, DATASET, 1, false, EXPECTED, 4);
    int[] dims = ds.getDimensions();
    if (dims[3] != 3 || dims[0] < 1 || dims[1] < 1 || dims[2] < 1
        || (long) dims[1] * dims[2] * 3 > Integer.MAX_VALUE - 8) {
      InvalidInputException e = new InvalidInputException(
          file + ": dataset " + DATASET + " has shape " + Arrays.toString(dims) + "; expected " + EXPECTED);
      Hdf5Files.closeQuietly(hdf, e);
      throw e;
    }
    return new NsdStimuliHdf5(file, hdf, ds);
  }

  /** Number of images N (73000 in NSD). */
  public int images() {
    return dims[0];
  }

  /** Image height H in pixels (425 in NSD). */
  public int height() {
    return dims[1];
  }

  /** Image width W in pixels (425 in NSD). */
  public int width() {
    return dims[2];
  }

  /**
   * One image as RGB bytes, row-major {@code H x W x 3} as stored: the byte of row {@code y}, column {@code x},
   * channel {@code c} is at {@code (y * W + x) * 3 + c} (unsigned: use {@code b & 0xFF}). Reads only that image.
   *
   * @throws InvalidInputException if {@code nsdId} is not in {@code [0, N)} or the image cannot be read
   */
  public byte[] image(int nsdId) {
    if (nsdId < 0 || nsdId >= dims[0]) {
      throw new InvalidInputException(
          file + ": nsdId " + nsdId + " is outside the " + dims[0] + " images of " + DATASET);
    }
    int h = dims[1];
    int w = dims[2];
    Object slab;
    try {
      slab = brick.getData(new long[] {nsdId, 0, 0, 0}, new int[] {1, h, w, 3});
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          file + ": cannot read image " + nsdId + " of " + DATASET + " (" + Hdf5Files.oneLine(e) + ")", e);
    }
    // jHDF widens unsigned integers to the next larger Java type: uint8 comes back as int.
    int[][][] img = ((int[][][][]) slab)[0];
    byte[] out = new byte[h * w * 3];
    int o = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] px = img[y][x];
        out[o++] = (byte) px[0];
        out[o++] = (byte) px[1];
        out[o++] = (byte) px[2];
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "NsdStimuliHdf5[" + file + ", shape " + Arrays.toString(dims) + "]";
  }

  /** Closes the file. */
  @Override
  public void close() {
    try {
      hdf.close();
    } catch (RuntimeException e) {
      throw new InvalidInputException(file + ": cannot close (" + Hdf5Files.oneLine(e) + ")", e);
    }
  }
}
