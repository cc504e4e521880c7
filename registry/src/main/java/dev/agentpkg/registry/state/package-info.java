/**
 * The installed state of a root: the package registry, per-package file lists and the sharded
 * path-to-owner index. Callers hold the root lock; {@link dev.agentpkg.registry.state.StateStore}
 * moves one package from one recorded state to another.
 */
package dev.agentpkg.registry.state;
