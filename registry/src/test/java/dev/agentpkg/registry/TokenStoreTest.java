package dev.agentpkg.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.DeniedException;
import dev.agentpkg.core.NotFoundException;
import dev.agentpkg.core.VerificationException;
import dev.agentpkg.integrity.digest.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenStoreTest {
  private FileSystem fs;
  private Root root;
  private IssuedToken admin;
  private TokenStore store;

  @BeforeEach
  void setUp() {
    fs = TestRoots.jimfs();
    RootInitializer.InitResult r = TestRoots.initRoot(fs);
    root = r.root();
    admin = r.adminToken();
    store = new TokenStore(root, TestRoots.CLOCK, new SecureRandom());
  }

  @AfterEach
  void tearDown() throws Exception {
    fs.close();
  }

  @Test
  void issuedTokenHasDocumentedShape() {
    IssuedToken t = store.create(Role.MAINTAINER, Optional.empty(), "ci");
    assertThat(t.tokenId()).matches("[0-9a-f]{12}");
    assertThat(t.secretText()).matches("agp_" + t.tokenId() + "_[A-Za-z0-9_-]{43}");
    assertThat(t.expiresAt()).isNull();
    assertThat(t.toString()).doesNotContain(t.secretText().substring(17)).contains(t.tokenId());
  }

  @Test
  void secretIsNeverStoredOnlyItsHash() throws Exception {
    IssuedToken t =
        store.create(Role.OPERATOR, Optional.of(Duration.ofDays(1)), "note, with comma");
    String secret = t.secretText().substring(("agp_" + t.tokenId() + "_").length());
    String csv = Files.readString(root.tokens());
    assertThat(csv).doesNotContain(secret).doesNotContain(admin.secretText().substring(17));
    assertThat(csv).contains(Sha256.hex(secret.getBytes(StandardCharsets.UTF_8)));
    TokenRecord rec =
        store.list().stream().filter(r -> r.tokenId().equals(t.tokenId())).findFirst().get();
    assertThat(rec.role()).isEqualTo(Role.OPERATOR);
    assertThat(rec.createdAt()).isEqualTo(TestRoots.T0);
    assertThat(rec.expiresAt()).isEqualTo(TestRoots.T0.plus(Duration.ofDays(1)));
    assertThat(rec.note()).isEqualTo("note, with comma");
    assertThat(rec.revokedAt()).isNull();
  }

  @Test
  void initTokenAuthenticatesAsAdmin() {
    Actor a = store.authenticate(Optional.of(admin.secretText()), Role.ADMIN, "keys trust");
    assertThat(a).isEqualTo(new Actor(admin.tokenId(), Role.ADMIN));
  }

  @Test
  void maintainerCoversOperatorButNotAdmin() {
    IssuedToken m = store.create(Role.MAINTAINER, Optional.empty(), "");
    assertThat(store.authenticate(Optional.of(m.secretText()), Role.OPERATOR, "run").role())
        .isEqualTo(Role.MAINTAINER);
    assertThatThrownBy(
            () ->
                store.authenticate(
                    Optional.of(m.secretText()), Role.ADMIN, "install PKG-T0-BASE-001"))
        .isInstanceOf(DeniedException.class)
        .hasMessage(
            "token " + m.tokenId() + " has role maintainer; install PKG-T0-BASE-001 needs admin");
  }

  @Test
  void noTokenIsDenied() {
    assertThatThrownBy(() -> store.authenticate(Optional.empty(), Role.OPERATOR, "run"))
        .isInstanceOf(DeniedException.class)
        .hasMessage("no token given (use --token, --token-file or AGENTPKG_TOKEN)");
  }

  @Test
  void malformedTokenIsDenied() {
    for (String bad :
        new String[] {"hello", "agp_xyz_abc", "agp_" + admin.tokenId(), admin.secretText() + "x"}) {
      assertThatThrownBy(() -> store.authenticate(Optional.of(bad), Role.OPERATOR, "run"))
          .isInstanceOf(DeniedException.class)
          .hasMessage("malformed token");
    }
  }

  @Test
  void unknownTokenIdIsDenied() {
    String forged = "agp_0123456789ab_" + "A".repeat(43);
    assertThatThrownBy(() -> store.authenticate(Optional.of(forged), Role.OPERATOR, "run"))
        .isInstanceOf(DeniedException.class)
        .hasMessage("unknown token id 0123456789ab");
  }

  @Test
  void wrongSecretIsDenied() {
    String forged = "agp_" + admin.tokenId() + "_" + "A".repeat(43);
    assertThatThrownBy(() -> store.authenticate(Optional.of(forged), Role.OPERATOR, "run"))
        .isInstanceOf(DeniedException.class)
        .hasMessage("wrong secret for token " + admin.tokenId());
  }

  @Test
  void secretComparisonUsesTheStoredHash() {
    String hash = TokenStore.hashSecret("s3cret");
    assertThat(TokenStore.secretMatches("s3cret", hash)).isTrue();
    assertThat(TokenStore.secretMatches("s3creT", hash)).isFalse();
    String lastCharFlipped = hash.substring(0, 63) + (hash.endsWith("0") ? "1" : "0");
    assertThat(TokenStore.secretMatches("s3cret", lastCharFlipped)).isFalse();
  }

  @Test
  void expiredTokenIsDeniedAtItsExpiry() {
    IssuedToken t = store.create(Role.ADMIN, Optional.of(Duration.ofHours(1)), "short");
    Instant expiry = TestRoots.T0.plus(Duration.ofHours(1));
    TokenStore before =
        new TokenStore(root, TestRoots.at(expiry.minusSeconds(1)), new SecureRandom());
    assertThat(before.authenticate(Optional.of(t.secretText()), Role.ADMIN, "x").tokenId())
        .isEqualTo(t.tokenId());
    TokenStore after = new TokenStore(root, TestRoots.at(expiry), new SecureRandom());
    assertThatThrownBy(() -> after.authenticate(Optional.of(t.secretText()), Role.ADMIN, "x"))
        .isInstanceOf(DeniedException.class)
        .hasMessage("token " + t.tokenId() + " expired at 2025-03-01T13:00:00Z");
  }

  @Test
  void revokedTokenIsDenied() {
    IssuedToken t = store.create(Role.MAINTAINER, Optional.empty(), "");
    TokenRecord rec = store.revoke(t.tokenId());
    assertThat(rec.revokedAt()).isEqualTo(TestRoots.T0);
    assertThatThrownBy(() -> store.authenticate(Optional.of(t.secretText()), Role.OPERATOR, "x"))
        .isInstanceOf(DeniedException.class)
        .hasMessage("token " + t.tokenId() + " was revoked at 2025-03-01T12:00:00Z");
    assertThatThrownBy(() -> store.revoke(t.tokenId()))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("already revoked");
  }

  @Test
  void revokingUnknownTokenIsNotFound() {
    assertThatThrownBy(() -> store.revoke("ffffffffffff"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("unknown token id ffffffffffff");
  }

  @Test
  void lastActiveAdminCannotBeRevoked() {
    assertThatThrownBy(() -> store.revoke(admin.tokenId()))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("last active admin token");
    IssuedToken second = store.create(Role.ADMIN, Optional.empty(), "second");
    store.revoke(admin.tokenId());
    assertThat(store.authenticate(Optional.of(second.secretText()), Role.ADMIN, "x").tokenId())
        .isEqualTo(second.tokenId());
  }

  @Test
  void tokenIdsAreUnique() {
    java.util.Set<String> ids = new java.util.HashSet<>();
    ids.add(admin.tokenId());
    for (int i = 0; i < 50; i++) {
      ids.add(store.create(Role.OPERATOR, Optional.empty(), "").tokenId());
    }
    assertThat(ids).hasSize(51);
    assertThat(store.list()).hasSize(51);
  }

  @Test
  void corruptRowIsReportedWithLineAndFileLeftAlone() throws Exception {
    String csv = Files.readString(root.tokens());
    String broken = csv + "aaaaaaaaaaaa,superuser,2025-01-01T00:00:00Z,,,," + "0".repeat(64) + "\n";
    Files.writeString(root.tokens(), broken);
    assertThatThrownBy(() -> store.create(Role.ADMIN, Optional.empty(), ""))
        .isInstanceOf(VerificationException.class)
        .hasMessage(root.tokens() + ":3: unknown role 'superuser'");
    assertThatThrownBy(() -> store.authenticate(Optional.of(admin.secretText()), Role.ADMIN, "x"))
        .isInstanceOf(VerificationException.class);
    assertThat(Files.readString(root.tokens())).isEqualTo(broken);
  }

  @Test
  void badInstantIsReported() throws Exception {
    String csv = Files.readString(root.tokens());
    Files.writeString(
        root.tokens(), csv + "aaaaaaaaaaaa,admin,yesterday,,,," + "0".repeat(64) + "\n");
    assertThatThrownBy(() -> store.list())
        .hasMessage(root.tokens() + ":3: created_at 'yesterday' is not an ISO-8601 UTC instant");
  }
}
