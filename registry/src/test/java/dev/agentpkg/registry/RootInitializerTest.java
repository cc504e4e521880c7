package dev.agentpkg.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.ConflictException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootInitializerTest {
  @Test
  void createsTheLayoutWithHeaders() throws Exception {
    try (FileSystem fs = TestRoots.jimfs()) {
      RootInitializer.InitResult r = TestRoots.initRoot(fs);
      Root root = r.root();
      for (Path d :
          new Path[] {
            root.registries(),
            root.fileOwnershipDir(),
            root.ledger().getParent(),
            root.store(),
            root.privateDir(),
            root.staging(),
            root.journal()
          }) {
        assertThat(d).isDirectory();
      }
      assertThat(Files.readString(root.packagesRegistry()))
          .isEqualTo(
              "package_id,name,version,tier,spec_id,framework_id,status,archive_sha256,"
                  + "manifest_sha256,signer_keyid,dependencies,installed_at,installed_by\n");
      assertThat(Files.readString(root.trustedKeys()))
          .isEqualTo("key_id,owner,tiers,public_key_pem,added_at,added_by,revoked_at,revoked_by\n");
      assertThat(Files.readString(root.ledgerHead())).isEqualTo("seq,hash\n");
      assertThat(root.ledger()).isRegularFile();
      assertThat(Files.size(root.ledger())).isZero();
      assertThat(Files.readString(root.tokens()))
          .startsWith("token_id,role,created_at,expires_at,revoked_at,note,secret_sha256\n")
          .contains(r.adminToken().tokenId() + ",admin,2025-03-01T12:00:00Z,,,");
      assertThat(r.adminToken().role()).isEqualTo(Role.ADMIN);
      assertThat(r.adminToken().expiresAt()).isNull();
      assertThat(RootLocator.isRoot(root)).isTrue();
    }
  }

  @Test
  void refusesAnExistingRootAndChangesNothing() throws Exception {
    try (FileSystem fs = TestRoots.jimfs()) {
      Root root = TestRoots.initRoot(fs).root();
      String tokens = Files.readString(root.tokens());
      AppContext ctx = TestRoots.ctx(fs, "/", Map.of());
      assertThatThrownBy(() -> RootInitializer.init(ctx, fs.getPath("/root")))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("already holds registries/");
      assertThat(Files.readString(root.tokens())).isEqualTo(tokens);
    }
  }

  @Test
  void refusesAHalfRootHoldingOnlyALedger() throws Exception {
    try (FileSystem fs = TestRoots.jimfs()) {
      Files.createDirectories(fs.getPath("/r/ledger"));
      AppContext ctx = TestRoots.ctx(fs, "/", Map.of());
      assertThatThrownBy(() -> RootInitializer.init(ctx, fs.getPath("/r")))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("ledger/");
      assertThat(fs.getPath("/r/registries")).doesNotExist();
    }
  }

  @Test
  void acceptsAnExistingEmptyOrMissingDirectoryButNotAFile() throws Exception {
    try (FileSystem fs = TestRoots.jimfs()) {
      AppContext ctx = TestRoots.ctx(fs, "/", Map.of());
      Files.createDirectories(fs.getPath("/empty"));
      assertThat(RootInitializer.init(ctx, fs.getPath("/empty")).root().dir())
          .isEqualTo(fs.getPath("/empty"));
      assertThat(RootInitializer.init(ctx, fs.getPath("/new/nested")).root().packagesRegistry())
          .isRegularFile();
      Files.writeString(fs.getPath("/file"), "x");
      assertThatThrownBy(() -> RootInitializer.init(ctx, fs.getPath("/file")))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("not a directory");
    }
  }

  @Test
  void privateDirectoriesAre0700OnARealFileSystem(@TempDir Path tmp) throws Exception {
    AppContext ctx =
        new AppContext(
            tmp.getFileSystem(),
            tmp,
            Clock.fixed(TestRoots.T0, java.time.ZoneOffset.UTC),
            Map.of(),
            System.out,
            System.err);
    Root root = RootInitializer.init(ctx, tmp.resolve("r"), new SecureRandom()).root();
    for (Path d : new Path[] {root.privateDir(), root.staging(), root.journal()}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d)))
          .as(d.toString())
          .isEqualTo("rwx------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.tokens())))
        .isEqualTo("rw-r--r--");
    TokenStore tokens = new TokenStore(root, ctx.clock(), new SecureRandom());
    assertThat(RootLocator.locate(ctx, Optional.of("r"))).isEqualTo(root);
    assertThat(tokens.list()).hasSize(1);
    String secret =
        RootInitializer.init(ctx, tmp.resolve("r2"), new SecureRandom()).adminToken().secretText();
    Root r2 = RootLocator.locate(ctx, Optional.of("r2"));
    assertThat(
            new TokenStore(r2, ctx.clock(), new SecureRandom())
                .authenticate(Optional.of(secret), Role.ADMIN, "token create")
                .role())
        .isEqualTo(Role.ADMIN);
  }
}
