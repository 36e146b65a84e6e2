package org.clipmsm.ridge;

import java.io.Serializable;

/** One validation fold inside the training set: the model is fitted on {@code fitRows}, scored on {@code valRows}. */
public record Fold(int[] fitRows, int[] valRows) implements Serializable {}
