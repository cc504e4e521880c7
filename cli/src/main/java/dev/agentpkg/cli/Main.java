package dev.agentpkg.cli;

/** Placeholder replaced by the CLI. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {}
}
