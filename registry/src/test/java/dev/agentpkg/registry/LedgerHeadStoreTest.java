package dev.agentpkg.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.VerificationException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class LedgerHeadStoreTest {
  private static final String H = "sha256:" + "a".repeat(64);

  @Test
  void emptyAfterInitThenRoundTrips() throws Exception {
    try (FileSystem fs = TestRoots.jimfs()) {
      Root root = TestRoots.initRoot(fs).root();
      LedgerHeadStore store = new LedgerHeadStore(root);
      assertThat(store.read()).isEmpty();
      store.write(new LedgerHeadStore.Head(7, H));
      assertThat(store.read()).contains(new LedgerHeadStore.Head(7, H));
      assertThat(Files.readAllLines(root.ledgerHead())).hasSize(2).first().isEqualTo("seq,hash");
    }
  }

  @Test
  void corruptHeadIsReported() throws Exception {
    try (FileSystem fs = TestRoots.jimfs()) {
      Root root = TestRoots.initRoot(fs).root();
      LedgerHeadStore store = new LedgerHeadStore(root);
      Files.writeString(root.ledgerHead(), "seq,hash\nseven," + H + "\n");
      assertThatThrownBy(store::read)
          .isInstanceOf(VerificationException.class)
          .hasMessage(root.ledgerHead() + ":2: seq 'seven' is not a number");
      Files.writeString(root.ledgerHead(), "seq,hash\n1,md5:abc\n");
      assertThatThrownBy(store::read).hasMessageContaining(":2: hash 'md5:abc'");
      Files.writeString(root.ledgerHead(), "seq,hash\n1," + H + "\n2," + H + "\n");
      assertThatThrownBy(store::read).hasMessageContaining(":3: expected a single head row");
    }
  }

  @Test
  void headValidatesItself() {
    assertThatThrownBy(() -> new LedgerHeadStore.Head(0, H))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LedgerHeadStore.Head(1, "a".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
