/**
 * The judged fidelity evaluation ({@code eval}): dreams a fixed toy-world prompt set with fixed seeds
 * under several configurations and modes and lets the model-free judge score each picture. Uses the
 * lab's toy world and the product through its services.
 */
package dev.dreamoven.lab.eval;
