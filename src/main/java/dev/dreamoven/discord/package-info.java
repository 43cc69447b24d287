/**
 * The Discord adapter and the only package that uses JDA: logging in, registering the bot's
 * command definitions, and JDA events, interactions and channels as the bot's {@code Interaction}
 * and {@code Channels}. Uses {@code bot}, {@code render} and {@code common}.
 */
package dev.dreamoven.discord;
