/**
 * Runs an installed module's jars in an isolated class loader, in a child JVM ({@link
 * dev.agentpkg.runtime.exec.Isolation#PROCESS}) or on a thread of the host ({@link
 * dev.agentpkg.runtime.exec.Isolation#IN_PROCESS}). Every request a module makes of the outside
 * world goes through {@link dev.agentpkg.runtime.exec.HostServices}, which always runs in the host.
 */
package dev.agentpkg.runtime.exec;
