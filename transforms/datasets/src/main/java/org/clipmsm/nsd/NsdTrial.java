package org.clipmsm.nsd;

/**
 * One trial of one NSD subject.
 *
 * @param trial 0-based over all of the subject's sessions (trial {@code t} is line {@code t + 1} of the design)
 * @param session 1-based session, {@code trial / 750 + 1}
 * @param rowInSession 0-based row of this trial in the session's beta file, {@code trial % 750}
 * @param run 1..12, the run of the session holding the trial ({@link NsdDesign#runOf})
 * @param nsdId 0-based 73k image id: the row of nsd_stim_info_merged.csv and of the image brick
 */
public record NsdTrial(int trial, int session, int rowInSession, int run, int nsdId) implements java.io.Serializable {}
