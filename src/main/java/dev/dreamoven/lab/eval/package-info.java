/**
 * The judged fidelity evaluation ({@code eval}): dreams fixed toy-world prompt sets with fixed seeds
 * under several configurations and modes, with the product's own dream options, and lets the strict
 * model-free judge score each picture; the work can be split into shards and merged
 * ({@link dev.dreamoven.lab.eval.EvalRecords}). Uses the lab's toy world and the product through its
 * services.
 */
package dev.dreamoven.lab.eval;
