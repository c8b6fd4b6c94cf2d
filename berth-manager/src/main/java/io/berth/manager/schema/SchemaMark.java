package io.berth.manager.schema;

/** {@code /berth/cluster/schema}: the store's schema and the Berth version that last raised it. */
record SchemaMark(int schema, String berth) {}
