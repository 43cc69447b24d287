/**
 * The chat bot, the same for every transport: one class per slash command (definition, option
 * parsing, handler), every message in {@code Messages}, reactions, and the render queue's job events
 * turned into replies, previews and result posts. Transports implement {@code Interaction} and
 * {@code Channels}. Uses {@code render}, {@code dream}, {@code store} and {@code common}; never JDA,
 * {@code discord} or {@code cli}.
 */
package dev.dreamoven.bot;
