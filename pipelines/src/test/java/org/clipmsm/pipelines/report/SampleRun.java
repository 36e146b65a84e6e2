package org.clipmsm.pipelines.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.clipmsm.io.Cifti;
import org.clipmsm.io.CiftiXml;
import org.clipmsm.io.Nifti;

/**
 * A hand-made run directory with every file of docs/evaluation.md §3 (three subjects, five ROIs, two models, five
 * labels, a brain map per subject and label), made of plausible numbers drawn from a fixed seed.
 */
final class SampleRun {
  static final List<String> SUBJECTS = List.of("subj01", "subj02", "subj03");
  static final List<String> ROIS = List.of("floc-faces", "floc-bodies", "floc-places", "floc-words", "all");
  static final List<String> MODELS = List.of("clip", "imagenet");
  static final List<String> LABELS = List.of("faces", "bodies", "places", "words", "food");
  /** The maps' grid. */
  static final int NX = 20;
  static final int NY = 24;
  static final int NZ = 12;

  private SampleRun() {}

  /** Writes the run into {@code run}; {@code ciftiSubject}, if not null, gets CIFTI maps instead of NIfTI. */
  static Path write(Path run, String ciftiSubject) throws IOException {
    Random rnd = new Random(7);
    Path ev = run.resolve("evaluation");
    Files.createDirectories(ev);
    Files.writeString(run.resolve("models.txt"), String.join("\n", MODELS) + "\n");
    Files.writeString(run.resolve("labels.txt"), String.join("\n", LABELS) + "\n");

    StringBuilder r2 = new StringBuilder("subject,roi,model,voxels,mean_r2,median_r2,significant\n");
    StringBuilder tt = new StringBuilder("subject,roi,model_a,model_b,n,mean_a,mean_b,mean_diff,t,df,p\n");
    StringBuilder f3 = new StringBuilder("subject,roi,n,mean_msm,mean_netdissect,mean_diff,t,df,p\n");
    for (String s : SUBJECTS) {
      for (String roi : ROIS) {
        int voxels = roi.equals("all") ? 2000 : 300 + rnd.nextInt(200);
        double clip = 0.12 + 0.05 * rnd.nextDouble();
        double imagenet = clip - 0.03 - 0.02 * rnd.nextDouble();
        r2.append(line(s, roi, "clip", voxels, clip, clip * 0.9, (int) (voxels * 0.7)));
        r2.append(line(s, roi, "imagenet", voxels, imagenet, imagenet * 0.9, (int) (voxels * 0.55)));
        tt.append(line(s, roi, "clip", "imagenet", voxels, clip, imagenet, clip - imagenet, 8.5, voxels - 1,
            1.2e-16 * (1 + rnd.nextDouble())));
        double msm = 0.21 + 0.03 * rnd.nextDouble();
        double nd = 0.17 + 0.03 * rnd.nextDouble();
        f3.append(line(s, roi, voxels, msm, nd, msm - nd, 5.1, voxels - 1, 3.4e-5 * rnd.nextDouble()));
      }
    }
    // A NaN where a statistic is undefined, as evaluate writes it.
    tt.append(line("subj01", "food", "clip", "imagenet", 1, 0.1, 0.05, 0.05, "NaN", 0, "NaN"));
    Files.writeString(ev.resolve("fig2_r2.csv"), r2);
    Files.writeString(ev.resolve("fig2_ttest.csv"), tt);
    Files.writeString(ev.resolve("fig3_ttest.csv"), f3);

    StringBuilder learning = new StringBuilder("subject,model,train_pieces,train_images,roi,mean_r2\n");
    for (String s : SUBJECTS) {
      for (String m : MODELS) {
        for (int pieces : new int[] {5, 10, 15, 20, 25, 30, 34}) {
          for (String roi : ROIS) {
            double top = m.equals("clip") ? 0.16 : 0.12;
            learning.append(line(s, m, pieces, pieces * 218 + rnd.nextInt(5), roi,
                top * (1 - Math.exp(-pieces / 9.0)) + 0.005 * rnd.nextGaussian()));
          }
        }
      }
    }
    Files.writeString(ev.resolve("fig2_learning.csv"), learning);

    StringBuilder hist = new StringBuilder("subject,model,nc_from,nc_to,r2_from,r2_to,voxels\n");
    for (String s : SUBJECTS) {
      for (String m : MODELS) {
        int[][] counts = new int[50][50];
        for (int v = 0; v < 2000; v++) {
          double nc = Math.min(99.9, Math.abs(30 + 18 * rnd.nextGaussian()));
          double r = Math.max(0, Math.min(99.9, nc * (m.equals("clip") ? 0.6 : 0.45) + 6 * rnd.nextGaussian()));
          counts[(int) (nc / 2)][(int) (r / 2)]++;
        }
        for (int a = 0; a < 50; a++) {
          for (int b = 0; b < 50; b++) {
            hist.append(line(s, m, 2 * a, 2 * a + 2, 2 * b, 2 * b + 2, counts[a][b]));
          }
        }
      }
    }
    Files.writeString(ev.resolve("fig2_histogram.csv"), hist);

    StringBuilder counts = new StringBuilder("subject,set,label,name,voxels,fraction\n");
    StringBuilder probes = new StringBuilder("subject,set,label,name,voxels,rank,image,mean_activation\n");
    for (String s : SUBJECTS) {
      for (String set : ROIS) {
        int[] n = new int[LABELS.size()];
        int total = 0;
        for (int l = 0; l < n.length; l++) {
          n[l] = 10 + rnd.nextInt(60) + (set.contains(LABELS.get(l)) ? 200 : 0);
          total += n[l];
        }
        for (int l = 0; l < n.length; l++) {
          counts.append(line(s, set, l, LABELS.get(l), n[l], n[l] / (double) total));
          for (int rank = 1; rank <= 3; rank++) {
            probes.append(line(s, set, l, LABELS.get(l), n[l], rank, rnd.nextInt(1000), 2.0 / rank));
          }
        }
      }
    }
    Files.writeString(ev.resolve("fig4_counts.csv"), counts);
    Files.writeString(ev.resolve("fig4_probes.csv"), probes);

    StringBuilder r = new StringBuilder("subject,label,map,voxels,r_msm,r_onehot\n");
    StringBuilder rt = new StringBuilder("label,subjects,mean_r_msm,mean_r_onehot,mean_diff,t,df,p\n");
    for (String label : LABELS) {
      double sumM = 0;
      double sumO = 0;
      for (String s : SUBJECTS) {
        double msm = 0.4 + 0.2 * rnd.nextDouble();
        double onehot = msm - 0.1 - 0.1 * rnd.nextDouble();
        sumM += msm;
        sumO += onehot;
        r.append(line(s, label, label.equals("words") ? "characters" : label, 2000, msm, onehot));
      }
      int n = SUBJECTS.size();
      rt.append(line(label, n, sumM / n, sumO / n, (sumM - sumO) / n, 6.2, n - 1, 0.025));
    }
    Files.writeString(ev.resolve("fig6_r.csv"), r);
    Files.writeString(ev.resolve("fig6_ttest.csv"), rt);

    Files.writeString(ev.resolve("parameters.csv"), "name,value\nrun," + run.getFileName() + "\nmodels,clip;imagenet"
        + "\nlabels,faces;bodies;places;words;food\nsubjects,subj01;subj02;subj03\n");

    for (String s : SUBJECTS) {
      Path maps = Files.createDirectories(ev.resolve("maps").resolve(s));
      Path subject = Files.createDirectories(run.resolve(s));
      if (s.equals(ciftiSubject)) {
        writeCiftiMaps(maps, rnd);
        continue;
      }
      double[] mask = new double[NX * NY * NZ];
      for (int k = 0; k < NZ; k++) {
        for (int j = 0; j < NY; j++) {
          for (int i = 0; i < NX; i++) {
            double a = (i - 9.5) / 9;
            double b = (j - 11.5) / 11;
            double c = (k - 5.5) / 5.5;
            mask[index(i, j, k)] = a * a + b * b + c * c <= 1 ? 1 : 0;
          }
        }
      }
      Nifti.write(subject.resolve("space.nii.gz"), new long[] {NX, NY, NZ}, mask, 2, null);
      for (int l = 0; l < LABELS.size(); l++) {
        double[] msm = new double[mask.length];
        double[] floc = new double[mask.length];
        java.util.Arrays.fill(msm, Double.NaN);
        java.util.Arrays.fill(floc, Double.NaN);
        // ROI voxels: a slab in the lower half of the brain; the label's peak moves with it.
        int ci = 4 + 3 * l;
        for (int k = 2; k < 8; k++) {
          for (int j = 3; j < 11; j++) {
            for (int i = 2; i < 18; i++) {
              if (mask[index(i, j, k)] == 0) {
                continue;
              }
              double d = Math.hypot(i - ci, j - 6) / 6;
              floc[index(i, j, k)] = Math.max(0, Math.min(1, 1 - d + 0.1 * rnd.nextGaussian()));
              msm[index(i, j, k)] = Math.max(0, Math.min(1, 1 - d * 1.2 + 0.2 * rnd.nextGaussian()));
            }
          }
        }
        Nifti.write(maps.resolve(LABELS.get(l) + "_msm.nii.gz"), new long[] {NX, NY, NZ}, msm, 16, null);
        Nifti.write(maps.resolve(LABELS.get(l) + "_floc.nii.gz"), new long[] {NX, NY, NZ}, floc, 16, null);
      }
    }
    return run;
  }

