package dev.agentpkg.runtime.capability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentpkg.core.UsageException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class OperationTest {
  @ParameterizedTest
  @CsvSource({
    "read, READ",
    "READ, READ",
    "Write, WRITE",
    "list, LIST",
    "dElEtE, DELETE",
    "EXECUTE, EXECUTE"
  })
  void parsesLabelsCaseInsensitively(String text, Operation expected) {
    assertThat(Operation.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"READ, read", "WRITE, write", "LIST, list", "DELETE, delete", "EXECUTE, execute"})
  void labelIsTheLowerCaseName(Operation op, String label) {
    assertThat(op.label()).isEqualTo(label);
    assertThat(Operation.parse(op.label())).isEqualTo(op);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "copy", "read ", "reads", "exec"})
  void refusesUnknownOperationsNamingTheAllowedOnes(String text) {
    assertThatThrownBy(() -> Operation.parse(text))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("unknown operation")
        .hasMessageContaining("allowed: read, write, list, delete, execute");
  }
}
