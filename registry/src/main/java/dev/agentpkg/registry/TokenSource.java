package dev.agentpkg.registry;

import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.core.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Where the token text comes from: --token, --token-file, or AGENTPKG_TOKEN. */
public final class TokenSource {
  public static final String ENV = "AGENTPKG_TOKEN";

  private TokenSource() {}

  /** The token text, or empty when none was given anywhere. */
  public static Optional<String> resolve(
      AppContext ctx, Optional<String> token, Optional<String> tokenFile) {
    if (token.isPresent() && tokenFile.isPresent()) {
      throw new UsageException("give only one of --token and --token-file");
    }
    if (token.isPresent()) {
      return token;
    }
    if (tokenFile.isPresent()) {
      Path file = ctx.path(tokenFile.get());
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String first = r.readLine();
        if (first == null || first.isBlank()) {
          throw new UsageException("token file " + file + " is empty");
        }
        return Optional.of(first.trim());
      } catch (NoSuchFileException e) {
        throw new NotFoundException("token file " + file + " not found", e);
      } catch (IOException e) {
        throw new StorageException("cannot read token file " + file + ": " + e.getMessage(), e);
      }
    }
    return ctx.envValue(ENV);
  }
}
