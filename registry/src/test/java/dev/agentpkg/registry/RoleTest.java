package dev.agentpkg.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.UsageException;
import dev.agentpkg.integrity.manifest.Tier;
import org.junit.jupiter.api.Test;

class RoleTest {
  @Test
  void parsesCaseInsensitively() {
    assertThat(Role.parse("Admin")).isEqualTo(Role.ADMIN);
    assertThat(Role.parse("MAINTAINER")).isEqualTo(Role.MAINTAINER);
    assertThat(Role.parse("operator")).isEqualTo(Role.OPERATOR);
    assertThatThrownBy(() -> Role.parse("root")).isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> Role.parse(null)).isInstanceOf(UsageException.class);
  }

  @Test
  void coverage() {
    assertThat(Role.ADMIN.covers(Role.ADMIN)).isTrue();
    assertThat(Role.ADMIN.covers(Role.OPERATOR)).isTrue();
    assertThat(Role.MAINTAINER.covers(Role.OPERATOR)).isTrue();
    assertThat(Role.MAINTAINER.covers(Role.MAINTAINER)).isTrue();
    assertThat(Role.MAINTAINER.covers(Role.ADMIN)).isFalse();
    assertThat(Role.OPERATOR.covers(Role.MAINTAINER)).isFalse();
  }

  @Test
  void trustBaseNeedsAdmin() {
    assertThat(Role.requiredToManage(Tier.G0)).isEqualTo(Role.ADMIN);
    assertThat(Role.requiredToManage(Tier.T0)).isEqualTo(Role.ADMIN);
    assertThat(Role.requiredToManage(Tier.T1)).isEqualTo(Role.MAINTAINER);
    assertThat(Role.requiredToManage(Tier.T3)).isEqualTo(Role.MAINTAINER);
    assertThat(Role.MAINTAINER.label()).isEqualTo("maintainer");
  }
}
