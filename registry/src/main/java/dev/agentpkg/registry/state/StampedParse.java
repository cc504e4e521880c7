package dev.agentpkg.registry.state;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One file's parse, kept while the file's {@link FileStamp} stays the same; the value must be
 * immutable, since every caller gets the same one.
 */
final class StampedParse<T> {
  private FileStamp stamp;
  private T value;

  T get(Path file, Supplier<T> parse) {
    Optional<FileStamp> now = FileStamp.of(file);
    if (value != null && now.isPresent() && now.get().equals(stamp)) {
      return value;
    }
    T parsed = parse.get();
    stamp = now.orElse(null);
    value = now.isPresent() ? parsed : null;
    return parsed;
  }
}
