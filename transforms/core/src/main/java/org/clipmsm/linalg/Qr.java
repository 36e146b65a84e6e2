package org.clipmsm.linalg;

import org.netlib.util.intW;

/**
 * Thin QR decomposition A = Q R of an m x n matrix (LAPACK dgeqrf + dorgqr), k = min(m, n): Q is m x k with
 * orthonormal columns, R is k x n upper trapezoidal (upper triangular when m >= n).
 */
public final class Qr {
  private final Matrix q;
  private final Matrix r;

  private Qr(Matrix q, Matrix r) {
    this.q = q;
    this.r = r;
  }

  public static Qr of(Matrix a) {
    return of(a, true);
  }

  /** {@code withQ} false skips forming Q (it is then null). */
  public static Qr of(Matrix a, boolean withQ) {
    int m = a.rows();
    int n = a.cols();
    int k = Math.min(m, n);
    if (k == 0) {
      return new Qr(Matrix.zeros(m, 0), Matrix.zeros(0, n));
    }
    double[] work = a.data().clone();
    double[] tau = new double[k];
    intW info = new intW(0);
    double[] query = new double[1];
    Linalg.lapack().dgeqrf(m, n, work, m, tau, query, -1, info);
    double[] lwork = new double[Math.max(1, (int) query[0])];
    Linalg.lapack().dgeqrf(m, n, work, m, tau, lwork, lwork.length, info);
    if (info.val != 0) {
      throw new ArithmeticException("QR failed (dgeqrf info " + info.val + ")");
    }
    Matrix r = Matrix.zeros(k, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i <= Math.min(j, k - 1); i++) {
        r.set(i, j, work[i + j * m]);
      }
    }
    if (!withQ) {
      return new Qr(null, r);
    }
    // Q = the first k columns of the Householder product, formed in place over A's first k columns.
    double[] qData = java.util.Arrays.copyOf(work, Math.multiplyExact(m, k));
    Linalg.lapack().dorgqr(m, k, k, qData, m, tau, query, -1, info);
    lwork = new double[Math.max(1, (int) query[0])];
    Linalg.lapack().dorgqr(m, k, k, qData, m, tau, lwork, lwork.length, info);
    if (info.val != 0) {
      throw new ArithmeticException("QR failed (dorgqr info " + info.val + ")");
    }
    return new Qr(new Matrix(m, k, qData), r);
  }

  public Matrix q() {
    return q;
  }

  public Matrix r() {
    return r;
  }
}
