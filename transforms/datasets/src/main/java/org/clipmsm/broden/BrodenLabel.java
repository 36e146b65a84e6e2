package org.clipmsm.broden;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A label of a Broden set, a row of {@code label.csv}.
 *
 * @param number the global label number (a segmentation pixel's {@code R + 256 G}); 0 is the unlabelled {@code -}
 * @param name its name
 * @param categoryCounts the {@code category} column ({@code object(12);part(3)}) as category -> count, in file order
 * @param frequency the {@code frequency} column (0 if the file has none)
 * @param coverage the {@code coverage} column (0 if the file has none)
 * @param syns the {@code syns} column split at ';' (empty entries dropped)
 */
public record BrodenLabel(int number, String name, Map<String, Long> categoryCounts, long frequency, double coverage,
    List<String> syns) implements Serializable {
  public BrodenLabel {
    categoryCounts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(categoryCounts));
    syns = List.copyOf(syns);
  }
}
