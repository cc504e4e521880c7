package dev.agentpkg.cli;

import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Archives whose entries are each harmless on their own but break the archive's contract, refused
 * by {@code agentpkg install}: special mode bits, duplicates, files and directories sharing a path,
 * disagreement between manifest and content, names colliding after case-folding or NFC
 * normalisation, manifests the model refuses (G0 with dependencies, a less trusted dependency,
 * reserved paths). Each is validly signed by a trusted key.
 */
class InstallContentRefusalIT extends InstallRefusalBase {
  static List<InstallCases.Case> cases() {
    return InstallCases.group(InstallCases.Group.CONTENTS);
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refused(InstallCases.Case c) throws Exception {
    refuse(c);
  }
}
