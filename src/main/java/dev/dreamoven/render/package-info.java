/**
 * The durable render queue: jobs stored in SQLite before they are acknowledged, one worker thread
 * that owns the model, recovery after a crash, and the engines it runs ({@code OvenEngine}, the
 * model-free {@code PlaceholderEngine}). Tells its listener ({@code JobEvents}) what happens. Uses
 * {@code bake}, {@code dream}, {@code image}, {@code store} and {@code common}; knows no transport.
 */
package dev.dreamoven.render;
