package dev.agentpkg.registry.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentpkg.core.AppContext;
import dev.agentpkg.core.ConflictException;
import dev.agentpkg.core.StorageException;
import dev.agentpkg.integrity.ledger.LedgerEntry;
import dev.agentpkg.integrity.ledger.LedgerFile;
import dev.agentpkg.integrity.ledger.LedgerHead;
import dev.agentpkg.integrity.ledger.LedgerPackage;
import dev.agentpkg.integrity.ledger.LedgerReport;
import dev.agentpkg.registry.Actor;
import dev.agentpkg.registry.LedgerHeadStore;
import dev.agentpkg.registry.Root;
import dev.agentpkg.registry.RootLock;
import dev.agentpkg.registry.TokenStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Runs mutating work in the order SPEC section 4 demands: take the root lock, refuse while an
 * interrupted transaction is pending, authenticate the token for the role, then do the work with a
 * {@link Session} that writes the ledger.
 */
public final class Governance {
  private final AppContext ctx;
  private final Root root;

  public Governance(AppContext ctx, Root root) {
    this.ctx = ctx;
    this.root = root;
  }

  public Root root() {
    return root;
  }

  public LedgerFile ledger() {
    return new LedgerFile(root.ledger(), ctx.clock());
  }

  public TokenStore tokens() {
    return new TokenStore(root, ctx.clock(), new SecureRandom());
  }

  public <T> T mutate(MutationRequest request, Function<Session, T> work) {
    return run(request, work, true);
  }

  /** For {@code doctor}: the same lock and token rules, but it is what clears pending work. */
  public <T> T recover(MutationRequest request, Function<Session, T> work) {
    return run(request, work, false);
  }

  private <T> T run(MutationRequest request, Function<Session, T> work, boolean refusePending) {
    try (RootLock lock =
        RootLock.acquire(
            root,
            request.command(),
            request.tokenText().flatMap(Governance::claimedTokenId),
            request.lockTimeout(),
            ctx.clock())) {
      lock.takenOverFrom()
          .ifPresent(
              holder -> ctx.err().println("agentpkg: took over a stale lock left by " + holder));
      if (refusePending) {
        refuseWhilePending();
      }
      Actor actor =
          tokens().authenticate(request.tokenText(), request.required(), request.action());
      return work.apply(new Session(root, Optional.of(actor), ledger()));
    }
  }

  /** For {@code init}: the root was just created, there is no token to present yet. */
  public <T> T bootstrap(Function<Session, T> work) {
    try (RootLock lock =
        RootLock.acquire(root, "init", Optional.empty(), Duration.ofSeconds(10), ctx.clock())) {
      return work.apply(new Session(root, Optional.empty(), ledger()));
    }
  }

  /**
   * Appends one event for {@code actor} under a briefly held root lock. For work that must not hold
   * the lock while it runs, such as a module run, which authenticated once through {@link #mutate}.
   */
  public LedgerEntry appendAs(
      Actor actor,
      String command,
      Duration lockTimeout,
      String event,
      Optional<LedgerPackage> pkg,
      ObjectNode details) {
    try (RootLock lock =
        RootLock.acquire(root, command, Optional.of(actor.tokenId()), lockTimeout, ctx.clock())) {
      return new Session(root, Optional.of(actor), ledger()).record(event, pkg, details);
    }
  }

  /** Verifies the ledger chain and, against the registry's recorded head, its length. */
  public LedgerReport verifyLedger() {
    Optional<LedgerHead> head =
        new LedgerHeadStore(root).read().map(h -> new LedgerHead(h.seq(), h.hash()));
    return ledger().verify(head);
  }

  /** The id part of {@code agp_<id>_<secret>}, for the lock holder line; never the secret. */
  static Optional<String> claimedTokenId(String tokenText) {
    String[] parts = tokenText.split("_", 3);
    return parts.length == 3 && parts[0].equals("agp") && parts[1].matches("[a-z0-9]{1,32}")
        ? Optional.of(parts[1])
        : Optional.empty();
  }

  private void refuseWhilePending() {
    Path journal = root.journal();
    if (!Files.isDirectory(journal)) {
      return;
    }
    try (Stream<Path> entries = Files.list(journal)) {
      Optional<Path> pending = entries.findFirst();
      if (pending.isPresent()) {
        throw new ConflictException(
            "an interrupted transaction is pending ("
                + pending.get().getFileName()
                + "); run `agentpkg doctor` to resume or roll it back");
      }
    } catch (IOException e) {
      throw new StorageException("cannot read " + journal + ": " + e.getMessage(), e);
    }
  }
}
