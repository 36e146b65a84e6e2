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
 * Fills whole rows of a C-order 2-D float64 .npy file (made by {@link Npy#createMatrix}), or a range of a 1-D int32
 * file, in place: rows of a C-order matrix are one contiguous run, so a shard of voxels writes its rows with one
 * positional write. Safe concurrently for disjoint ranges.
 */
final class NpyRowRange {
  private NpyRowRange() {}

  static void writeRows(Path file, long firstRow, double[] rowMajor) {
    NpyHeader h = Npy.readHeader(file);
    if (h.ndim() != 2 || !h.descr().equals("<f8") || h.fortranOrder()
        || firstRow * h.cols() + rowMajor.length > (long) h.rows() * h.cols()) {
      throw new IllegalArgumentException(file + ": cannot write " + rowMajor.length + " values at row " + firstRow);
    }
    ByteBuffer buf = ByteBuffer.allocate(rowMajor.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.asDoubleBuffer().put(rowMajor);
    write(file, h.dataOffset() + 8 * firstRow * h.cols(), buf);
  }

  static void writeInts(Path file, long first, int[] values) {
    NpyHeader h = Npy.readHeader(file);
    if (h.ndim() != 1 || !h.descr().equals("<i4") || first + values.length > h.rows()) {
      throw new IllegalArgumentException(file + ": cannot write " + values.length + " ints at " + first);
    }
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asIntBuffer().put(values);
    write(file, h.dataOffset() + 4 * first, buf);
  }

  private static void write(Path file, long pos, ByteBuffer buf) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      while (buf.hasRemaining()) {
        pos += ch.write(buf, pos);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
