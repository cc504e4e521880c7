package dev.agentpkg.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest, so it needs no other class. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"agentpkg " + (v == null ? "0.1.0-dev" : v)};
  }
}
