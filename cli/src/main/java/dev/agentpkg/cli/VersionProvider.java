package dev.agentpkg.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest, so it needs no other class. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {Main.versionLine()};
  }
}
