package dev.agentpkg.runtime.scan;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.RecordComponentVisitor;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;
import org.objectweb.asm.signature.SignatureReader;
import org.objectweb.asm.signature.SignatureVisitor;

/**
 * Checks every class a class file names where the JVM would link or load it: hierarchy,
 * descriptors, signatures, annotations, instructions, constants and invokedynamic bootstraps.
 */
final class ClassChecker extends ClassVisitor {
  private static final int API = Opcodes.ASM9;

  private final ReferenceChecker references;
  private final String jar;
  private final String suffix;
  private final Set<Violation> out;
  private String className = "";

  /**
   * @param suffix appended to every location, e.g. {@code " (META-INF/versions/17)"}
   * @param out receives the violations
   */
  ClassChecker(ReferenceChecker references, String jar, String suffix, Set<Violation> out) {
    super(API);
    this.references = references;
    this.jar = jar;
    this.suffix = suffix;
    this.out = out;
  }

  @Override
  public void visit(
      int version,
      int access,
      String name,
      String signature,
      String superName,
      String[] interfaces) {
    className = ReferenceChecker.dotted(name);
    String location = className;
    String host = references.policy().hostNamespace(name);
    if (host != null) {
      report(location, "defines a class in " + host, "host-namespace");
    }
    if (superName != null) {
      report(location, references.type(superName));
    }
    if (interfaces != null) {
      for (String type : interfaces) {
        report(location, references.type(type));
      }
    }
    signature(location, signature, false);
  }

