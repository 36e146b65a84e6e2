package org.clipmsm.broden;

import java.io.Serializable;

/**
 * A category of a Broden set, a row of {@code category.csv}: its name and the statistics Broden lists for it (0 where
 * the file lacks the column; nothing here depends on them).
 *
 * @param name as in index.csv's column and {@code c_<name>.csv}
 * @param first the first dense code of the category ({@code first} column)
 * @param last the last dense code ({@code last} column)
 * @param count how many labels the category has ({@code count} column)
 * @param frequency how many images it annotates ({@code frequency} column)
 */
public record BrodenCategory(String name, long first, long last, long count, long frequency) implements Serializable {}