  static int index(int i, int j, int k) {
    return i + NX * (j + NY * k);
  }

  /** A surface of 3000 vertices per hemisphere; values for a band of vertices, NaN elsewhere. */
  static void writeCiftiMaps(Path maps, Random rnd) {
    int per = 3000;
    List<CiftiXml.BrainModel> models = new ArrayList<>();
    int[] vertices = new int[per];
    for (int v = 0; v < per; v++) {
      vertices[v] = v;
    }
    models.add(new CiftiXml.BrainModel(0, per, "CIFTI_MODEL_TYPE_SURFACE", "CIFTI_STRUCTURE_CORTEX_LEFT", per,
        vertices, null));
    models.add(new CiftiXml.BrainModel(per, per, "CIFTI_MODEL_TYPE_SURFACE", "CIFTI_STRUCTURE_CORTEX_RIGHT", per,
        vertices, null));
    CiftiXml like = CiftiXml.space(models);
    for (String label : LABELS) {
      double[] msm = new double[2 * per];
      double[] floc = new double[2 * per];
      for (int g = 0; g < msm.length; g++) {
        boolean roi = (g % per) > 800 && (g % per) < 2200;
        double x = Math.sin(g / 300.0) * 0.5 + 0.5;
        floc[g] = roi ? x : Double.NaN;
        msm[g] = roi ? Math.max(0, Math.min(1, x + 0.15 * rnd.nextGaussian())) : Double.NaN;
      }
      Cifti.writeScalars(maps.resolve(label + "_msm.dscalar.nii"), List.of(label), msm, like);
      Cifti.writeScalars(maps.resolve(label + "_floc.dscalar.nii"), List.of(label), floc, like);
    }
  }

  /** A CSV line: numbers as Java prints them (NaN as NaN), strings as they are. */
  static String line(Object... fields) {
    List<String> out = new ArrayList<>();
    for (Object f : fields) {
      out.add(f instanceof Double d ? String.format(Locale.ROOT, "%s", d) : String.valueOf(f));
    }
    return String.join(",", out) + "\n";
  }

  static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
