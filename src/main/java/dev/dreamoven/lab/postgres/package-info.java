/**
 * A throwaway PostgreSQL server ({@link dev.dreamoven.lab.postgres.TempPostgres}) for tests and lab
 * runs of the PostgreSQL store: a cluster in a temp folder on a free loopback port, gone when closed.
 * Uses the installed {@code initdb} and {@code pg_ctl}; nothing of the product.
 */
package dev.dreamoven.lab.postgres;
