/** Root layout, CSV registries, trust store, tokens, lock and ledger file. */
package dev.agentpkg.registry;
