"""Writes tiny CIFTI-2 fixtures with nibabel (run with Debian's /usr/bin/python3): a dscalar (3 named maps over a
surface-only brain of two hemispheres, as NOD's ciftify betas) and a dlabel (one map, a label table), plus each
file's XML as text. Values: v(map m, grayordinate g) = 10 m + g / 4.
"""
import numpy as np
import nibabel as nib
from nibabel import cifti2 as ci

def header_of(*maps):
    matrix = ci.Cifti2Matrix()
    for mim in maps:
        matrix.append(mim)
    return ci.Cifti2Header(matrix)


# Left hemisphere: 5 of 8 vertices in the brain model; right: 4 of 7.
left = ci.Cifti2BrainModel(index_offset=0, index_count=5, model_type="CIFTI_MODEL_TYPE_SURFACE",
                           brain_structure="CIFTI_STRUCTURE_CORTEX_LEFT", n_surface_vertices=8,
                           vertex_indices=ci.Cifti2VertexIndices([0, 2, 3, 5, 7]))
right = ci.Cifti2BrainModel(index_offset=5, index_count=4, model_type="CIFTI_MODEL_TYPE_SURFACE",
                            brain_structure="CIFTI_STRUCTURE_CORTEX_RIGHT", n_surface_vertices=7,
                            vertex_indices=ci.Cifti2VertexIndices([1, 2, 4, 6]))
brain = ci.Cifti2MatrixIndicesMap((1,), "CIFTI_INDEX_TYPE_BRAIN_MODELS", maps=[left, right])
names = ci.Cifti2MatrixIndicesMap((0,), "CIFTI_INDEX_TYPE_SCALARS",
                                  maps=[ci.Cifti2NamedMap(n) for n in ["Character", "Body", "Face"]])
m, g = np.meshgrid(np.arange(3), np.arange(9), indexing="ij")
data = (10 * m + g / 4.0).astype(np.float32)
img = ci.Cifti2Image(data, header_of(names, brain))
img.nifti_header.set_intent("ConnDenseScalar")
img.to_filename("scalars.dscalar.nii")
open("scalars.xml", "wb").write(img.header.to_xml())

table = ci.Cifti2LabelTable()
table[0] = ci.Cifti2Label(0, "???", 1, 1, 1, 0)
table[1] = ci.Cifti2Label(1, "FFA", 1, 0, 0, 1)
table[2] = ci.Cifti2Label(2, "OFA", 0, 1, 0, 1)
labels = ci.Cifti2MatrixIndicesMap((0,), "CIFTI_INDEX_TYPE_LABELS",
                                   maps=[ci.Cifti2NamedMap("faces", label_table=table)])
ldata = np.array([[0, 1, 1, 2, 0, 0, 2, 1, 0]], dtype=np.float32)
limg = ci.Cifti2Image(ldata, header_of(labels, brain))
limg.nifti_header.set_intent("ConnDenseLabel")
limg.to_filename("faces.dlabel.nii")
open("faces.xml", "wb").write(limg.header.to_xml())
