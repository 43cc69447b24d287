/**
 * What every package may use: {@code InvalidInputException}, the one-line refusal of bad input that
 * the edges show to the user. A leaf: it depends on nothing of the product.
 */
package dev.dreamoven.common;
