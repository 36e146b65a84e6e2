package org.clipmsm.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * Options of the CLIP dissection ({@link DissectPipeline}); the command line's {@code dissect} sets them. The
 * method's constants are null unless given, so each method keeps its own defaults (SoftWPMI: the CLIP-MSM paper's;
 * WPMI: CLIP-Dissect's).
 */
public interface DissectOptions extends CommonOptions {
  @Description("Activations Q, .npy (images x voxels); or give embeddings and weights")
  String getActivations();

  void setActivations(String v);

  @Description("Image embeddings I, .npy (images x features), with weights")
  String getEmbeddings();

  void setEmbeddings(String v);

  @Description("Encoding weights W, .npy (features x voxels, as fit writes weights.npy), with embeddings")
  String getWeights();

  void setWeights(String v);

  @Description("Image-label similarities P, .npy (images x labels)")
  @Validation.Required
  String getSimilarities();

  void setSimilarities(String v);

  @Description("Similarity function: softwpmi, wpmi, cos, cos3 or rank-reorder")
  @Default.String("softwpmi")
  String getMethod();

  void setMethod(String v);

  @Description("Top images per voxel (softwpmi 100, wpmi 28)")
  Integer getTopK();

  void setTopK(Integer v);

  @Description("Softmax sharpness a of P' = softmax(a P) (softwpmi 1, wpmi 2)")
  Double getA();

  void setA(Double v);

  @Description("Weight lambda of log p(d) (softwpmi 1, wpmi 0.6)")
  Double getLambda();

  void setLambda(Double v);

  @Description("SoftWPMI p_start (0.998)")
  Double getPStart();

  void setPStart(Double v);

  @Description("SoftWPMI p_end (0.97)")
  Double getPEnd();

  void setPEnd(Double v);

  @Description("Softmax temperature of the multi-semantic map")
  @Default.Double(1.0)
  double getTemperature();

  void setTemperature(double v);

  @Description("Label names, one per line, in the column order of the similarities")
  String getLabels();

  void setLabels(String v);

  @Description("Voxel sets, CSV with header set,voxel: one dissection per set (and their union)")
  String getVoxelSets();

  void setVoxelSets(String v);
}
