package dev.agentpkg.cli;

import static dev.agentpkg.cli.InstallArchiveBuilder.lib;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.cli.InstallArchiveBuilder.Payload;
import dev.agentpkg.cli.InstallArchiveBuilder.Tar;
import dev.agentpkg.integrity.crypto.Ed25519PrivateKey;
import dev.agentpkg.integrity.crypto.Statement;
import dev.agentpkg.integrity.manifest.PathRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Every hostile archive the install refusal suites feed to {@code agentpkg install}, with the exit
 * code(s) and a distinctive stderr substring (any one of {@code stderr} must appear). Each is
 * signed by the trusted key over a correct statement unless the case is about the signature itself,
 * so only the check under test stands in the way.
 */
final class InstallCases {
  static final String ID = "PKG-T2-EVIL-001";
  static final String VERSION = "1.0.0";
  static final String L = lib(ID);
  static final long GIB = 1L << 30;
  static final long TEN_GIB = 10 * GIB;
  static final int MIB = 1 << 20;
  static final int SIXTY_FOUR_MIB = 64 * MIB;
  static final String NFC = "caf\u00e9.txt";
  static final String NFD = "cafe\u0301.txt";

  /** A key nobody trusts, for the untrusted-signer case. */
  static final Ed25519PrivateKey STRANGER = Ed25519PrivateKey.generate(new SecureRandom());

  enum Group {
    /** Entry names that escape or mislead, links and special entry types. */
    NAMES,
    /** Modes, duplicates, manifest/content agreement, colliding names, manifest model rules. */
    CONTENTS,
    /** Signature and statement binding, bombs and limits, truncation and trailing data. */
    STREAMS
  }

  record Case(
      String name,
      Group group,
      Set<Integer> exits,
      List<String> stderr,
      Supplier<InstallArchiveBuilder> archive) {
    @Override
    public String toString() {
      return name;
    }
  }

  @FunctionalInterface
  interface Extra {
    void write(Tar t) throws IOException;
  }

  private InstallCases() {}

  static InstallArchiveBuilder evil() {
    return InstallArchiveBuilder.standard(ID, VERSION);
  }

  static InstallArchiveBuilder evil(InstallArchiveBuilder.Body body) {
    return evil().body(body);
  }

  /** The valid archive with {@code extra} written after the payload, before the tar end. */
  static InstallArchiveBuilder evilPlus(Extra extra) {
    return evil(
        t -> {
          t.manifest();
          t.payload();
          extra.write(t);
          t.end();
        });
  }

