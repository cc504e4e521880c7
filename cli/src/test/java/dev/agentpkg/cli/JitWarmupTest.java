package dev.agentpkg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JitWarmupTest {
  @Test
  void onlyTheHashingCommandsWantAWarmUp() {
    assertThat(JitWarmup.wanted("install", "--archive", "a.tar.gz")).isTrue();
    assertThat(JitWarmup.wanted("--root", "/r", "integrity", "check", "--json")).isTrue();
    assertThat(JitWarmup.wanted("pack", "--src", "x")).isTrue();
    assertThat(JitWarmup.wanted("list", "--json")).isFalse();
    assertThat(JitWarmup.wanted("--version")).isFalse();
    assertThat(JitWarmup.wanted("run", "PKG-T1-A-001", "--", "install")).isFalse();
    assertThat(JitWarmup.wanted()).isFalse();
  }

  @Test
  void theWarmUpEndsOnItsOwn() throws InterruptedException {
    JitWarmup.start("verify", "x.tar.gz");
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("agentpkg-jit-warmup")) {
        assertThat(t.isDaemon()).isTrue();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
      }
    }
  }
}
