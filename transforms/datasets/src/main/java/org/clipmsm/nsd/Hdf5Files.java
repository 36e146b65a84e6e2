package org.clipmsm.nsd;

import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.clipmsm.InvalidInputException;

/**
 * What the NSD HDF5 readers share: opening a file with jHDF and checking one dataset's type and rank, with every
 * failure turned into a one-line {@link InvalidInputException} that starts with the file's path.
 */
final class Hdf5Files {
  private Hdf5Files() {}

  /**
   * Opens {@code file} read-only and checks that it is as long as its superblock says. A truncated file must be
   * refused here: jHDF reads past the end of the file as zeros or stale bytes without an error, so a chunk or image
   * cut short would otherwise come back as wrong values (libhdf5 makes the same check: "truncated file").
   */
  static HdfFile open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": no such HDF5 file");
    }
    HdfFile hdf;
    try {
      hdf = new HdfFile(file);
    } catch (RuntimeException e) {
      throw new InvalidInputException(file + ": not a readable HDF5 file (" + oneLine(e) + ")", e);
    }
    try {
      Superblock sb = hdf.getHdfBackingStorage().getSuperblock();
      // The end-of-file address is relative to the base address, like every address (HDF5 spec, "Superblock").
      long end = sb.getBaseAddressByte() + sb.getEndOfFileAddress();
      long size = hdf.getHdfBackingStorage().size();
      if (size < end) {
        throw new InvalidInputException(
            file + ": truncated HDF5 file: " + size + " bytes but the superblock says " + end);
      }
      return hdf;
    } catch (RuntimeException e) {
      closeQuietly(hdf, e);
      if (e instanceof InvalidInputException) {
        throw e;
      }
      throw new InvalidInputException(file + ": not a readable HDF5 file (" + oneLine(e) + ")", e);
    }
  }

  /**
   * Finds dataset {@code path} and checks that it holds integers of {@code bytes} bytes, signed or not as asked, in
   * one of the given ranks. Closes {@code hdf} on failure.
   */
  static Dataset integerDataset(
      HdfFile hdf, Path file, String path, int bytes, boolean signed, String expected, int... ranks) {
    try {
      Node node;
      try {
        node = hdf.getByPath(path);
      } catch (RuntimeException e) {
        throw new InvalidInputException(file + ": has no dataset " + path + "; expected " + expected, e);
      }
      if (!(node instanceof Dataset)) {
        throw new InvalidInputException(file + ": " + path + " is not a dataset; expected " + expected);
      }
      Dataset ds = (Dataset) node;
      DataType type = ds.getDataType();
      boolean typeOk = type instanceof FixedPoint
          && type.getSize() == bytes
          && ((FixedPoint) type).isSigned() == signed
          && !ds.isCompound()
          && !ds.isVariableLength();
      if (!typeOk) {
        throw new InvalidInputException(file + ": dataset " + path + " has type " + describe(type) + "; expected "
            + expected);
      }
      int[] dims = ds.getDimensions();
      if (Arrays.stream(ranks).noneMatch(r -> r == dims.length)) {
        throw new InvalidInputException(file + ": dataset " + path + " has shape " + Arrays.toString(dims)
            + "; expected " + expected);
      }
      return ds;
    } catch (RuntimeException e) {
      closeQuietly(hdf, e);
      if (e instanceof InvalidInputException) {
        throw e;
      }
      throw new InvalidInputException(file + ": cannot read dataset " + path + " (" + oneLine(e) + ")", e);
    }
  }

  /** A jHDF data type in NumPy's words, e.g. {@code int16}, {@code uint8} or {@code float32}. */
  static String describe(DataType type) {
    if (type instanceof FixedPoint) {
      return (((FixedPoint) type).isSigned() ? "int" : "uint") + 8 * type.getSize();
    }
    if (type instanceof FloatingPoint) {
      return "float" + 8 * type.getSize();
    }
    return type.getClass().getSimpleName() + " of " + type.getSize() + " bytes";
  }

  /** The message of {@code e} on one line, for wrapping a jHDF exception into ours. */
  /** Closes a file, reporting a failure as bad input naming it. */
  static void close(HdfFile hdf, Path file) {
    try {
      hdf.close();
    } catch (RuntimeException e) {
      throw new InvalidInputException(file + ": cannot close (" + oneLine(e) + ")", e);
    }
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replaceAll("\\s+", " ").trim();
  }

  static void closeQuietly(HdfFile hdf, Throwable pending) {
    try {
      hdf.close();
    } catch (RuntimeException e) {
      pending.addSuppressed(e);
    }
  }
}
