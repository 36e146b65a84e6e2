package org.clipmsm.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The element types this package reads, keyed by the kind character and item size of a NumPy array-protocol type
 * string ({@code descr}, e.g. {@code '<f8'}: byte order, kind, item size). Each constant decodes items from a buffer
 * whose {@link ByteBuffer#order() byte order} the caller has already set to the file's.
 *
 * <p>The decode loops are written out per constant so that each loop is monomorphic for the JIT.
 */
enum ElementType {
  FLOAT32("float32", 'f', 4) {
    @Override
    void toDoubles(ByteBuffer src, int pos, int count, double[] dst, int dstPos, int dstStride) {
      for (int k = 0; k < count; k++, pos += 4, dstPos += dstStride) {
        dst[dstPos] = src.getFloat(pos);
      }
    }

    @Override
    void fromDoubles(double[] src, int srcPos, int srcStride, int count, ByteBuffer dst, int pos) {
      for (int k = 0; k < count; k++, pos += 4, srcPos += srcStride) {
        dst.putFloat(pos, (float) src[srcPos]);
      }
    }
  },
  FLOAT64("float64", 'f', 8) {
    @Override
    void toDoubles(ByteBuffer src, int pos, int count, double[] dst, int dstPos, int dstStride) {
      for (int k = 0; k < count; k++, pos += 8, dstPos += dstStride) {
        dst[dstPos] = src.getDouble(pos);
      }
    }

    @Override
    void fromDoubles(double[] src, int srcPos, int srcStride, int count, ByteBuffer dst, int pos) {
      for (int k = 0; k < count; k++, pos += 8, srcPos += srcStride) {
        dst.putDouble(pos, src[srcPos]);
      }
    }
  },
  INT8("int8", 'i', 1) {
    @Override
    long longAt(ByteBuffer src, int pos) {
      return src.get(pos);
    }
  },
  INT16("int16", 'i', 2) {
    @Override
    long longAt(ByteBuffer src, int pos) {
      return src.getShort(pos);
    }
  },
  INT32("int32", 'i', 4) {
    @Override
    long longAt(ByteBuffer src, int pos) {
      return src.getInt(pos);
    }
  },
  INT64("int64", 'i', 8) {
    @Override
    long longAt(ByteBuffer src, int pos) {
      return src.getLong(pos);
    }
  },
  UINT8("uint8", 'u', 1) {
    @Override
    long longAt(ByteBuffer src, int pos) {
      return src.get(pos) & 0xFFL;
    }
  },
  UINT16("uint16", 'u', 2) {
    @Override
    long longAt(ByteBuffer src, int pos) {
      return src.getShort(pos) & 0xFFFFL;
    }
  },
  /** NumPy stores bool as one byte, 0 or 1; any other non-zero byte is read as true too. */
  BOOL("bool", 'b', 1) {
    @Override
    long longAt(ByteBuffer src, int pos) {
      return src.get(pos) != 0 ? 1 : 0;
    }
  };

  /** For messages: what {@link #fromDescr} accepts. */
  static final String SUPPORTED = "float32, float64, int8/16/32/64, uint8/16, bool";

  private final String numpyName;
  private final char kind;
  private final int size;

  ElementType(String numpyName, char kind, int size) {
    this.numpyName = numpyName;
    this.kind = kind;
    this.size = size;
  }

  /** NumPy's name of the dtype, e.g. {@code "float32"}. */
  String numpyName() {
    return numpyName;
  }

  int size() {
    return size;
  }

  boolean isFloat() {
    return kind == 'f';
  }

  boolean isInteger() {
    return kind == 'i' || kind == 'u';
  }

  boolean isBool() {
    return kind == 'b';
  }

  /** The {@code descr} NumPy writes for this type in little-endian order ('|' for single bytes, which have no order). */
  String littleEndianDescr() {
    return (size == 1 ? "|" : "<") + kind + size;
  }

  /** Item {@code pos} (a byte index) as a long; only integer and bool types override this. */
  long longAt(ByteBuffer src, int pos) {
    throw new UnsupportedOperationException(numpyName + " is not an integer type");
  }

  /**
   * Decodes {@code count} consecutive items starting at byte {@code pos} of {@code src} into
   * {@code dst[dstPos + k * dstStride]}. The float types override this with their own loop.
   */
  void toDoubles(ByteBuffer src, int pos, int count, double[] dst, int dstPos, int dstStride) {
    for (int k = 0; k < count; k++, pos += size, dstPos += dstStride) {
      dst[dstPos] = longAt(src, pos);
    }
  }

  /**
   * Encodes {@code src[srcPos + k * srcStride]} for {@code count} values of k as consecutive items of this type from
   * byte {@code pos} of {@code dst}; float32 rounds with a {@code (float)} cast, as NumPy's astype does. Only the
   * float types support this.
   */
  void fromDoubles(double[] src, int srcPos, int srcStride, int count, ByteBuffer dst, int pos) {
    throw new UnsupportedOperationException("writing " + numpyName + " from doubles");
  }

  /**
   * The element type of a simple (non-structured) NumPy type string, or {@code null} if it is not one of ours. The
   * byte-order character is '<' (little), '>' (big), '=' (native), '|' (not applicable) or absent (native), as
   * NumPy's {@code np.dtype(descr)} accepts them.
   */
  static ElementType fromDescr(String descr) {
    String body = descr;
    if (!body.isEmpty() && "<>=|".indexOf(body.charAt(0)) >= 0) {
      body = body.substring(1);
    }
    for (ElementType t : values()) {
      if (body.equals(String.valueOf(t.kind) + t.size)) {
        return t;
      }
    }
    return null;
  }

  /** The byte order of a type string that {@link #fromDescr} accepted. */
  static ByteOrder byteOrderOf(String descr) {
    if (descr.startsWith("<")) {
      return ByteOrder.LITTLE_ENDIAN;
    }
    if (descr.startsWith(">")) {
      return ByteOrder.BIG_ENDIAN;
    }
    return ByteOrder.nativeOrder();
  }
}
