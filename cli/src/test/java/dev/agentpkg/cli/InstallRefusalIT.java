package dev.agentpkg.cli;

import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile archive entries refused by {@code agentpkg install}: names that escape the root or mean
 * different things on different systems (traversal, absolute, drive, backslash, NUL, PAX and GNU
 * long names), links and special entry types. Each is validly signed by a trusted key, so only the
 * check under test refuses it.
 */
class InstallRefusalIT extends InstallRefusalBase {
  static List<InstallCases.Case> cases() {
    return InstallCases.group(InstallCases.Group.NAMES);
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refused(InstallCases.Case c) throws Exception {
    refuse(c);
  }
}
