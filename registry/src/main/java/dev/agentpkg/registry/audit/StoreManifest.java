package dev.agentpkg.registry.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.AgentpkgException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.archive.ArchiveLimits;
import dev.agentpkg.integrity.archive.EntrySink;
import dev.agentpkg.integrity.archive.PackageArchiveReader;
import dev.agentpkg.integrity.json.CanonicalJson;
import dev.agentpkg.integrity.json.Json;
import dev.agentpkg.integrity.manifest.PackageDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * The descriptor part of a store archive's manifest.json, or why it could not be read. Read while
 * the archive is still being hashed, and used only when its digest turns out to be the installed
 * one, so it is trusted then; the file list is not built or re-validated, because for a 20,000-file
 * package it is most of the manifest and most of the cost of reading it.
 */
final class StoreManifest {
  private static final Set<String> LEFT_OUT = Set.of("schema", "files");

  private final PackageDescriptor descriptor;
  private final AgentpkgException error;

  private StoreManifest(PackageDescriptor descriptor, AgentpkgException error) {
    this.descriptor = descriptor;
    this.error = error;
  }

  static StoreManifest read(Path archive) {
    try {
      return new StoreManifest(parse(archive), null);
    } catch (AgentpkgException e) {
      return new StoreManifest(null, e);
    }
  }

  /** The descriptor, or the error reading it gave. */
  PackageDescriptor descriptor() {
    if (error != null) {
      throw error;
    }
    return descriptor;
  }

  private static PackageDescriptor parse(Path archive) {
    byte[][] manifest = new byte[1][];
    String what = "manifest.json in packages_store/" + archive.getFileName();
    try (InputStream in = Files.newInputStream(archive)) {
      new PackageArchiveReader(ArchiveLimits.defaults())
          .read(
              in,
              bytes -> {
                manifest[0] = bytes;
                throw new StopAfterManifest();
              },
              EntrySink.DISCARD);
    } catch (StopAfterManifest stop) {
      // read as far as needed
    } catch (IOException e) {
      throw new StorageException("cannot read " + archive + ": " + e.getMessage(), e);
    }
    if (manifest[0] == null) {
      throw new VerificationException(what + " is missing");
    }
    ObjectNode o = Json.parseObjectWithout(withoutFiles(manifest[0]), what, LEFT_OUT);
    if (o == null) {
      throw new VerificationException(what + " is not a JSON object");
    }
    return PackageDescriptor.parse(CanonicalJson.bytes(o), what);
  }

  /**
   * The manifest without its top-level "files" member, cut out by a scan that only tracks strings
   * and brackets: tokenizing a 20,000-entry list was half the cost of reading the manifest, and the
   * list is not used. The rest is still parsed strictly; a document the scan cannot follow is
   * returned whole, for the parser to judge.
   */
  static byte[] withoutFiles(byte[] doc) {
    int i = skipSpace(doc, 0);
    if (i >= doc.length || doc[i] != '{') {
      return doc;
    }
    i++;
    int previousEnd = -1; // where the member before the current one ended
    while (true) {
      i = skipSpace(doc, i);
      if (i >= doc.length || doc[i] != '"') {
        return doc;
      }
      int keyStart = i;
      int keyEnd = skipString(doc, i);
      if (keyEnd < 0) {
        return doc;
      }
      i = skipSpace(doc, keyEnd);
      if (i >= doc.length || doc[i] != ':') {
        return doc;
      }
      int valueEnd = skipValue(doc, skipSpace(doc, i + 1));
      if (valueEnd < 0) {
        return doc;
      }
      if (isKey(doc, keyStart, keyEnd, FILES_KEY)) {
        int after = skipSpace(doc, valueEnd);
        if (after < doc.length && doc[after] == ',') {
          return cut(doc, keyStart, after + 1);
        }
        return previousEnd < 0 ? cut(doc, keyStart, valueEnd) : cut(doc, previousEnd, valueEnd);
      }
      i = skipSpace(doc, valueEnd);
      if (i >= doc.length || doc[i] != ',') {
        return doc;
      }
      previousEnd = valueEnd;
      i++;
    }
  }

  private static final byte[] FILES_KEY = "\"files\"".getBytes(StandardCharsets.US_ASCII);

  private static boolean isKey(byte[] doc, int from, int to, byte[] key) {
    return Arrays.equals(doc, from, to, key, 0, key.length);
  }

  private static byte[] cut(byte[] doc, int from, int to) {
    byte[] out = new byte[doc.length - (to - from)];
    System.arraycopy(doc, 0, out, 0, from);
    System.arraycopy(doc, to, out, from, doc.length - to);
    return out;
  }

  private static int skipSpace(byte[] doc, int i) {
    while (i < doc.length
        && (doc[i] == ' ' || doc[i] == '\n' || doc[i] == '\r' || doc[i] == '\t')) {
      i++;
    }
    return i;
  }

  /** The index after the string starting at {@code i}, or -1 when it does not end. */
  private static int skipString(byte[] doc, int i) {
    for (int j = i + 1; j < doc.length; j++) {
      if (doc[j] == '\\') {
        j++;
      } else if (doc[j] == '"') {
        return j + 1;
      }
    }
    return -1;
  }

  /** The index after the value starting at {@code i}, or -1 when the scan cannot tell. */
  private static int skipValue(byte[] doc, int i) {
    if (i >= doc.length) {
      return -1;
    }
    if (doc[i] == '"') {
      return skipString(doc, i);
    }
    int depth = 0;
    for (int j = i; j < doc.length; j++) {
      byte b = doc[j];
      if (b == '"') {
        j = skipString(doc, j);
        if (j < 0) {
          return -1;
        }
        j--;
      } else if (b == '[' || b == '{') {
        depth++;
      } else if (b == ']' || b == '}') {
        if (depth == 0) {
          return j; // the end of a scalar, at the enclosing object's close
        }
        if (--depth == 0) {
          return j + 1;
        }
      } else if (b == ',' && depth == 0) {
        return j;
      }
    }
    return -1;
  }

  private static final class StopAfterManifest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopAfterManifest() {
      super(null, null, false, false);
    }
  }
}
