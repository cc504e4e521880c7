package dev.agentpkg.integrity.crypto;

import dev.agentpkg.core.UsageException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Minimal RFC 7468 PEM reading and writing: one labelled block, base64 body. */
final class Pem {
  static final String PUBLIC = "PUBLIC KEY";
  static final String PRIVATE = "PRIVATE KEY";
  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";
  // Key files are a few hundred bytes; refusing large input keeps garbage from costing memory.
  static final int MAX_LENGTH = 64 * 1024;

  private Pem() {}

  /** A decoded block: its label (e.g. {@code PUBLIC KEY}) and DER bytes. */
  record Block(String label, byte[] der) {}

  static Block decode(String text) {
    if (text == null || text.isBlank()) {
      throw new UsageException("empty input, expected a PEM block");
    }
    if (text.length() > MAX_LENGTH) {
      throw new UsageException("too large for a key PEM (" + text.length() + " characters)");
    }
    int begin = text.indexOf(BEGIN);
    if (begin < 0) {
      throw new UsageException("no '-----BEGIN ...-----' line, not a PEM file");
    }
    int labelStart = begin + BEGIN.length();
    int labelEnd = text.indexOf(DASHES, labelStart);
    int lineEnd = text.indexOf('\n', labelStart);
    if (labelEnd < 0 || (lineEnd >= 0 && labelEnd > lineEnd)) {
      throw new UsageException("malformed '-----BEGIN' line");
    }
    String label = text.substring(labelStart, labelEnd);
    String endLine = END + label + DASHES;
    int end = text.indexOf(endLine, labelEnd);
    if (end < 0) {
      throw new UsageException("missing '" + endLine + "' line (truncated?)");
    }
    String body = text.substring(labelEnd + DASHES.length(), end);
    StringBuilder b64 = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        continue;
      }
      if (c == ':') {
        // RFC 1421 headers such as "Proc-Type: 4,ENCRYPTED" mark legacy encrypted keys.
        throw new UsageException("PEM headers are not supported (encrypted legacy key?)");
      }
      b64.append(c);
    }
    if (b64.length() == 0) {
      throw new UsageException("empty PEM body");
    }
    try {
      return new Block(label, Base64.getDecoder().decode(b64.toString()));
    } catch (IllegalArgumentException e) {
      throw new UsageException("PEM body is not valid base64: " + e.getMessage(), e);
    }
  }

  static String encode(String label, byte[] der) {
    String body =
        new String(
            Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encode(der),
            StandardCharsets.US_ASCII);
    return BEGIN + label + DASHES + "\n" + body + "\n" + END + label + DASHES + "\n";
  }
}
