package dev.agentpkg.cli.run;

import dev.agentpkg.integrity.manifest.PackageId;
import dev.agentpkg.registry.install.CodeScreen;
import dev.agentpkg.registry.install.CodeVerdict;
import dev.agentpkg.runtime.scan.BytecodeScanner;
import dev.agentpkg.runtime.scan.CodeJar;
import dev.agentpkg.runtime.scan.ScanPolicy;
import dev.agentpkg.runtime.scan.ScanReport;
import dev.agentpkg.runtime.scan.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bytecode scanner as the installer's {@link CodeScreen} and as the check {@code run} repeats
 * before loading, both under the same standard policy (its hash goes into the ledger).
 */
public final class CodeScan implements CodeScreen {
  private final BytecodeScanner scanner;

  private CodeScan(ScanPolicy policy) {
    this.scanner = new BytecodeScanner(policy);
  }

  public static CodeScan standard() {
    return new CodeScan(ScanPolicy.standard());
  }

  @Override
  public CodeVerdict screen(
      PackageId id, Map<String, Path> ownJars, Map<String, Path> dependencyJars) {
    return verdict(scanner.scan(jars(ownJars), jars(dependencyJars)));
  }

  CodeVerdict scan(ModuleCode code) {
    return verdict(scanner.scan(code.own(), code.dependencies()));
  }

  private static List<CodeJar> jars(Map<String, Path> byName) {
    List<CodeJar> out = new ArrayList<>();
    byName.forEach((name, file) -> out.add(new CodeJar(name, file)));
    return out;
  }

  private static CodeVerdict verdict(ScanReport report) {
    return new CodeVerdict(
        report.jars(),
        report.classes(),
        report.policySha256(),
        report.violations().stream().map(Violation::describe).toList(),
        report.violationCount());
  }
}
