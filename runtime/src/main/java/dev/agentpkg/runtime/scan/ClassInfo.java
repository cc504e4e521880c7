package dev.agentpkg.runtime.scan;

import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What a scanned class declares, so a member reached through it can be resolved to the JDK class
 * that really provides it ({@code myThread.start()} is {@code Thread.start()}).
 */
record ClassInfo(String name, String superName, List<String> interfaces, Set<String> members) {
  ClassInfo {
    interfaces = List.copyOf(interfaces);
    members = Set.copyOf(members);
  }

  boolean declares(String memberName, String descriptor) {
    return members.contains(memberName + descriptor);
  }

  /** Reads the header and member list; throws a RuntimeException on a malformed class. */
  static ClassInfo of(byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    java.util.Set<String> members = new java.util.HashSet<>();
    String[] header = new String[2];
    String[][] interfaces = new String[1][];
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public void visit(
              int version, int access, String name, String sig, String superName, String[] ifs) {
            header[0] = name;
            header[1] = superName;
            interfaces[0] = ifs == null ? new String[0] : ifs;
          }

          @Override
          public FieldVisitor visitField(
              int access, String name, String desc, String sig, Object value) {
            members.add(name + desc);
            return null;
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String desc, String sig, String[] exceptions) {
            members.add(name + desc);
            return null;
          }
        },
        ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return new ClassInfo(header[0], header[1], List.of(interfaces[0]), members);
  }
}
