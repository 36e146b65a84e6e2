package org.clipmsm.linalg;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import dev.ludovic.netlib.lapack.NativeLAPACK;

/**
 * Access to BLAS/LAPACK. Native OpenBLAS (through dev.ludovic.netlib's JNI) runs dgemm at ~118 GFLOP/s on this
 * machine kind; the pure-Java fallback runs at ~3 GFLOP/s, so falling back prints one warning line.
 */
public final class Linalg {
  private static final BLAS BLAS_INSTANCE;
  private static final LAPACK LAPACK_INSTANCE;
  private static final boolean NATIVE;

  static {
    BLAS b;
    LAPACK l;
    boolean nativeOk;
    try {
      b = NativeBLAS.getInstance();
      l = NativeLAPACK.getInstance();
      nativeOk = true;
    } catch (Throwable t) {
      b = JavaBLAS.getInstance();
      l = JavaLAPACK.getInstance();
      nativeOk = false;
      System.err.println("clipmsm: warning: native BLAS/LAPACK (OpenBLAS) not found, using pure Java (~40x slower);"
          + " install Debian's libopenblas0-pthread");
    }
    BLAS_INSTANCE = b;
    LAPACK_INSTANCE = l;
    NATIVE = nativeOk;
  }

  private Linalg() {}

  public static BLAS blas() {
    return BLAS_INSTANCE;
  }

  public static LAPACK lapack() {
    return LAPACK_INSTANCE;
  }

  /** Whether BLAS/LAPACK calls go to a native library. */
  public static boolean isNative() {
    return NATIVE;
  }
}
