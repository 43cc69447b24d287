/**
 * The SQLite database: a HikariCP pool in WAL mode and the Flyway migrations under
 * {@code db/migration} (render V10-19, bake V20-29, bot V30-39). Uses nothing of the product.
 */
package dev.dreamoven.store;
