package org.clipmsm.io;

import java.nio.ByteBuffer;

/**
 * The NIfTI voxel datatypes this package reads (the {@code datatype} codes of nifti1.h, shared by NIfTI-2), each
 * decoding and encoding single items in a buffer whose byte order the caller has set to the file's.
 */
enum NiftiDatatype {
  UINT8(2, "uint8", 1, 0, 255) {
    @Override
    double get(ByteBuffer b, int pos) {
      return b.get(pos) & 0xff;
    }

    @Override
    void putChecked(ByteBuffer b, int pos, double v) {
      b.put(pos, (byte) (int) v);
    }
  },
  INT16(4, "int16", 2, Short.MIN_VALUE, Short.MAX_VALUE) {
    @Override
    double get(ByteBuffer b, int pos) {
      return b.getShort(pos);
    }

    @Override
    void putChecked(ByteBuffer b, int pos, double v) {
      b.putShort(pos, (short) v);
    }
  },
  INT32(8, "int32", 4, Integer.MIN_VALUE, Integer.MAX_VALUE) {
    @Override
    double get(ByteBuffer b, int pos) {
      return b.getInt(pos);
    }

    @Override
    void putChecked(ByteBuffer b, int pos, double v) {
      b.putInt(pos, (int) v);
    }
  },
  FLOAT32(16, "float32", 4, Double.NaN, Double.NaN) {
    @Override
    double get(ByteBuffer b, int pos) {
      return b.getFloat(pos);
    }

    @Override
    void putChecked(ByteBuffer b, int pos, double v) {
      b.putFloat(pos, (float) v);
    }
  },
  FLOAT64(64, "float64", 8, Double.NaN, Double.NaN) {
    @Override
    double get(ByteBuffer b, int pos) {
      return b.getDouble(pos);
    }

    @Override
    void putChecked(ByteBuffer b, int pos, double v) {
      b.putDouble(pos, v);
    }
  },
  INT8(256, "int8", 1, Byte.MIN_VALUE, Byte.MAX_VALUE) {
    @Override
    double get(ByteBuffer b, int pos) {
      return b.get(pos);
    }

    @Override
    void putChecked(ByteBuffer b, int pos, double v) {
      b.put(pos, (byte) v);
    }
  },
  UINT16(512, "uint16", 2, 0, 65535) {
    @Override
    double get(ByteBuffer b, int pos) {
      return b.getShort(pos) & 0xffff;
    }

    @Override
    void putChecked(ByteBuffer b, int pos, double v) {
      b.putShort(pos, (short) (int) v);
    }
  },
  UINT32(768, "uint32", 4, 0, 4294967295.0) {
    @Override
    double get(ByteBuffer b, int pos) {
      return b.getInt(pos) & 0xffffffffL;
    }

    @Override
    void putChecked(ByteBuffer b, int pos, double v) {
      b.putInt(pos, (int) (long) v);
    }
  },
  INT64(1024, "int64", 8, -0x1p63, 0x1p63 - 1024) {
    @Override
    double get(ByteBuffer b, int pos) {
      return b.getLong(pos); // exact up to 2^53, as numpy's astype(float64)
    }

    @Override
    void putChecked(ByteBuffer b, int pos, double v) {
      b.putLong(pos, (long) v);
    }
  };

  /** The supported names in code order, for messages. */
  static final String SUPPORTED = "uint8, int8, int16, uint16, int32, uint32, int64, float32, float64";

  private final int code;
  private final String typeName;
  private final int size;
  private final double min;
  private final double max;

  NiftiDatatype(int code, String typeName, int size, double min, double max) {
    this.code = code;
    this.typeName = typeName;
    this.size = size;
    this.min = min;
    this.max = max;
  }

  int code() {
    return code;
  }

  String typeName() {
    return typeName;
  }

  /** Bytes per voxel; {@code bitpix} is 8 times this. */
  int size() {
    return size;
  }

  boolean isFloat() {
    return this == FLOAT32 || this == FLOAT64;
  }

  /** The item at byte {@code pos} as a double. */
  abstract double get(ByteBuffer b, int pos);

  /** Stores {@code v}, already checked by {@link #representable}. */
  abstract void putChecked(ByteBuffer b, int pos, double v);

  /**
   * Whether {@code v} can be stored without loss of meaning: any value for floats (float32 rounds), for integer types
   * a whole number in range. The writer refuses anything else rather than silently clipping or rounding.
   */
  boolean representable(double v) {
    return isFloat() || (v == Math.rint(v) && v >= min && v <= max);
  }

  /** The datatype with this code, or null. */
  static NiftiDatatype ofCode(int code) {
    for (NiftiDatatype t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