  static List<Case> all() {
    List<Case> c = new ArrayList<>();
    Group e = Group.NAMES;
    // --- names that escape or mean different things on different systems
    c.add(
        c3(e, "entry ../../x", "'..' path component", () -> evilPlus(t -> t.file("../../x", "x"))));
    c.add(c3(e, "entry /abs/x", "absolute name", () -> evilPlus(t -> t.file("/abs/x", "x"))));
    c.add(
        c3(
            e,
            "entry a/../../x",
            "'..' path component",
            () -> evilPlus(t -> t.file("a/../../x", "x"))));
    c.add(c3(e, "entry ..\\x", "backslash", () -> evilPlus(t -> t.file("..\\x", "x"))));
    c.add(c3(e, "entry C:x", "drive letter", () -> evilPlus(t -> t.file("C:x", "x"))));
    c.add(c3(e, "entry ./x", "'.' path component", () -> evilPlus(t -> t.file("./x", "x"))));
    c.add(
        c3(
            e,
            "entry reaching the sibling outside dir",
            "'..' path component",
            () -> evilPlus(t -> t.file("../../../../outside/pwned", "x"))));
    c.add(
        c3(
            e,
            "PAX path ../x",
            "'..' path component",
            () ->
                evilPlus(
                    t -> {
                      t.pax("path", "../x");
                      t.file("harmless.txt", "x");
                    })));
    c.add(
        c3(
            e,
            "GNU long name ../x",
            "'..' path component",
            () ->
                evilPlus(
                    t -> {
                      t.gnuLongName("../" + "x".repeat(120));
                      t.file("harmless.txt", "x");
                    })));
    c.add(
        c3(
            e,
            "NUL in a ustar name",
            "NUL in name",
            () ->
                evilPlus(
                    t -> {
                      byte[] name = (L + "c.txt\0.sh").getBytes(StandardCharsets.UTF_8);
                      t.entry(
                          Tar.header(name, new byte[0], Tar.REG, 1, 0644, new byte[0]),
                          new byte[] {'x'});
                    })));
    c.add(
        c3(
            e,
            "NUL in a PAX path",
            "NUL in name",
            () ->
                evilPlus(
                    t -> {
                      t.pax("path", L + "c.txt\0x");
                      t.file("harmless.txt", "x");
                    })));
    c.add(
        c3(
            e,
            "control character in a name",
            "control character",
            () -> evilPlus(t -> t.file(L + "\u001b[1mc.txt", "x"))));
    c.add(
        c3(
            e,
            "component of 300 bytes",
            "longer than 255 bytes",
            () ->
                evilPlus(
                    t -> {
                      t.pax("path", L + "c".repeat(300));
                      t.file("harmless.txt", "x");
                    })));
    c.add(
        c3(
            e,
            "4,096-deep path",
            "longer than 1024 bytes",
            () ->
                evilPlus(
                    t -> {
                      t.pax("path", "a/".repeat(4095) + "x");
                      t.file("harmless.txt", "x");
                    })));
    c.add(
        c3(
            e,
            "200-deep path within 1024 bytes",
            "deeper than 64",
            () ->
                evilPlus(
                    t -> {
                      t.pax("path", "a/".repeat(199) + "x");
                      t.file("harmless.txt", "x");
                    })));

    // --- links and special files
    c.add(
        c3(
            e,
            "symlink to outside the root",
            "symlink",
            () -> evilPlus(t -> t.special(L + "c.txt", Tar.SYMLINK, "/etc/passwd"))));
    c.add(
        c3(
            e,
            "symlink to inside the root",
            "symlink",
            () -> evilPlus(t -> t.special(L + "c.txt", Tar.SYMLINK, "a.txt"))));
    c.add(
        c3(
            e,
            "hardlink to outside the root",
            "hardlink",
            () -> evilPlus(t -> t.special(L + "c.txt", Tar.HARDLINK, "/etc/passwd"))));
    c.add(
        c3(
            e,
            "hardlink to inside the root",
            "hardlink",
            () -> evilPlus(t -> t.special(L + "c.txt", Tar.HARDLINK, L + "a.txt"))));
    c.add(
        c3(
            e,
            "symlink entry then a file written through it",
            "symlink",
            () ->
                evil(
                    t -> {
                      t.manifest();
                      t.special("modules/" + ID + "/lib", Tar.SYMLINK, "../../../../outside");
                      t.payload();
                      t.end();
                    })));
    c.add(
        c3(
            e,
            "PAX linkpath on a file",
            "linkpath",
            () ->
                evilPlus(
                    t -> {
                      t.pax("linkpath", "/etc/passwd");
                      t.file(L + "c.txt", "x");
                    })));
    c.add(
        c3(
            e,
            "character device",
            "character device",
            () -> evilPlus(t -> t.special(L + "c.txt", Tar.CHAR_DEVICE, ""))));
    c.add(
        c3(
            e,
            "block device",
            "block device",
            () -> evilPlus(t -> t.special(L + "c.txt", Tar.BLOCK_DEVICE, ""))));
    c.add(c3(e, "FIFO", "FIFO", () -> evilPlus(t -> t.special(L + "c.txt", Tar.FIFO, ""))));
    c.add(
        c3(
            e,
            "GNU sparse entry type",
            "sparse",
            () ->
                evilPlus(
                    t ->
                        t.entry(
                            Tar.header(L + "c.txt", Tar.GNU_SPARSE, 1, 0644, ""),
                            new byte[] {'x'}))));
    c.add(
        c3(
            e,
            "PAX sparse records",
            "sparse",
            () ->
                evilPlus(
                    t -> {
                      t.pax(
                          "GNU.sparse.major", "1",
                          "GNU.sparse.minor", "0",
                          "GNU.sparse.name", L + "c.txt",
                          "GNU.sparse.realsize", "1");
                      t.file(L + "c.txt", "x");
                    })));
    c.add(
        c3(
            e,
            "unknown entry type",
            "unknown type flag",
            () ->
                evilPlus(
                    t -> t.entry(Tar.header(L + "c.txt", 'Z', 1, 0644, ""), new byte[] {'x'}))));
    c.add(
        c3(
            e,
            "contiguous file type",
            "contiguous",
            () ->
                evilPlus(
                    t ->
                        t.entry(
                            Tar.header(L + "c.txt", Tar.CONTIGUOUS, 1, 0644, ""),
                            new byte[] {'x'}))));
    c.add(
        c3(
            e,
            "global PAX header",
            "global PAX header",
            () ->
                evilPlus(
                    t -> {
                      byte[] data = Tar.paxRecord("comment", "x").getBytes(StandardCharsets.UTF_8);
                      t.entry(
                          Tar.header("pax_global_header", Tar.PAX_GLOBAL, data.length, 0644, ""),
                          data);
                      t.file(L + "c.txt", "x");
                    })));

    e = Group.CONTENTS;
    // --- modes
    c.add(c3(e, "setuid file", "setuid/setgid/sticky", () -> evil(withAMode(04644))));
    c.add(c3(e, "setgid file", "setuid/setgid/sticky", () -> evil(withAMode(02644))));
    c.add(
        c3(
            e,
            "sticky directory",
            "setuid/setgid/sticky",
            () ->
                evil(
                    t -> {
                      t.manifest();
                      t.dir("modules/", 01755);
                      t.payload();
                      t.end();
                    })));
    c.add(c3(e, "mode differs from the manifest", "mode 0755", () -> evil(withAMode(0755))));

    // --- duplicates and manifest/content agreement
    c.add(
        c3(
            e,
            "the same path twice",
            "duplicate path",
            () -> evilPlus(t -> t.file(L + "a.txt", "alpha\n"))));
    c.add(
        c3(
            e,
            "a file then a directory with the same path",
            "duplicate path",
            () -> evilPlus(t -> t.dir(L + "a.txt"))));
    c.add(
        c3(
            e,
            "a directory then a file with the same path",
            "directory entry where the manifest lists a file",
            () ->
                evil(
                    t -> {
                      t.manifest();
                      t.dir(L + "a.txt");
                      t.payload();
                      t.end();
                    })));
    c.add(
        c3(
            e,
            "an entry missing from the manifest",
            "not in the manifest",
            () -> evilPlus(t -> t.file(L + "c.txt", "x"))));
    c.add(
        c3(
            e,
            "a manifest entry missing from the archive",
            "lacks it",
            () ->
                evil(
                    t -> {
                      t.manifest();
                      t.payloadExcept("b.txt");
                      t.end();
                    })));
    c.add(
        c3(
            e,
            "size differs from the manifest",
            "size 7 differs",
            () ->
                evil(
                    t -> {
                      t.manifest();
                      t.file(L + "a.txt", "alpha!\n");
                      t.payloadExcept("a.txt");
                      t.end();
                    })));
    c.add(
        c3(
            e,
            "hash differs from the manifest",
            "SHA-256",
            () ->
                evil(
                    t -> {
                      t.manifest();
                      t.file(L + "a.txt", "ALPHA\n");
                      t.payloadExcept("a.txt");
                      t.end();
                    })));
    c.add(
        c3(
            e,
            "manifest.json not first",
            "first entry must be manifest.json",
            () ->
                evil(
                    t -> {
                      t.payload();
                      t.manifest();
                      t.end();
                    })));
    c.add(c3(e, "manifest.json twice", "second manifest.json", () -> evilPlus(Tar::manifest)));
    c.add(c3(e, "no entries at all", "manifest.json missing", () -> evil(Tar::end)));
    c.add(
        c3(
            e,
            "manifest.json not canonical",
            "canonical",
            () -> evil().rawManifest(b -> insertSpaceAfterBrace(b))));

    // --- names that collide after case-folding or NFC normalisation
    c.add(
        c3(
            e,
            "a case-folded twin of a listed file",
            "lib/A.txt",
            () -> evilPlus(t -> t.file(L + "A.txt", "alpha\n"))));
    c.add(
        c3(
            e,
            "an NFD twin of a listed NFC file",
            "not in the manifest",
            () ->
                evil()
                    .file(L + NFC, "cafe\n")
                    .body(
                        t -> {
                          t.manifest();
                          t.payload();
                          t.file(L + NFD, "cafe\n");
                          t.end();
                        })));
    c.add(
        c(
            e,
            "manifest listing names equal after case-folding",
            Set.of(2),
            List.of("differ only in case"),
            () ->
                evil()
                    .declareFiles(
                        List.of(
                            payload(L + "a.txt", "alpha\n"),
                            payload(L + "A.txt", "ALPHA\n"),
                            payload(L + "b.txt", "beta\n")))));
    c.add(
        c(
            e,
            "manifest listing names equal after NFC normalisation",
            Set.of(2),
            List.of("NFC"),
            () ->
                evil()
                    .declareFiles(List.of(payload(L + NFC, "one\n"), payload(L + NFD, "two\n")))));

    // --- manifests the model refuses (hand-written canonical JSON)
    c.add(
        c(
            e,
            "a G0 package with dependencies",
            Set.of(2, 6),
            List.of("may not have dependencies"),
            () ->
                InstallArchiveBuilder.standard("PKG-G0-EVIL-001", VERSION)
                    .editManifest(withDependency("PKG-G0-BASE-001", ">=1.0.0"))));
    c.add(
        c(
            e,
            "a dependency of a less trusted tier",
            Set.of(2, 6),
            List.of("PKG-T2-LIB-001"),
            () ->
                InstallArchiveBuilder.standard("PKG-T1-EVIL-001", VERSION)
                    .editManifest(withDependency("PKG-T2-LIB-001", ">=1.0.0"))));
    c.add(
        c(
            e,
            "a file under registries/",
            Set.of(2, 3),
            List.of("reserved"),
            () ->
                evil()
                    .declareFiles(
                        List.of(
                            payload(L + "a.txt", "alpha\n"),
                            payload("registries/packages_registry.csv", "package_id\n")))));
    c.add(
        c(
            e,
            "a file under .agentpkg/",
            Set.of(2, 3),
            List.of("reserved"),
            () ->
                evil()
                    .declareFiles(
                        List.of(
                            payload(".agentpkg/journal/evil.json", "{}"),
                            payload(L + "a.txt", "alpha\n")))));

    Group s = Group.STREAMS;
    // --- the signature and what it binds
    c.add(c(s, "unsigned", Set.of(6), List.of("unsigned", ".sig"), () -> evil().unsigned()));
    c.add(
        c(
            s,
            "signed only by an untrusted key",
            Set.of(6),
            List.of(STRANGER.publicKey().keyId()),
            () -> evil().signedBy(STRANGER)));
    c.add(
        c(
            s,
            "statement for other archive bytes",
            Set.of(3),
            List.of("signed statement covers", "archive sha256", "archive_sha256"),
            () -> evil().noChecksumSidecar().statement(InstallCases::coveringOtherBytes)));
    // the signature is checked before the archive is read, but what the file's bytes say still
    // comes first: a statement for other bytes is exit 3 even when its signer is not trusted
    c.add(
        c(
            s,
            "untrusted signer of a statement for other archive bytes",
            Set.of(3),
            List.of("signed statement covers", "archive sha256", "archive_sha256"),
            () ->
                evil()
                    .signedBy(STRANGER)
                    .noChecksumSidecar()
                    .statement(InstallCases::coveringOtherBytes)));
    c.add(
        c3(
            s,
            ".sha256 sidecar disagrees",
            ".sha256",
            () -> evil().checksumSidecarSays("f".repeat(64))));
    c.add(
        c3(
            s,
            "manifest id differs from the statement",
            "PKG-T2-OTHER-001",
            () ->
                evil()
                    .statement(
                        st ->
                            new Statement(
                                st.archiveSha256(),
                                "PKG-T2-OTHER-001",
                                st.manifestSha256(),
                                st.tier(),
                                st.version()))));
    c.add(
        c3(
            s,
            "manifest version differs from the statement",
            "9.9.9",
            () ->
                evil()
                    .statement(
                        st ->
                            new Statement(
                                st.archiveSha256(),
                                st.id(),
                                st.manifestSha256(),
                                st.tier(),
                                "9.9.9"))));
    c.add(
        c3(
            s,
            "manifest tier differs from the statement",
            "T3",
            () ->
                evil()
                    .statement(
                        st ->
                            new Statement(
                                st.archiveSha256(),
                                "PKG-T3-EVIL-001",
                                st.manifestSha256(),
                                "T3",
                                st.version()))));
    c.add(
        c3(
            s,
            "manifest bytes differ from the statement",
            "signature covers",
            () ->
                evil()
                    .statement(
                        st ->
                            new Statement(
                                st.archiveSha256(),
                                st.id(),
                                "0".repeat(64),
                                st.tier(),
                                st.version()))));

    // --- bombs and limits (big ones are cheap to write: see InstallArchiveBuilder.Gz#zeros)
    c.add(
        c3(
            s,
            "entry declaring 10 GiB (10 MB of gzip inflating to 10 GiB)",
            "per-entry limit",
            InstallCases::tenGibEntry));
    c.add(
        c3(
            s,
            "10 GiB of zeros inflating past the tar end",
            "trailing data after the tar end",
            () ->
                evil(
                    t -> {
                      t.standard();
                      t.zeros(TEN_GIB);
                    })));
    c.add(c3(s, "1,000,000 empty entries", "entries", InstallCases::millionEntries));
    c.add(
        c3(
            s,
            "64 MiB PAX header",
            "PAX header of 67108864 bytes",
            () -> evilPlus(t -> hugeExtendedHeader(t, Tar.PAX, "path="))));
    c.add(
        c3(
            s,
            "64 MiB GNU long name",
            "long-name header of 67108864 bytes",
            () -> evilPlus(t -> hugeExtendedHeader(t, Tar.GNU_LONG_NAME, null))));

    // --- truncation and trailing data
    c.add(
        c3(
            s,
            "gzip cut off mid-entry",
            "truncated",
            () ->
                evil(
                    t -> {
                      t.manifest();
                      t.raw(Tar.header(L + "a.txt", Tar.REG, 6, 0644, ""));
                      t.raw("alp".getBytes(StandardCharsets.UTF_8));
                      t.gz.truncateHere();
                    })));
    c.add(
        c3(
            s,
            "tar without its end marker",
            "truncated",
            () ->
                evil(
                    t -> {
                      t.manifest();
                      t.payload();
                    })));
    c.add(
        c3(
            s,
            "data after the tar end",
            "trailing data after the tar end",
            () ->
                evil(
                    t -> {
                      t.standard();
                      t.raw("#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.UTF_8));
                    })));
    c.add(
        c3(
            s,
            "a second gzip member",
            "after the gzip member",
            () ->
                evil(
                    t -> {
                      t.standard();
                      t.gz.finishMember();
                      t.file(L + "c.txt", "x");
                      t.end();
                    })));
    c.add(
        c3(
            s,
            "raw bytes after the gzip member",
            "after the gzip member",
            () ->
                evil(
                    t -> {
                      t.standard();
                      t.gz.rawAfterMember("trailing".getBytes(StandardCharsets.UTF_8));
                    })));
    c.add(
        c3(
            s,
            "not gzip at all",
            "not a gzip stream",
            () ->
                evil(t -> t.gz.rawAfterMember(Tar.header("manifest.json", Tar.REG, 0, 0644, "")))));
    c.add(
        c3(
            s,
            "bad tar header checksum",
            "checksum",
            () ->
                evilPlus(
                    t -> {
                      byte[] h = Tar.header(L + "c.txt", Tar.REG, 1, 0644, "");
                      h[0] ^= 1;
                      t.entry(h, new byte[] {'x'});
                    })));
    return List.copyOf(c);
  }

  static List<Case> group(Group g) {
    return all().stream().filter(x -> x.group() == g).toList();
  }

  private static Case c3(Group g, String name, String stderr, Supplier<InstallArchiveBuilder> a) {
    return new Case(name, g, Set.of(3), List.of(stderr), a);
  }

  private static Case c(
      Group g,
      String name,
      Set<Integer> exits,
      List<String> stderr,
      Supplier<InstallArchiveBuilder> a) {
    return new Case(name, g, exits, stderr, a);
  }

  static Payload payload(String path, String content) {
    return new Payload(path, content.getBytes(StandardCharsets.UTF_8), "0644");
  }

  /** The standard payload, but a.txt written with {@code mode}. */
  private static InstallArchiveBuilder.Body withAMode(long mode) {
    return t -> {
      t.manifest();
      t.file(L + "a.txt", "alpha\n".getBytes(StandardCharsets.UTF_8), mode);
      t.payloadExcept("a.txt");
      t.end();
    };
  }

  static UnaryOperator<ObjectNode> withDependency(String depId, String range) {
    return m -> {
      ((ArrayNode) m.get("dependencies")).addObject().put("id", depId).put("version", range);
      return m;
    };
  }

  /** Adds a file entry to the manifest JSON, keeping {@code files} sorted. */
  static UnaryOperator<ObjectNode> withFileEntry(String path, String sha256, long size) {
    return m -> {
      List<JsonNode> entries = new ArrayList<>();
      m.get("files").forEach(entries::add);
      ObjectNode added = m.objectNode();
      added.put("mode", "0644").put("path", path).put("sha256", sha256).put("size", size);
      entries.add(added);
      entries.sort(Comparator.comparing(n -> n.get("path").asText(), PathRules.UTF8_ORDER));
      ArrayNode files = m.putArray("files");
      entries.forEach(files::add);
      return m;
    };
  }

  private static byte[] insertSpaceAfterBrace(byte[] b) {
    byte[] out = new byte[b.length + 1];
    out[0] = b[0];
    out[1] = ' ';
    System.arraycopy(b, 1, out, 2, b.length - 1);
    return out;
  }

  /**
   * One entry the manifest lists at 10 GiB, with 10 GiB of real zeros behind its header: the
   * archive is ~10 MB. Its manifest digest is a placeholder: hashing 10 GiB would take seconds and
   * a reader must refuse the entry by its declared size before reading any of it.
   */
  static InstallArchiveBuilder tenGibEntry() {
    return evil()
        .editManifest(withFileEntry(L + "big.bin", "0".repeat(64), TEN_GIB))
        .body(
            t -> {
              t.manifest();
              t.payload();
              t.raw(Tar.header(L + "big.bin", Tar.REG, TEN_GIB, 0644, ""));
              t.zeros(TEN_GIB);
              t.end();
            });
  }

  static final int DEEP_FILES = 1600;
  static final int DEEP_LEVELS = 61;
  static final int MILLION = 1_000_000;

  static String deepDir(int i, int level) {
    return String.format(Locale.ROOT, "m/d%04d", i) + "/x".repeat(level);
  }

  /**
   * 1,000,000 empty entries. The first ~100,800 are all acceptable on their own (1,600 empty files
   * listed in the manifest, each 64 components deep, preceded by its 62 parent directories), so
   * only the entry-count limit can stop them; the rest are more empty files (their names repeat
   * every 2,048 entries, which a reader never gets to see).
   */
  static InstallArchiveBuilder millionEntries() {
    InstallArchiveBuilder b = InstallArchiveBuilder.pkg(ID, VERSION);
    for (int i = 0; i < DEEP_FILES; i++) {
      b.file(deepDir(i, DEEP_LEVELS) + "/f", new byte[0], "0644");
    }
    return b.body(
        t -> {
          t.manifest();
          long entries = 1;
          t.dir("m");
          entries++;
          for (int i = 0; i < DEEP_FILES; i++) {
            String d = deepDir(i, 0);
            t.dir(d);
            entries++;
            for (int level = 1; level <= DEEP_LEVELS; level++) {
              d += "/x";
              t.dir(d);
              entries++;
            }
            t.file(d + "/f", new byte[0], 0644);
            entries++;
          }
          // the filler: units of 2,048 empty files (m/e/0000 to m/e/2047), spliced as one
          // compressed chunk each so that writing ~900,000 headers costs milliseconds
          int perUnit = 2048;
          byte[] unit = new byte[perUnit * Tar.BLOCK];
          for (int i = 0; i < perUnit; i++) {
            byte[] h = Tar.header(String.format(Locale.ROOT, "m/e/%04d", i), Tar.REG, 0, 0644, "");
            System.arraycopy(h, 0, unit, i * Tar.BLOCK, Tar.BLOCK);
          }
          long filler = MILLION - entries;
          t.gz.repeat(unit, filler / perUnit);
          t.raw(Arrays.copyOf(unit, (int) (filler % perUnit) * Tar.BLOCK));
          t.end();
        });
  }

  /**
   * A 64 MiB extended header, its data written in full (a well-formed 64 MiB PAX record, or a 64
   * MiB long name) and then a harmless file: a reader must refuse it by its declared size.
   */
  static void hugeExtendedHeader(Tar t, int type, String paxKey) throws IOException {
    t.raw(
        Tar.header(
            type == Tar.PAX ? "PaxHeaders.0/big" : "././@LongLink",
            type,
            SIXTY_FOUR_MIB,
            0644,
            ""));
    byte[] chunk = new byte[MIB];
    Arrays.fill(chunk, (byte) 'a');
    long left = SIXTY_FOUR_MIB;
    if (paxKey != null) {
      byte[] prefix = (SIXTY_FOUR_MIB + " " + paxKey).getBytes(StandardCharsets.UTF_8);
      t.raw(prefix);
      left -= prefix.length;
    }
    while (left > MIB) {
      t.raw(chunk);
      left -= MIB;
    }
    byte[] last = Arrays.copyOf(chunk, (int) left);
    last[last.length - 1] = (byte) (paxKey != null ? '\n' : 0);
    t.raw(last);
    t.file("harmless.txt", "x");
  }

  /** The same statement, but for an archive digest no real file has. */
  private static Statement coveringOtherBytes(Statement st) {
    return new Statement("0".repeat(64), st.id(), st.manifestSha256(), st.tier(), st.version());
  }
}
