package dev.agentpkg.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.UsageException;
import dev.agentpkg.registry.Role;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.governance.Governance;
import dev.agentpkg.registry.governance.MutationRequest;
import dev.agentpkg.registry.install.Doctor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Find an interrupted install or uninstall (exit 5 while one is pending) and finish it",
      "(--resume) or undo it (--rollback); both need an admin token and are recorded in the",
      "ledger as RECOVERED. Staging left by a crash before any commit is cleaned up too."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  agentpkg doctor", "  agentpkg doctor --rollback --token-file admin.token"})
final class DoctorCommand implements Callable<Integer> {
  private final CliEnv env;

  @Option(names = "--resume", description = "Finish the interrupted transaction.")
  boolean resume;

  @Option(names = "--rollback", description = "Undo the interrupted transaction.")
  boolean rollback;

  @Mixin TokenOptions token;

  DoctorCommand(CliEnv env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    return Work.run(env, this);
  }

  private static final class Work {
    static int run(CliEnv env, DoctorCommand cmd) {
      if (cmd.resume && cmd.rollback) {
        throw new UsageException("choose one of --resume and --rollback");
      }
      Root root = env.root();
      Doctor doctor = new Doctor(env.ctx(), root);
      Output out = env.output();
      ObjectNode doc = out.document("agentpkg/doctor/v1");
      List<String> lines = new ArrayList<>();
      if (!cmd.resume && !cmd.rollback) {
        List<Doctor.Pending> pending = doctor.pending();
        ArrayNode a = doc.putArray("pending");
        pending.forEach(p -> a.add(pendingJson(p)));
        ArrayNode stray = doc.putArray("stray_staging");
        doctor.strayStaging().forEach(stray::add);
        doc.put("healthy", pending.isEmpty());
        for (Doctor.Pending p : pending) {
          lines.add(
              "interrupted "
                  + p.op()
                  + " of "
                  + p.packageId()
                  + " "
                  + p.version()
                  + " ("
                  + p.tx()
                  + ")");
        }
        lines.add(
            pending.isEmpty()
                ? "no interrupted transaction"
                : "run `agentpkg doctor --resume` to finish or `--rollback` to undo (admin token)");
        out.result(doc, lines.toArray(String[]::new));
        if (!pending.isEmpty()) {
          // scripts check stderr and the exit code; say why it is 5 there too, even under --json
          env.ctx()
              .err()
              .println(
                  "agentpkg: "
                      + pending.size()
                      + " interrupted transaction(s) pending; run `agentpkg doctor --resume` or"
                      + " `--rollback`");
          return 5;
        }
        return 0;
      }
      List<Doctor.Pending> done =
          new Governance(env.ctx(), root)
              .recover(
                  new MutationRequest(
                      "doctor",
                      cmd.token.tokenText(env),
                      Role.ADMIN,
                      "recovering transactions",
                      cmd.token.lockTimeout()),
                  session -> doctor.recover(session, cmd.resume));
      ArrayNode a = doc.putArray("recovered");
      done.forEach(p -> a.add(pendingJson(p)));
      doc.put("action", cmd.resume ? "resume" : "rollback");
      doc.put("healthy", true);
      for (Doctor.Pending p : done) {
        lines.add(
            (cmd.resume ? "finished " : "rolled back ")
                + p.op()
                + " of "
                + p.packageId()
                + " "
                + p.version()
                + " ("
                + p.tx()
                + ")");
      }
      if (done.isEmpty()) {
        lines.add("no interrupted transaction");
      }
      out.result(doc, lines.toArray(String[]::new));
      return 0;
    }

    private static ObjectNode pendingJson(Doctor.Pending p) {
      ObjectNode n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      n.put("tx", p.tx());
      n.put("op", p.op());
      n.put("id", p.packageId());
      n.put("version", p.version());
      n.put("moves", p.moves());
      n.put("backups", p.backups());
      return n;
    }
  }
}
