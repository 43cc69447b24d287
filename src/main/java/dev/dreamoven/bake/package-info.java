/**
 * Baking and microwaving: the {@code Oven} that turns a request into pixel art (planning normal,
 * microwave or auto-microwave), the {@code Baker} that distils an expensive render into stage
 * targets, and the baked-path store (files plus their SQLite index). Uses {@code dream}, {@code clip},
 * {@code image}, {@code store} and {@code common}.
 */
package dev.dreamoven.bake;
