package dev.agentpkg.cli;

import dev.agentpkg.registry.Durations;
import dev.agentpkg.registry.TokenSource;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options of every mutating command: the admin token and how long to wait for the root lock. */
final class TokenOptions {
  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Admin token (agp_<id>_<secret>); else --token-file, else $AGENTPKG_TOKEN.")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from FILE.")
  String tokenFile;

  @Option(
      names = "--lock-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description = "How long to wait for the root lock (default: ${DEFAULT-VALUE}; 0 = no wait).")
  String lockTimeout;

  Optional<String> tokenText(CliEnv env) {
    return TokenSource.resolve(
        env.ctx(), Optional.ofNullable(token), Optional.ofNullable(tokenFile));
  }

  Duration lockTimeout() {
    if (lockTimeout.equals("0") || lockTimeout.equals("0s")) {
      return Duration.ZERO;
    }
    return Durations.parse(lockTimeout);
  }
}
