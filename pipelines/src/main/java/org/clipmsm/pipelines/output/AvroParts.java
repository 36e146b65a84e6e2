package org.clipmsm.pipelines.output;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro container files that are byte-identical for identical records: the sync marker, random in Avro by default,
 * is derived from the schema's name, and parts written by parallel workers are merged in a fixed (voxel) order by
 * copying their blocks.
 */
public final class AvroParts {
  private AvroParts() {}

  /** 16 bytes fixed per schema (Avro needs them only to be unlikely inside the data). */
  static byte[] syncMarker(Schema schema) {
    byte[] name = ("clipmsm:" + schema.getFullName()).getBytes(StandardCharsets.UTF_8);
    byte[] sync = new byte[16];
    long h = 0xcbf29ce484222325L; // FNV-1a, spread over 16 bytes
    for (int i = 0; i < 16; i++) {
      for (byte b : name) {
        h = (h ^ (b & 0xff)) * 0x100000001b3L;
      }
      h = (h ^ i) * 0x100000001b3L;
      sync[i] = (byte) (h >>> 56);
    }
    return sync;
  }

  /** Writes records to one part file. */
  public static <T extends SpecificRecord> void writePart(Path file, Schema schema, Iterable<T> records) {
    try (OutputStream out = Files.newOutputStream(file);
        DataFileWriter<T> w = new DataFileWriter<>(new SpecificDatumWriter<T>(schema))) {
      w.create(schema, out, syncMarker(schema));
      for (T r : records) {
        w.append(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Concatenates the parts, in the given order, into {@code target}, then deletes them. */
  public static void merge(List<Path> parts, Schema schema, Path target) {
    try (OutputStream out = Files.newOutputStream(target);
        DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
      w.create(schema, out, syncMarker(schema));
      for (Path part : parts) {
        try (DataFileStream<GenericRecord> in =
            new DataFileStream<>(Files.newInputStream(part), new GenericDatumReader<GenericRecord>(schema))) {
          w.appendAllFrom(in, false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
    for (Path part : parts) {
      part.toFile().delete();
    }
  }
}
