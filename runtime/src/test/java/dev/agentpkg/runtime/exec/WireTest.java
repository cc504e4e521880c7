package dev.agentpkg.runtime.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.net.ProtocolException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {
  @Test
  void framesRoundTripTheirFields() throws Exception {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("z", "last");
    map.put("a", "ünï");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Wire.send(
        bytes,
        Wire.CALL,
        out -> {
          out.writeByte(Wire.OP_EVIDENCE);
          Wire.writeString(out, "kind");
          Wire.writeMap(out, map);
          Wire.writeStrings(out, List.of("", "x"));
          Wire.writeBytes(out, new byte[] {0, -1});
        });
    Wire.send(bytes, Wire.OUT, out -> out.write(new byte[] {'h', 'i'}));
    ByteArrayInputStream in = new ByteArrayInputStream(bytes.toByteArray());

    Wire.Frame call = Wire.receive(in);
    assertThat(call.type()).isEqualTo(Wire.CALL);
    DataInputStream fields = call.fields();
    assertThat(fields.readByte()).isEqualTo(Wire.OP_EVIDENCE);
    assertThat(Wire.readString(fields)).isEqualTo("kind");
    assertThat(Wire.readMap(fields)).containsExactly(Map.entry("z", "last"), Map.entry("a", "ünï"));
    assertThat(Wire.readStrings(fields)).containsExactly("", "x");
    assertThat(Wire.readBytes(fields)).containsExactly(0, -1);
    Wire.end(fields);

    Wire.Frame out = Wire.receive(in);
    assertThat(out.type()).isEqualTo(Wire.OUT);
    assertThat(out.fields().readAllBytes()).containsExactly('h', 'i');
    assertThat(Wire.receive(in)).isNull();
  }

  @Test
  void malformedFramesAreRefusedBeforeAllocating() {
    byte[] huge = {0x7f, -1, -1, -1, Wire.OUT};
    assertThatThrownBy(() -> Wire.receive(new ByteArrayInputStream(huge)))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("out of range");
    byte[] truncated = {0, 0, 0, 9, Wire.OUT, 1};
    assertThatThrownBy(() -> Wire.receive(new ByteArrayInputStream(truncated)))
        .isInstanceOf(EOFException.class);
    byte[] lyingField = {0, 0, 0, 5, Wire.RESULT, 0x7f, 0, 0, 0};
    assertThatThrownBy(
            () -> Wire.readString(Wire.receive(new ByteArrayInputStream(lyingField)).fields()))
        .isInstanceOf(ProtocolException.class);
  }
}
