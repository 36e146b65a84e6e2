package org.clipmsm.nsd;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ContiguousDataset;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.clipmsm.InvalidInputException;

/**
 * Reads the NSD stimulus images from {@code nsd_stimuli.hdf5}: dataset {@code imgBrick}, uint8, shape
 * {@code (73000, 425, 425, 3)}, uncompressed, row {@code n} is the image of nsdId {@code n} (NSD data manual). The
 * file is about 40 GB, so images are read one at a time, each a slab of just its own bytes: for the released,
 * contiguous layout one read of {@code H * W * 3} bytes at the image's offset; for any other layout (e.g. chunked)
 * a jHDF slice of that image.
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
    try {
      if (brick instanceof ContiguousDataset) {
        return contiguousImage(nsdId);
      }
      return slicedImage(nsdId);
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          file + ": cannot read image " + nsdId + " of " + DATASET + " (" + Hdf5Files.oneLine(e) + ")", e);
    }
  }

  /**
   * A contiguous uint8 dataset is the C-order bytes at its data address (HDF5 spec, "Data Layout Message"), so the
   * image is the run of {@code H * W * 3} bytes at {@code nsdId * H * W * 3}. jHDF's own slice of it copies one
   * 3-byte pixel at a time, about 50 times slower.
   */
  private byte[] contiguousImage(int nsdId) {
    int size = dims[1] * dims[2] * 3;
    long address = ((ContiguousDataset) brick).getDataAddress();
    long start = address + (long) nsdId * size;
    // Undefined address (all ones): never written, so the image is the fill value; let jHDF's slice supply it.
    if (address < 0) {
      return slicedImage(nsdId);
    }
    // Hdf5Files.open already refused a file shorter than its superblock says; this guards a wrong superblock, as
    // jHDF would return zeros past the end. Addresses are relative to the base address (after any user block).
    long end = hdf.getHdfBackingStorage().getSuperblock().getBaseAddressByte() + start + size;
    long fileSize = hdf.getHdfBackingStorage().size();
    if (end > fileSize) {
      throw new InvalidInputException(file + ": image " + nsdId + " of " + DATASET + " ends at byte " + end
          + " but the file has " + fileSize + " bytes; expected a complete file");
    }
    ByteBuffer buffer = hdf.getHdfBackingStorage().readBufferFromAddress(start, size);
    byte[] out = new byte[size];
    buffer.get(out);
    return out;
  }

  private byte[] slicedImage(int nsdId) {
    int h = dims[1];
    int w = dims[2];
    Object slab = brick.getData(new long[] {nsdId, 0, 0, 0}, new int[] {1, h, w, 3});
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
    Hdf5Files.close(hdf, file);
  }
}
