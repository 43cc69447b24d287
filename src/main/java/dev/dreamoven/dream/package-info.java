/**
 * The dream loop: optimizing a picture against CLIP targets (cut-outs, spherical-distance loss,
 * regularizers, optimizers, schedules, octaves), its settings and presets ({@code DreamSettings}) and
 * guide plans. Uses {@code clip}, {@code image} and {@code common}.
 */
package dev.dreamoven.dream;
