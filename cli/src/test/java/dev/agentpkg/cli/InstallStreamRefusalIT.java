package dev.agentpkg.cli;

import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile archive streams refused by {@code agentpkg install}: signatures and what they bind,
 * decompression bombs, entry-count, path and header limits, truncation and trailing data. The big
 * ones (10 GiB inflated, 1,000,000 entries, a 64 MiB header) must be refused within seconds.
 */
class InstallStreamRefusalIT extends InstallRefusalBase {
  static List<InstallCases.Case> cases() {
    return InstallCases.group(InstallCases.Group.STREAMS);
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refused(InstallCases.Case c) throws Exception {
    refuse(c);
  }
}
