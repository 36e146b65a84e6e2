package org.clipmsm.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes little-endian single-file NIfTI-1 and NIfTI-2 images for {@link Nifti#write} and {@link Nifti#write2}: the
 * header (field offsets of nifti1.h / nifti2.h), the 4-byte extender, any extensions, then the data at vox_offset.
 * The data go to a temp file next to the target, moved into place when complete.
 */
final class NiftiWriter {
  private static final int CHUNK_BYTES = 1 << 16;
  private static final byte[] DESCRIP = "clipmsm".getBytes(StandardCharsets.US_ASCII);

  private NiftiWriter() {}

  static void write(Path file, int version, long[] dims, double[] data, int datatype, NiftiHeader like,
      List<NiftiExtension> extensions, int intentCode) {
    String name = Channels.name(file);
    NiftiDatatype type = NiftiDatatype.ofCode(datatype);
    if (type == null) {
      throw new IllegalArgumentException(name + ": unsupported datatype " + datatype + " (expected "
          + NiftiDatatype.SUPPORTED + ")");
    }
    if (dims.length < 1 || dims.length > 7) {
      throw new IllegalArgumentException(name + ": expected 1 to 7 dims, got " + dims.length);
    }
    long count = 1;
    for (long d : dims) {
      if (d < 1 || (version == 1 && d > Short.MAX_VALUE)) {
        throw new IllegalArgumentException(name + ": dims " + NiftiHeader.shapeString(dims) + " must be 1 to "
            + (version == 1 ? Short.MAX_VALUE + " in NIfTI-1" : Long.MAX_VALUE));
      }
      count = Math.multiplyExact(count, d);
    }
    if (count != data.length) {
      throw new IllegalArgumentException(name + ": " + data.length + " values do not match dims "
          + NiftiHeader.shapeString(dims) + " (" + count + " voxels)");
    }
    byte[] header = version == 1 ? header1(dims, type, like) : header2(dims, type, like, extensions, intentCode);

    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    boolean done = false;
    try {
      // Not Files.createTempFile: its owner-only permissions would stay with the result; this file gets the
      // process's default ones, as every other output.
      tmp = Files.createFile(dir.resolve("." + file.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp"));
      try (OutputStream out = open(tmp, file.getFileName().toString().endsWith(".gz"))) {
        out.write(header);
        writeData(out, data, type, name);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot write (" + Channels.describe(e) + ")", e);
    } finally {
      if (!done && tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The original failure is what the caller needs to see.
        }
      }
    }
  }

  private static OutputStream open(Path tmp, boolean gzip) throws IOException {
    OutputStream raw = Files.newOutputStream(tmp);
    return gzip ? new GZIPOutputStream(raw, CHUNK_BYTES) : new BufferedOutputStream(raw, CHUNK_BYTES);
  }

  private static void writeData(OutputStream out, double[] data, NiftiDatatype type, String name)
      throws IOException {
    byte[] bytes = new byte[CHUNK_BYTES];
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int per = CHUNK_BYTES / type.size();
    for (int at = 0; at < data.length; at += per) {
      int n = Math.min(per, data.length - at);
      for (int k = 0; k < n; k++) {
        double v = data[at + k];
        if (!type.representable(v)) {
          throw new IllegalArgumentException(name + ": value " + v + " at index " + (at + k) + " cannot be stored as "
              + type.typeName() + " (expected a whole number in range)");
        }
        type.putChecked(buf, k * type.size(), v);
      }
      out.write(bytes, 0, n * type.size());
    }
  }

  /** pixdim[0..7]: qfac and the reference's voxel sizes; 1 where there is no reference value. */
  private static double[] pixdim(long[] dims, NiftiHeader like) {
    double[] p = {1, 1, 1, 1, 1, 1, 1, 1};
    if (like != null) {
      double[] ref = like.pixdimAll();
      p[0] = like.qfac();
      int refDims = like.dims().length;
      for (int i = 1; i < 8; i++) {
        // The spatial sizes are always copied (the qform needs them); others only for dims both images have.
        if (i <= 3 || (i <= dims.length && i <= refDims)) {
          p[i] = ref[i] == 0 ? 1 : ref[i];
        }
      }
    }
    return p;
  }

  private static double[][] sform(NiftiHeader like) {
    return like != null ? like.sform() : new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
  }

  private static byte[] header1(long[] dims, NiftiDatatype type, NiftiHeader like) {
    int voxOffset = NiftiHeader.NIFTI1_HEADER_BYTES + 4;
    ByteBuffer h = ByteBuffer.allocate(voxOffset).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0, NiftiHeader.NIFTI1_HEADER_BYTES);
    h.putShort(40, (short) dims.length);
    for (int i = 0; i < 7; i++) {
      h.putShort(42 + 2 * i, (short) (i < dims.length ? dims[i] : 1));
    }
    h.putShort(70, (short) type.code());
    h.putShort(72, (short) (8 * type.size()));
    double[] p = pixdim(dims, like);
    for (int i = 0; i < 8; i++) {
      h.putFloat(76 + 4 * i, (float) p[i]);
    }
    h.putFloat(108, voxOffset);
    h.putFloat(112, 1f); // scl_slope 1, scl_inter 0: the values are stored as they are
    h.putFloat(116, 0f);
    h.put(123, (byte) (like != null ? like.xyztUnits() : 0));
    h.put(148, DESCRIP);
    h.putShort(252, (short) (like != null ? like.qformCode() : 0));
    h.putShort(254, (short) (like != null ? like.sformCode() : 0));
    double[] q = like != null ? like.quatern() : new double[6];
    for (int i = 0; i < 6; i++) {
      h.putFloat(256 + 4 * i, (float) q[i]);
    }
    double[][] s = sform(like);
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        h.putFloat(280 + 16 * r + 4 * c, (float) s[r][c]);
      }
    }
    h.put(344, NiftiHeader.MAGIC1);
    // Bytes 348..351: the extender, all zero: no extensions.
    return h.array();
  }

  private static byte[] header2(long[] dims, NiftiDatatype type, NiftiHeader like, List<NiftiExtension> extensions,
      int intentCode) {
    long extBytes = 0;
    for (NiftiExtension e : extensions) {
      extBytes += e.storedSize();
    }
    long voxOffset = NiftiHeader.NIFTI2_HEADER_BYTES + 4 + extBytes;
    if (voxOffset > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("extensions of " + extBytes + " bytes are too large");
    }
    ByteBuffer h = ByteBuffer.allocate((int) voxOffset).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0, NiftiHeader.NIFTI2_HEADER_BYTES);
    h.put(4, NiftiHeader.MAGIC2);
    h.putShort(12, (short) type.code());
    h.putShort(14, (short) (8 * type.size()));
    h.putLong(16, dims.length);
    for (int i = 0; i < 7; i++) {
      h.putLong(24 + 8 * i, i < dims.length ? dims[i] : 1);
    }
    double[] p = pixdim(dims, like);
    for (int i = 0; i < 8; i++) {
      h.putDouble(104 + 8 * i, p[i]);
    }
    h.putLong(168, voxOffset);
    h.putDouble(176, 1); // scl_slope 1, scl_inter 0
    h.putDouble(184, 0);
    h.put(240, DESCRIP);
    h.putInt(344, like != null ? like.qformCode() : 0);
    h.putInt(348, like != null ? like.sformCode() : 0);
    double[] q = like != null ? like.quatern() : new double[6];
    for (int i = 0; i < 6; i++) {
      h.putDouble(352 + 8 * i, q[i]);
    }
    double[][] s = sform(like);
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        h.putDouble(400 + 32 * r + 8 * c, s[r][c]);
      }
    }
    h.putInt(500, like != null ? like.xyztUnits() : 0);
    h.putInt(504, intentCode);
    int at = NiftiHeader.NIFTI2_HEADER_BYTES;
    h.put(at, (byte) (extensions.isEmpty() ? 0 : 1));
    at += 4;
    for (NiftiExtension e : extensions) {
      h.putInt(at, e.storedSize());
      h.putInt(at + 4, e.code());
      h.put(at + 8, e.payloadNoCopy());
      at += e.storedSize(); // the padding stays zero
    }
    return h.array();
  }
}
