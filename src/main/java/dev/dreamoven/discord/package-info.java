/**
 * The Discord adapter and the only package that uses JDA: logging in (sharded, at the configured API
 * and gateway URLs, the queue started first), registering the bot's command definitions where the
 * gating allows them, and JDA events, interactions, replies and channels as the bot's
 * {@code Interaction}, {@code Reply} and {@code Channels}. Who may bake, moderate or see everything
 * is {@link dev.dreamoven.discord.Access}; the token is cleaned and kept out of every message by
 * {@link dev.dreamoven.discord.BotToken}. Uses {@code bot}, {@code render} and {@code common}.
 */
package dev.dreamoven.discord;
