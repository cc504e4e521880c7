/**
 * The bytecode scanner that makes {@code dev.agentpkg.api.ModuleContext} the only door: every class
 * of a module's jars is checked against an allow-list of JDK API before install and before loading.
 */
package dev.agentpkg.runtime.scan;
