#!/usr/bin/env bash
# Builds agentpkg and walks the main job end to end on the built-in example modules:
# init a root, make and trust a signing key, pack both examples into the store, verify them
# (with agentpkg, sha256sum and tar), install them in dependency order, and verify the ledger
# that recorded every step.
# Usage: scripts/quickstart.sh [WORKDIR]   (default: a fresh temp dir; kept for you to look at)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d -t agentpkg-quickstart.XXXXXX)}
mkdir -p "$work"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }

step "build (mvn -B -q package -DskipTests)"
mvn -B -q package -DskipTests

A=scripts/agentpkg
export AGENTPKG_ROOT=$work/root

step "agentpkg init --root $AGENTPKG_ROOT"
$A init -q > "$work/admin.token"
chmod 600 "$work/admin.token"
echo "first admin token saved to $work/admin.token" >&2

step "agentpkg keys generate / keys trust"
$A keys generate --out "$work/signer.pem"
$A keys trust "$work/signer.pub.pem" --tiers T0,T1,T2,T3 --owner "quickstart signer" --token-file "$work/admin.token"
$A keys list

step "agentpkg pack (both examples, signed, into packages_store/)"
$A pack --src examples/evidence/target/package --key "$work/signer.pem" --token-file "$work/admin.token"
$A pack --src examples/runtime/target/package --key "$work/signer.pem" --token-file "$work/admin.token"

step "agentpkg verify"
for a in "$AGENTPKG_ROOT"/packages_store/*.tar.gz; do
  $A verify "$a"
done

step "the same archives, checked with standard tools"
(cd "$AGENTPKG_ROOT/packages_store" && sha256sum -c ./*.sha256)
tar --numeric-owner -tzvf "$AGENTPKG_ROOT/packages_store/PKG-T1-RUNTIME-001-0.1.0.tar.gz"

step "agentpkg install (dependency first; --dry-run shows the plan and changes nothing)"
$A install PKG-T1-RUNTIME-001 --token-file "$work/admin.token" || echo "(refused as expected: its dependency is not installed yet)" >&2
$A install PKG-T0-EVIDENCE-001 --dry-run --token-file "$work/admin.token"
$A install PKG-T0-EVIDENCE-001 --token-file "$work/admin.token"
$A install PKG-T1-RUNTIME-001 --token-file "$work/admin.token"
$A list
$A doctor

step "agentpkg capability check (what the runtime module may touch, decided like run does)"
$A capability check PKG-T1-RUNTIME-001 read ledger/governance.jsonl
$A capability check PKG-T1-RUNTIME-001 write registries/packages_registry.csv || echo "(denied, exit $?)" >&2
$A capability check PKG-T1-RUNTIME-001 read ledger/../registries/tokens.csv || echo "(denied, exit $?)" >&2

step "agentpkg run (an operator token; the module summarises the ledger and is denied a write)"
$A token create --role operator --note quickstart --token-file "$work/admin.token" -q > "$work/operator.token"
chmod 600 "$work/operator.token"
$A run PKG-T1-RUNTIME-001 --timeout 60s --token-file "$work/operator.token"
$A ledger show --package PKG-T1-RUNTIME-001 | tail -n 4
$A integrity check

step "agentpkg ledger verify / ledger show"
$A ledger verify
$A ledger show

printf '\nquickstart OK: root at %s\n' "$AGENTPKG_ROOT" >&2