  @Override
  public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
    return annotation(className, descriptor);
  }

  @Override
  public AnnotationVisitor visitTypeAnnotation(
      int typeRef, TypePath typePath, String descriptor, boolean visible) {
    return annotation(className, descriptor);
  }

  @Override
  public RecordComponentVisitor visitRecordComponent(
      String name, String descriptor, String signature) {
    String location = className + "#" + name;
    report(location, references.descriptor(descriptor));
    signature(location, signature, true);
    return new RecordComponentVisitor(API) {
      @Override
      public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
        return annotation(location, desc);
      }

      @Override
      public AnnotationVisitor visitTypeAnnotation(
          int typeRef, TypePath typePath, String desc, boolean visible) {
        return annotation(location, desc);
      }
    };
  }

  @Override
  public FieldVisitor visitField(
      int access, String name, String descriptor, String signature, Object value) {
    String location = className + "#" + name;
    report(location, references.descriptor(descriptor));
    signature(location, signature, true);
    return new FieldVisitor(API) {
      @Override
      public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
        return annotation(location, desc);
      }

      @Override
      public AnnotationVisitor visitTypeAnnotation(
          int typeRef, TypePath typePath, String desc, boolean visible) {
        return annotation(location, desc);
      }
    };
  }

  @Override
  public MethodVisitor visitMethod(
      int access, String name, String descriptor, String signature, String[] exceptions) {
    String location = className + "#" + name + descriptor;
    if ((access & Opcodes.ACC_NATIVE) != 0) {
      report(location, "native method", "native");
    }
    report(location, references.descriptor(descriptor));
    signature(location, signature, false);
    if (exceptions != null) {
      for (String type : exceptions) {
        report(location, references.type(type));
      }
    }
    return new Code(location);
  }

  private void report(String location, Finding finding) {
    if (finding != null) {
      report(location, finding.reference(), finding.category());
    }
  }

  private void report(String location, String reference, String category) {
    out.add(new Violation(jar, location + suffix, reference, category));
  }

  private void signature(String location, String signature, boolean typeSignature) {
    if (signature == null) {
      return;
    }
    Deque<String> stack = new ArrayDeque<>();
    SignatureVisitor visitor =
        new SignatureVisitor(API) {
          @Override
          public void visitClassType(String name) {
            stack.push(name);
            report(location, references.type(name));
          }

          @Override
          public void visitInnerClassType(String name) {
            String inner = (stack.isEmpty() ? "" : stack.pop() + "$") + name;
            stack.push(inner);
            report(location, references.type(inner));
          }

          @Override
          public void visitEnd() {
            if (!stack.isEmpty()) {
              stack.pop();
            }
          }
        };
    try {
      if (typeSignature) {
        new SignatureReader(signature).acceptType(visitor);
      } else {
        new SignatureReader(signature).accept(visitor);
      }
    } catch (RuntimeException e) {
      report(location, "unreadable generic signature", "malformed");
    }
  }

  private AnnotationVisitor annotation(String location, String descriptor) {
    report(location, references.descriptor(descriptor));
    return new AnnotationVisitor(API) {
      @Override
      public void visit(String name, Object value) {
        if (value instanceof Type type) {
          report(location, references.descriptor(type.getDescriptor()));
        }
      }

      @Override
      public void visitEnum(String name, String desc, String value) {
        report(location, references.descriptor(desc));
      }

      @Override
      public AnnotationVisitor visitAnnotation(String name, String desc) {
        return annotation(location, desc);
      }

      @Override
      public AnnotationVisitor visitArray(String name) {
        return this;
      }
    };
  }

  private void handle(String location, Handle handle) {
    boolean method = handle.getTag() > Opcodes.H_PUTSTATIC;
    report(
        location, references.member(handle.getOwner(), handle.getName(), handle.getDesc(), method));
  }

  private void constant(String location, Object value) {
    if (value instanceof Type type) {
      if (type.getSort() == Type.METHOD) {
        report(location, references.descriptor(type.getDescriptor()));
      } else if (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY) {
        report(location, references.descriptor(type.getDescriptor()));
      }
    } else if (value instanceof Handle handle) {
      handle(location, handle);
    } else if (value instanceof ConstantDynamic dynamic) {
      bootstrap(location, "constant bootstrap ", dynamic.getBootstrapMethod());
      report(location, references.descriptor(dynamic.getDescriptor()));
      for (int i = 0; i < dynamic.getBootstrapMethodArgumentCount(); i++) {
        constant(location, dynamic.getBootstrapMethodArgument(i));
      }
    }
  }

  private void bootstrap(String location, String what, Handle bsm) {
    if (bsm.getTag() != Opcodes.H_INVOKESTATIC
        || !references.policy().allowedBootstrap(bsm.getOwner(), bsm.getName())) {
      String reference =
          what + ReferenceChecker.dotted(bsm.getOwner()) + "#" + bsm.getName() + bsm.getDesc();
      report(location, reference, "invokedynamic");
    }
  }

  private final class Code extends MethodVisitor {
    private final String location;

    Code(String location) {
      super(API);
      this.location = location;
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
      return annotation(location, descriptor);
    }

    @Override
    public AnnotationVisitor visitAnnotationDefault() {
      return annotation(location, "Ljava/lang/Object;");
    }

    @Override
    public AnnotationVisitor visitParameterAnnotation(
        int parameter, String descriptor, boolean visible) {
      return annotation(location, descriptor);
    }

    @Override
    public AnnotationVisitor visitTypeAnnotation(
        int typeRef, TypePath typePath, String descriptor, boolean visible) {
      return annotation(location, descriptor);
    }

    @Override
    public AnnotationVisitor visitInsnAnnotation(
        int typeRef, TypePath typePath, String descriptor, boolean visible) {
      return annotation(location, descriptor);
    }

    @Override
    public AnnotationVisitor visitTryCatchAnnotation(
        int typeRef, TypePath typePath, String descriptor, boolean visible) {
      return annotation(location, descriptor);
    }

    @Override
    public AnnotationVisitor visitLocalVariableAnnotation(
        int typeRef,
        TypePath typePath,
        Label[] start,
        Label[] end,
        int[] index,
        String descriptor,
        boolean visible) {
      return annotation(location, descriptor);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
      report(location, references.type(type));
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
      report(location, references.member(owner, name, descriptor, false));
    }

    @Override
    public void visitMethodInsn(
        int opcode, String owner, String name, String descriptor, boolean isInterface) {
      report(location, references.member(owner, name, descriptor, true));
    }

    @Override
    public void visitInvokeDynamicInsn(
        String name, String descriptor, Handle bsm, Object... bootstrapMethodArguments) {
      bootstrap(location, "bootstrap ", bsm);
      report(location, references.descriptor(descriptor));
      for (Object argument : bootstrapMethodArguments) {
        constant(location, argument);
      }
    }

    @Override
    public void visitLdcInsn(Object value) {
      constant(location, value);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
      report(location, references.descriptor(descriptor));
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
      if (type != null) {
        report(location, references.type(type));
      }
    }
  }
}
