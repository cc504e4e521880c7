/** Bytecode scanner, isolated class loader and module runner (built in the runtime issue). */
package dev.agentpkg.runtime;
