package org.clipmsm.pipelines;

/** Options of the noise ceiling ({@link NoiseCeilingPipeline}). */
public interface NoiseCeilingOptions extends CommonOptions, NoiseCeilingSettings {}
