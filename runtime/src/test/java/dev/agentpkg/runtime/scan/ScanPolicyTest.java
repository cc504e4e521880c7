package dev.agentpkg.runtime.scan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScanPolicyTest {
  @Test
  void theHashIsStableAndCoversEveryRule() {
    ScanPolicy one = ScanPolicy.standard();
    ScanPolicy two = ScanPolicy.standard();
    assertThat(one.sha256()).isEqualTo(two.sha256()).matches("[0-9a-f]{64}");
    assertThat(one).isEqualTo(two);
    assertThat(one.describe())
        .startsWith("agentpkg-scan-policy 1\n")
        .contains("deny:exit java/lang/System#exit\n")
        .contains("allow java/util/*\n")
        .contains("bootstrap java/lang/invoke/LambdaMetafactory#metafactory\n")
        .contains("host-namespace dev/agentpkg/\n");
    assertThat(one.describe().lines().count()).isEqualTo(1 + one.rules().size() + 6 + 6);

    ScanPolicy changed = one.withFirstRule(PolicyRule.allow("java/lang/System", "exit"));
    assertThat(changed.sha256()).isNotEqualTo(one.sha256()).matches("[0-9a-f]{64}");
    assertThat(changed.verdict("java/lang/System", "exit", "(I)V")).isEqualTo("allow");
    assertThat(one.verdict("java/lang/System", "exit", "(I)V")).isEqualTo("exit");
  }

  @Test
  void firstMatchingRuleDecides() {
    ScanPolicy policy = ScanPolicy.standard();
    assertThat(policy.verdict("java/lang/System", "nanoTime", "()J")).isEqualTo("allow");
    assertThat(policy.verdict("java/lang/System", "gc", "()V")).isEqualTo("environment");
    assertThat(policy.verdict("java/lang/System", null, "")).isEqualTo("allow");
    assertThat(policy.verdict("java/lang/Thread$State", "values", "()[Ljava/lang/Thread$State;"))
        .isEqualTo("allow");
    assertThat(policy.verdict("java/lang/ProcessHandle$Info", null, "")).isEqualTo("process");
    assertThat(policy.verdict("java/util/Map$Entry", "getKey", "()Ljava/lang/Object;"))
        .isEqualTo("allow");
    assertThat(policy.verdict("java/util/Scanner", "<init>", "(Ljava/nio/file/Path;)V"))
        .isEqualTo("file");
    assertThat(policy.verdict("java/util/Scanner", "<init>", "(Ljava/io/InputStream;)V"))
        .isEqualTo("allow");
    assertThat(policy.verdict("java/util/Formatter", "<init>", "(Ljava/lang/String;)V"))
        .isEqualTo("file");
    assertThat(policy.verdict("java/util/ServiceLoader", "load", "")).isEqualTo("classloader");
    assertThat(policy.verdict("java/io/ObjectInputStream", null, "")).isEqualTo("reflection");
    assertThat(policy.verdict("java/io/FileOutputStream", null, "")).isEqualTo("file");
    assertThat(policy.verdict("java/nio/channels/SocketChannel", null, "")).isEqualTo("network");
    assertThat(policy.verdict("java/nio/ByteBuffer", "allocate", "(I)Ljava/nio/ByteBuffer;"))
        .isEqualTo("allow");
    assertThat(policy.verdict("java/time/format/DateTimeFormatter", null, "")).isEqualTo("allow");
    assertThat(policy.verdict("java/sql/DriverManager", null, "")).isEqualTo("environment");
    assertThat(policy.verdict("jdk/internal/misc/Unsafe", null, "")).isEqualTo("unsafe");
    assertThat(policy.verdict("dev/agentpkg/api/ModuleContext", "out", "")).isEqualTo("allow");
    assertThat(policy.verdict("dev/agentpkg/registry/Root", null, "")).isNull();
    assertThat(policy.verdict("org/apache/commons/Foo", null, "")).isNull();
    assertThat(policy.allowedBootstrap("java/lang/runtime/SwitchBootstraps", "typeSwitch"))
        .isTrue();
    assertThat(policy.allowedBootstrap("java/lang/invoke/ConstantBootstraps", "invoke")).isFalse();
  }
}
