package dev.agentpkg.runtime.scan;

/** A refused reference, before it is placed in a class and jar. */
record Finding(String reference, String category) {}
