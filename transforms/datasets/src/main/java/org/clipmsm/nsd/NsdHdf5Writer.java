package org.clipmsm.nsd;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes HDF5 files in the NSD layouts, for synthetic look-alike datasets and tests, with jHDF's writer (which
 * writes the whole file when it is closed, so the data must fit in memory).
 *
 * <ul>
 *   <li>Betas: int16 dataset {@code /betas}, C-order {@code (T, Z, Y, X)} (or {@code (T, V)}), chunked one voxel
 *       per chunk {@code (T, 1, 1, 1)} (or {@code (T, 1)}) without compression, as in the released
 *       {@code betas_sessionNN.hdf5}. jHDF 0.13.0 writes chunked int16; its chunk index is a fixed array in a
 *       version 4 layout message (HDF5 1.10 format), where the NSD files use a version 1 B-tree; both read the
 *       same with HDF5 1.10+ (h5py) and with {@link NsdBetasHdf5}.
 *   <li>Stimuli: uint8 dataset {@code imgBrick} of shape {@code (N, H, W, 3)}, contiguous and uncompressed, as in
 *       {@code nsd_stimuli.hdf5}.
 * </ul>
 *
 * <p>Write failures are {@link UncheckedIOException}s naming the file; bad arguments are
 * {@link IllegalArgumentException}s.
 */
public final class NsdHdf5Writer {
  private NsdHdf5Writer() {}

  /**
   * Writes {@code /betas} as int16.
   *
   * @param data values in C order {@code (T, Z, Y, X)} for a 3-element {@code gridXYZ = {X, Y, Z}}, or
   *     {@code (T, V)} for a 1-element {@code gridXYZ = {V}}; NSD stores percent signal change times 300
   * @throws IllegalArgumentException if the grid has another length, a size is not positive, or
   *     {@code data.length != trials * X * Y * Z}
   * @throws UncheckedIOException if writing fails
   */
  public static void writeBetas(Path file, short[] data, int trials, long[] gridXYZ) {
    if (gridXYZ.length != 3 && gridXYZ.length != 1) {
      throw new IllegalArgumentException("gridXYZ must be {X, Y, Z} or {V}: " + Arrays.toString(gridXYZ));
    }
    long n = trials;
    for (long g : gridXYZ) {
      if (g < 1 || g > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("grid sizes must be positive ints: " + Arrays.toString(gridXYZ));
      }
      n *= g;
    }
    if (trials < 1 || n != data.length) {
      throw new IllegalArgumentException("data has " + data.length + " values; " + trials + " trials x grid "
          + Arrays.toString(gridXYZ) + " need " + n);
    }
    Object array;
    int[] chunk;
    if (gridXYZ.length == 1) {
      int v = (int) gridXYZ[0];
      short[][] a = new short[trials][v];
      for (int t = 0; t < trials; t++) {
        System.arraycopy(data, t * v, a[t], 0, v);
      }
      array = a;
      chunk = new int[] {trials, 1};
    } else {
      int x = (int) gridXYZ[0];
      int y = (int) gridXYZ[1];
      int z = (int) gridXYZ[2];
      short[][][][] a = new short[trials][z][y][x];
      int o = 0;
      for (int t = 0; t < trials; t++) {
        for (int k = 0; k < z; k++) {
          for (int j = 0; j < y; j++) {
            System.arraycopy(data, o, a[t][k][j], 0, x);
            o += x;
          }
        }
      }
      array = a;
      chunk = new int[] {trials, 1, 1, 1};
    }
    write(file, "betas", array, DatasetCreationOptions.builder().chunkDimensions(chunk).build());
  }

  /**
   * Writes {@code imgBrick} as uint8 of shape {@code (images, height, width, 3)}.
   *
   * @param data the images in C order, each row-major {@code height x width x 3} RGB
   * @throws IllegalArgumentException if a size is not positive or {@code data.length != images * height * width * 3}
   * @throws UncheckedIOException if writing fails
   */
  public static void writeStimuli(Path file, byte[] data, int images, int height, int width) {
    long n = (long) images * height * width * 3;
    if (images < 1 || height < 1 || width < 1 || n != data.length) {
      throw new IllegalArgumentException("data has " + data.length + " bytes; " + images + " images of "
          + height + " x " + width + " x 3 need " + n);
    }
    byte[][][][] a = new byte[images][height][width][3];
    int o = 0;
    for (int i = 0; i < images; i++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          System.arraycopy(data, o, a[i][y][x], 0, 3);
          o += 3;
        }
      }
    }
    write(file, "imgBrick", a, DatasetCreationOptions.builder().unsigned().build());
  }

  private static void write(Path file, String name, Object array, DatasetCreationOptions options) {
    try (WritableHdfFile out = HdfFile.write(file)) {
      out.putDataset(name, array, options);
    } catch (RuntimeException e) {
      throw new UncheckedIOException(
          new IOException(file + ": cannot write HDF5 dataset " + name + " (" + Hdf5Files.oneLine(e) + ")", e));
    }
  }
}
