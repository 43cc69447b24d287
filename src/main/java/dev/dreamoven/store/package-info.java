/**
 * The database: SQLite (a HikariCP pool in WAL mode, the Flyway migrations under
 * {@code db/migration}) or, where several hosts share one queue, PostgreSQL (its twins of those
 * migrations under {@code db/postgresql}, number for number): render V10-19, bake V20-29, bot V30-39,
 * and later ones by the next free number. Uses nothing of the product.
 */
package dev.dreamoven.store;
