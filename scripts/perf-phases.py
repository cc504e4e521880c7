#!/usr/bin/env python3
"""Attributes the CPU samples of `perf record -g` on an agentpkg run to what they were doing.

  AGENTPKG_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer" \\
    perf record -F 499 -g -o perf.data -- scripts/agentpkg install ...
  scripts/perf-phases.py perf.data [FREQ]

perf samples CPU time (cpu-clock), so the shares and the CPU seconds (samples / FREQ) hold on a
loaded machine where wall time does not. Threads other than the main one are counted by kind.
A main-thread sample goes to the first operation found walking its stack from the leaf outwards
(interpreted frames have no names, so some samples land in "other").
"""
import collections, subprocess, sys

THREADS = [
    ("JIT compiler threads (C1/C2)", ("C2 CompilerThre", "C1 CompilerThre")),
    ("GC / VM threads", ("VM Thread", "GC Thread", "VM Periodic Tas")),
    ("sync -f child process", ("sync",)),
    ("payload writer thread (hash + write staged files)", ("agentpkg-payloa",)),
]
OPS = [  # (operation, frame markers); checked on each frame from the leaf outwards
    ("gunzip (zlib inflate)", ["libz.so", "Inflater"]),
    ("sha256 (SHA2 / digest intrinsic stub)", ["SHA2.", "DigestBase", "MessageDigest", "LEAF StubRoutines (2)"]),
    ("lstat + NoSuchFileException in Moves.requireRealDirectories", ["Moves.requireRealDirectories"]),
    ("lstat in Moves.exists", ["Moves.exists"]),
    ("spawn sync -f (Durability.flush)", ["Durability.flush", "ProcessImpl", "forkAndExec"]),
    ("registry / ownership CSV (StateStore, CsvTable, FileOwnership)",
     ["CsvTable", "FileOwnership", "PackageRegistry", "StateStore", "AtomicFiles"]),
    ("ledger (append, head, recorded scan)", ["LedgerFile", "Session.record", "LedgerHeadStore", "Transaction.recorded"]),
    ("journal write", ["Journal."]),
    ("manifest parse / validate / canonical JSON",
     ["ManifestJson", "CanonicalJson", "PathRules", "FileEntry", "Manifest.", "jackson"]),
    ("create staged files + dirs (open O_CREAT, mkdir)", ["Staging.lambda$sink", "openSink", "newByteChannel", "createDirectories"]),
    ("write file data", ["FileDispatcherImpl.write", "SinkStream.write", "ChannelOutputStream"]),
    ("copy archive into staging", ["Staging.copyIn", "transferTo"]),
    ("read archive (read syscall)", ["FileDispatcherImpl.read", "ChannelInputStream.read"]),
    ("tar header parse / reader loop", ["TarEntryReader", "PackageArchiveReader", "ArchiveVerifier"]),
    ("move into root (rename)", ["Moves.moveIn", "Moves.rename", "rename0"]),
    ("staging cleanup (delete tree)", ["deleteTree", "Staging.delete", "unlink"]),
    ("signature / keys (bouncycastle)", ["bouncycastle"]),
    ("other agentpkg code", ["dev.agentpkg"]),
]
OTHER = "JVM start-up, class loading, interpreter, picocli (no agentpkg frame)"


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else "perf.data"
    freq = float(sys.argv[2]) if len(sys.argv) > 2 else 499.0
    out = subprocess.run(
        ["perf", "script", "-i", data, "-F", "comm,tid,ip,sym,dso"],
        capture_output=True, text=True, errors="replace").stdout
    counts = collections.Counter()
    total = 0
    for block in out.split("\n\n"):
        lines = [l for l in block.strip("\n").split("\n") if l.strip()]
        if not lines:
            continue
        comm = lines[0].strip().rsplit(None, 1)[0].strip()  # "<comm> <tid>"; comm may hold spaces
        frames = [l.replace("/", ".") for l in lines[1:]]
        total += 1
        kind = next((name for name, comms in THREADS if comm in comms), None)
        if kind is None and comm not in ("java", "agentpkg", "bash"):
            kind = "other threads (" + comm + ")"
        if kind is None:
            kind = OTHER
            # tag the innermost user-space frame: a JIT stub counts only where it actually runs
            leaf = next((i for i, f in enumerate(frames) if "kallsyms" not in f), None)
            if leaf is not None:
                frames[leaf] = "LEAF " + frames[leaf].strip().split(" ", 1)[-1]
            for f in frames:
                hit = next((name for name, ms in OPS if any(m in f for m in ms)), None)
                if hit:
                    kind = hit
                    break
        counts[kind] += 1
    print(f"{total} CPU samples = {total / freq:.2f} CPU s")
    for name, n in counts.most_common():
        print(f"  {100.0 * n / total:5.1f}%  {n / freq:6.2f} s  {name}")


if __name__ == "__main__":
    main()
