package dev.agentpkg.registry;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code registries/ledger_head.csv} (columns {@code seq,hash}): the ledger head the registry was
 * last written with, so a ledger truncated behind the registry's back is detected.
 */
public final class LedgerHeadStore {
  static final List<String> COLUMNS = RegistryColumns.LEDGER_HEAD;
  private static final Pattern HASH = Pattern.compile("^sha256:[0-9a-f]{64}$");

  /** The last ledger entry's sequence number and {@code sha256:<hex>} hash. */
  public record Head(long seq, String hash) {
    public Head {
      if (seq < 1) {
        throw new IllegalArgumentException("ledger seq starts at 1, got " + seq);
      }
      if (hash == null || !HASH.matcher(hash).matches()) {
        throw new IllegalArgumentException("ledger hash must be sha256:<64 hex>, got " + hash);
      }
    }
  }

  private final CsvTable table;

  public LedgerHeadStore(Root root) {
    this.table = new CsvTable(root.ledgerHead(), COLUMNS);
  }

  /** Empty when the registry was never written with a ledger head (the file holds the header). */
  public Optional<Head> read() {
    List<CsvTable.Row> rows = table.readRows();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    if (rows.size() > 1) {
      throw table.invalid(rows.get(1), "expected a single head row, found " + rows.size());
    }
    CsvTable.Row row = rows.get(0);
    long seq;
    try {
      seq = Long.parseLong(row.get("seq"));
    } catch (NumberFormatException e) {
      throw table.invalid(row, "seq '" + row.get("seq") + "' is not a number");
    }
    if (seq < 1) {
      throw table.invalid(row, "seq " + seq + " is not positive");
    }
    String hash = row.get("hash");
    if (!HASH.matcher(hash).matches()) {
      throw table.invalid(row, "hash '" + hash + "' is not sha256:<64 hex>");
    }
    return Optional.of(new Head(seq, hash));
  }

  public void write(Head head) {
    Objects.requireNonNull(head, "head");
    table.write(List.of(Map.of("seq", Long.toString(head.seq()), "hash", head.hash())));
  }
}
