package org.clipmsm.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.clipmsm.io.Npy;
import org.clipmsm.io.NpyHeader;

/**
 * Fills a range of a 1-D float64 .npy file created beforehand (with zeros, by {@link Npy#writeVector}): workers write
 * their own voxels' values in place, at data offset + 8 * index, so per-voxel vectors are assembled without a
 * gather step. Safe concurrently for disjoint ranges.
 */
public final class NpyVectorRange {
  private NpyVectorRange() {}

  public static void create(Path file, int length) {
    Npy.writeVector(file, new double[length], Npy.DType.FLOAT64);
  }

  public static void write(Path file, long first, double[] values) {
    NpyHeader h = Npy.readHeader(file);
    if (h.ndim() != 1 || !h.descr().equals("<f8") || first < 0 || first + values.length > h.rows()) {
      throw new IllegalArgumentException(file + ": cannot write " + values.length + " values at " + first
          + " into a " + h.descr() + " array of shape " + java.util.Arrays.toString(h.shape()));
    }
    ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.asDoubleBuffer().put(values);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long pos = h.dataOffset() + 8 * first;
      while (buf.hasRemaining()) {
        pos += ch.write(buf, pos);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
