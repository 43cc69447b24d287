/**
 * The application: {@code Main} (the product command line) and {@code DreamOven}, the one
 * composition root that builds every service once, by constructor injection, from the typed
 * settings, and hands it to the commands. The only package that may use every other product
 * package; nothing depends on it but the lab.
 */
package dev.dreamoven.app;
