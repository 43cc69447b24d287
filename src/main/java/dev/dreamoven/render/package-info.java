/**
 * The durable render queue: jobs stored in the database before they are acknowledged, a worker
 * thread that owns the model, recovery after a crash, workers on several hosts under leases and the
 * bots' {@code ResultFeed}, and the engines it runs ({@code OvenEngine}, the model-free
 * {@code PlaceholderEngine}). Tells its listener ({@code JobEvents}) what happens. Uses
 * {@code bake}, {@code dream}, {@code image}, {@code store} and {@code common}; knows no transport.
 */
package dev.dreamoven.render;
