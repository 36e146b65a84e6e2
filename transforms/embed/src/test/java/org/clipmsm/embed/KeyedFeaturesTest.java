package org.clipmsm.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clipmsm.InvalidInputException;
import org.clipmsm.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys files read through Csv, and features joined by key. */
class KeyedFeaturesTest {
  @TempDir
  Path tmp;

  private Path write(String name, String text) throws Exception {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  @Test
  void keyColumnByNameOrFound() throws Exception {
    Path f = write("k.csv", "row,nsdId,cocoId\n0,5,100035\n1,7,100049\n");
    assertEquals(List.of("5", "7"), KeyedFeatures.readKeys(f, null)); // nsdId comes before cocoId
    assertEquals(List.of("100035", "100049"), KeyedFeatures.readKeys(f, "cocoId"));
    assertEquals(List.of("a", "b"), KeyedFeatures.readKeys(write("one.csv", "whatever\na\nb\n"), null));
  }

  @Test
  void quotedKeysBomCrlfAndBlankLines() throws Exception {
    // Stimulus names may hold commas (quoted); the old split(",") cut them apart.
    Path f = write("q.csv", "\uFEFFrow,stimulus\r\n0,\"a, b.jpg\"\r\n\r\n1, c.jpg \r\n2,\"say \"\"d\"\".jpg\"\r\n");
    assertEquals(List.of("a, b.jpg", "c.jpg", "say \"d\".jpg"), KeyedFeatures.readKeys(f, null));
    assertEquals(List.of("a, b.jpg", "c.jpg", "say \"d\".jpg"), KeyedFeatures.readKeys(f, "stimulus"));
  }

  @Test
  void errorsNameTheFileAndLine() throws Exception {
    Path shortRow = write("short.csv", "row,key\n0,a\n\n1\n");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> KeyedFeatures.readKeys(shortRow, null));
    assertEquals(shortRow + ": line 4 has no column key", e.getMessage());

    Path noKey = write("nokey.csv", "a,b\n1,2\n");
    e = assertThrows(InvalidInputException.class, () -> KeyedFeatures.readKeys(noKey, null));
    assertEquals(noKey + ": no key column in the header [a, b] (expected one of [key, nsdId, cocoId, stimulus,"
        + " image], or name it)", e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> KeyedFeatures.readKeys(noKey, "nsdId"));
    assertEquals(noKey + ": no column nsdId in the header [a, b]", e.getMessage());

    Path open = write("open.csv", "key\na\n\"b\nc\n");
    e = assertThrows(InvalidInputException.class, () -> KeyedFeatures.readKeys(open, null));
    assertEquals(open + ": line 3: unterminated quoted field (its opening quote is on this line)", e.getMessage());

    Path empty = write("empty.csv", "");
    e = assertThrows(InvalidInputException.class, () -> KeyedFeatures.readKeys(empty, null));
    assertEquals(empty + ": empty (expected a header line)", e.getMessage());
  }

  @Test
  void featuresAreJoinedByKey() throws Exception {
    Path npy = tmp.resolve("f.npy");
    // 3 rows x 2 columns, column-major: row i = (10 i, 10 i + 1).
    Npy.writeMatrix(npy, new double[] {0, 10, 20, 1, 11, 21}, 3, 2, Npy.DType.FLOAT32);
    Path keys = write("keys.csv", "cocoId\n31\n\"1\"\n21\n");
    KeyedFeatures k = KeyedFeatures.read(npy, keys, null);
    assertEquals(3, k.rows());
    assertEquals(2, k.dim());
    assertArrayEquals(new float[] {10, 11}, k.row("1"));
    assertArrayEquals(new float[] {20, 21}, k.row("21"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> k.row("7"));
    assertEquals(npy + ": no features for key 7 (its keys file has no such key)", e.getMessage());

    Path twice = write("twice.csv", "cocoId\n31\n1\n31\n");
    e = assertThrows(InvalidInputException.class, () -> KeyedFeatures.read(npy, twice, null));
    assertEquals(twice + ": key 31 at rows 0 and 2 (expected each key once)", e.getMessage());
    Path fewer = write("fewer.csv", "cocoId\n31\n1\n");
    e = assertThrows(InvalidInputException.class, () -> KeyedFeatures.read(npy, fewer, null));
    assertEquals(fewer + ": 2 keys for the 3 rows of " + npy + " (expected one key per row)", e.getMessage());
  }
}
