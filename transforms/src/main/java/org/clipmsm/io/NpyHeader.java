package org.clipmsm.io;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clipmsm.InvalidInputException;

/**
 * The header of a NumPy .npy file (format 1.0, 2.0 and 3.0): magic "\x93NUMPY", version bytes, header length
 * (uint16 for 1.0, uint32 after), then a Python dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...)}
 * padded with spaces and '\n' so that the data start at a multiple of 64 bytes.
 */
public final class NpyHeader {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private final String descr;
  private final boolean fortranOrder;
  private final long[] shape;
  private final long dataOffset;
  private final NpyType type;

  NpyHeader(String descr, boolean fortranOrder, long[] shape, long dataOffset, NpyType type) {
    this.descr = descr;
    this.fortranOrder = fortranOrder;
    this.shape = shape;
    this.dataOffset = dataOffset;
    this.type = type;
  }

  /** Parses the header; {@code name} names the file in errors. */
  static NpyHeader parse(byte[] prefix, int prefixLength, String name) {
    if (prefixLength < 10 || !Arrays.equals(Arrays.copyOf(prefix, 6), MAGIC)) {
      throw new InvalidInputException(name + ": not a NumPy .npy file (bad magic)");
    }
    int major = prefix[6] & 0xff;
    int headerLen;
    int start;
    if (major == 1) {
      headerLen = (prefix[8] & 0xff) | (prefix[9] & 0xff) << 8;
      start = 10;
    } else if (major == 2 || major == 3) {
      if (prefixLength < 12) {
        throw new InvalidInputException(name + ": truncated .npy header");
      }
      headerLen = (prefix[8] & 0xff) | (prefix[9] & 0xff) << 8 | (prefix[10] & 0xff) << 16 | (prefix[11] & 0xff) << 24;
      start = 12;
    } else {
      throw new InvalidInputException(name + ": unsupported .npy format version " + major + " (expected 1, 2 or 3)");
    }
    if (headerLen < 0 || start + headerLen > prefixLength) {
      throw new InvalidInputException(name + ": truncated .npy header");
    }
    String dict = new String(prefix, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(dict);
    Matcher o = ORDER.matcher(dict);
    Matcher s = SHAPE.matcher(dict);
    if (!d.find() || !o.find() || !s.find()) {
      throw new InvalidInputException(name + ": malformed .npy header (expected descr, fortran_order and shape): "
          + dict.strip());
    }
    NpyType type = NpyType.of(d.group(1), name);
    String[] dims = s.group(1).split(",");
    long[] shape = Arrays.stream(dims).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(x -> {
      try {
        return Long.parseLong(x.endsWith("L") ? x.substring(0, x.length() - 1) : x);
      } catch (NumberFormatException e) {
        throw new InvalidInputException(name + ": malformed .npy shape (" + s.group(1) + ")");
      }
    }).toArray();
    return new NpyHeader(d.group(1), o.group(1).equals("True"), shape, start + headerLen, type);
  }

  /** The bytes numpy's np.save writes for this array (format 1.0). */
  static byte[] format(String descr, long[] shape) {
    StringBuilder sh = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sh.append(i > 0 ? ", " : "").append(shape[i]);
    }
    sh.append(shape.length == 1 ? ",)" : ")");
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + sh + ", }";
    int total = 10 + dict.length() + 1;
    int padded = (total + 63) / 64 * 64;
    String text = dict + " ".repeat(padded - total) + "\n";
    byte[] out = new byte[10 + text.length()];
    System.arraycopy(MAGIC, 0, out, 0, 6);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) text.length();
    out[9] = (byte) (text.length() >> 8);
    byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(t, 0, out, 10, t.length);
    return out;
  }

  public String descr() {
    return descr;
  }

  public boolean fortranOrder() {
    return fortranOrder;
  }

  public long[] shape() {
    return shape.clone();
  }

  public long dataOffset() {
    return dataOffset;
  }

  public int ndim() {
    return shape.length;
  }

  /** Rows: shape[0] (1 for a 0-d array). */
  public int rows() {
    return shape.length == 0 ? 1 : Math.toIntExact(shape[0]);
  }

  /** Columns: shape[1] of a 2-D array, d of an (n, 1, d) array, 1 for a 1-D array. */
  public int cols() {
    if (shape.length <= 1) {
      return 1;
    }
    return Math.toIntExact(shape[shape.length - 1]);
  }

  public long elements() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  public int itemSize() {
    return type.size();
  }

  public String dtypeName() {
    return type.label();
  }

  NpyType type() {
    return type;
  }

  ByteOrder order() {
    return type.order();
  }
}
