/**
 * Benchmarks that print figures ({@code bench clip|dream|ack}): speed and memory of CLIP and the
 * dream loop, and acknowledgement latency of the Discord adapter driven by stand-in JDA events
 * (the one lab package that uses JDA). Uses the product through its services.
 */
package dev.dreamoven.lab.bench;
