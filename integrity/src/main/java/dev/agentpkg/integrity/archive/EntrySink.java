package dev.agentpkg.integrity.archive;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where payload bytes go while they are verified. The bytes arrive before their hash is known to be
 * right, so a sink must write somewhere disposable (staging) that the caller discards when the read
 * fails. The reader closes each stream it opens.
 */
@FunctionalInterface
public interface EntrySink {
  /** Verification only: every byte is hashed and dropped. */
  EntrySink DISCARD = file -> OutputStream.nullOutputStream();

  OutputStream open(ExpectedFile file) throws IOException;
}
