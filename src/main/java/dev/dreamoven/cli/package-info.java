/**
 * The command line: picocli commands that are option holders and run against the services the
 * composition root hands them ({@code AppCommand}, {@code Services}), and the console transport of
 * the bot. Uses {@code bot}, {@code bake}, {@code render}, {@code dream}, {@code clip}, {@code image},
 * {@code store}, {@code settings} and {@code common}; not {@code discord} nor {@code app}, which builds it.
 */
package dev.dreamoven.cli;
