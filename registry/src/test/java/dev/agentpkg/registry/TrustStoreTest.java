package dev.agentpkg.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.DeniedException;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.manifest.Tier;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrustStoreTest {
  private static final String PEM =
      "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
          + "-----END PUBLIC KEY-----\n";
  private static final String K1 = "ab12cd34" + "0".repeat(56);
  private static final String K2 = "ab12cd34" + "1".repeat(56);
  private static final String K3 = "ffeeddcc" + "2".repeat(56);

  private FileSystem fs;
  private Root root;
  private TrustStore store;
  private final Actor admin = new Actor("aaaaaaaaaaaa", Role.ADMIN);

  @BeforeEach
  void setUp() {
    fs = TestRoots.jimfs();
    root = TestRoots.initRoot(fs).root();
    store = new TrustStore(root, TestRoots.CLOCK);
  }

  @AfterEach
  void tearDown() throws Exception {
    fs.close();
  }

  @Test
  void trustRoundTripsPemAndTiers() {
    TrustedKey k =
        store.trust(K1, PEM, EnumSet.of(Tier.T1, Tier.G0), "Release team, \"core\"", admin);
    assertThat(k.isActive()).isTrue();
    assertThat(k.tiersText()).isEqualTo("G0,T1");
    TrustedKey read = store.find(K1).orElseThrow();
    assertThat(read).isEqualTo(k);
    assertThat(read.publicKeyPem()).isEqualTo(PEM);
    assertThat(read.addedAt()).isEqualTo(TestRoots.T0);
    assertThat(read.addedBy()).isEqualTo("aaaaaaaaaaaa");
    assertThat(read.mayServe(Tier.T1)).isTrue();
    assertThat(read.mayServe(Tier.T2)).isFalse();
    assertThat(store.list()).containsExactly(k);
  }

  @Test
  void trustingTwiceIsAConflict() {
    store.trust(K1, PEM, Set.of(Tier.T1), "o", admin);
    assertThatThrownBy(() -> store.trust(K1, PEM, Set.of(Tier.T2), "o", admin))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("already trusted");
  }

  @Test
  void revocationIsFinal() {
    store.trust(K1, PEM, Set.of(Tier.T1), "o", admin);
    TrustedKey r = store.revoke(K1, admin);
    assertThat(r.isActive()).isFalse();
    assertThat(r.mayServe(Tier.T1)).isFalse();
    assertThat(r.revokedAt()).isEqualTo(TestRoots.T0);
    assertThat(r.revokedBy()).isEqualTo(admin.tokenId());
    assertThat(store.find(K1)).contains(r);
    assertThatThrownBy(() -> store.revoke(K1, admin))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("already revoked");
    assertThatThrownBy(() -> store.trust(K1, PEM, Set.of(Tier.T1), "o", admin))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("revocation is final");
  }

  @Test
  void revokeByUniquePrefix() {
    store.trust(K1, PEM, Set.of(Tier.T1), "o", admin);
    store.trust(K2, PEM, Set.of(Tier.T1), "o", admin);
    store.trust(K3, PEM, Set.of(Tier.T1), "o", admin);
    assertThat(store.revoke("FFEEDDCC", admin).keyId()).isEqualTo(K3);
    assertThatThrownBy(() -> store.revoke("ab12cd34", admin))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("ambiguous")
        .hasMessageContaining(K1)
        .hasMessageContaining(K2);
    assertThatThrownBy(() -> store.revoke("ab12", admin))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("at least 8");
    assertThatThrownBy(() -> store.revoke("12345678", admin)).isInstanceOf(NotFoundException.class);
    assertThat(store.revoke("ab12cd340", admin).keyId()).isEqualTo(K1);
  }

  @Test
  void invalidInputIsAUsageError() {
    assertThatThrownBy(() -> store.trust("xyz", PEM, Set.of(Tier.T1), "o", admin))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> store.trust(K1, "not a pem", Set.of(Tier.T1), "o", admin))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> store.trust(K1, PEM, Set.of(), "o", admin))
        .isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> store.trust(K1, PEM, Set.of(Tier.T1), " ", admin))
        .isInstanceOf(UsageException.class);
    assertThat(store.list()).isEmpty();
  }

  @Test
  void onlyAdminsChangeTheTrustStore() {
    Actor maintainer = new Actor("bbbbbbbbbbbb", Role.MAINTAINER);
    assertThatThrownBy(() -> store.trust(K1, PEM, Set.of(Tier.T1), "o", maintainer))
        .isInstanceOf(DeniedException.class);
    assertThat(store.list()).isEmpty();
  }

  @Test
  void corruptTiersNameFileAndLine() throws Exception {
    store.trust(K1, PEM, Set.of(Tier.T1), "o", admin);
    String csv = Files.readString(root.trustedKeys()).replace("T1", "T9");
    Files.writeString(root.trustedKeys(), csv);
    assertThatThrownBy(() -> store.list())
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith(root.trustedKeys() + ":2: tiers: unknown tier 'T9'");
    assertThat(Files.readString(root.trustedKeys())).isEqualTo(csv);
  }
}
