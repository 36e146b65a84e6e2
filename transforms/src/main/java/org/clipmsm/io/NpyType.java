package org.clipmsm.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.clipmsm.InvalidInputException;

/** An element type of a .npy file: its kind and byte order, and how to decode one element as a double. */
record NpyType(Kind kind, ByteOrder order) {

  enum Kind {
    FLOAT32("float32", 4), FLOAT64("float64", 8), INT8("int8", 1), UINT8("uint8", 1), INT16("int16", 2),
    UINT16("uint16", 2), INT32("int32", 4), UINT32("uint32", 4), INT64("int64", 8), BOOL("bool", 1);

    final String label;
    final int size;

    Kind(String label, int size) {
      this.label = label;
      this.size = size;
    }
  }

  /** Maps a descr such as '<f8' or '>i4' to its type ('|' and '=' mean no or native order: little-endian here). */
  static NpyType of(String descr, String file) {
    if (descr.length() != 3) {
      throw unsupported(descr, file);
    }
    Kind k = switch (descr.substring(1)) {
      case "f4" -> Kind.FLOAT32;
      case "f8" -> Kind.FLOAT64;
      case "i1" -> Kind.INT8;
      case "u1" -> Kind.UINT8;
      case "i2" -> Kind.INT16;
      case "u2" -> Kind.UINT16;
      case "i4" -> Kind.INT32;
      case "u4" -> Kind.UINT32;
      case "i8" -> Kind.INT64;
      case "b1" -> Kind.BOOL;
      default -> throw unsupported(descr, file);
    };
    return switch (descr.charAt(0)) {
      case '<', '|', '=' -> new NpyType(k, ByteOrder.LITTLE_ENDIAN);
      case '>' -> new NpyType(k, ByteOrder.BIG_ENDIAN);
      default -> throw unsupported(descr, file);
    };
  }

  private static InvalidInputException unsupported(String descr, String file) {
    return new InvalidInputException(file + ": unsupported dtype '" + descr + "' (expected float32, float64,"
        + " int8/16/32/64, uint8/16/32 or bool)");
  }

  int size() {
    return kind.size;
  }

  String label() {
    return kind.label;
  }

  boolean isFloat() {
    return kind == Kind.FLOAT32 || kind == Kind.FLOAT64;
  }

  /** Element i of {@code buf} (index 0 at the buffer's position 0, buffer in this type's byte order). */
  double get(ByteBuffer buf, int i) {
    int p = i * kind.size;
    return switch (kind) {
      case FLOAT32 -> buf.getFloat(p);
      case FLOAT64 -> buf.getDouble(p);
      case INT8 -> buf.get(p);
      case UINT8, BOOL -> buf.get(p) & 0xff;
      case INT16 -> buf.getShort(p);
      case UINT16 -> buf.getShort(p) & 0xffff;
      case INT32 -> buf.getInt(p);
      case UINT32 -> buf.getInt(p) & 0xffffffffL;
      case INT64 -> buf.getLong(p);
    };
  }

  /** Element i as a long (integer kinds; exact for int64). */
  long getLong(ByteBuffer buf, int i) {
    return kind == Kind.INT64 ? buf.getLong(i * kind.size) : (long) get(buf, i);
  }
}
