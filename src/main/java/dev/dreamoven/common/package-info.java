/**
 * What every package may use: {@code InvalidInputException}, the one-line refusal of bad input that
 * the edges show to the user, and {@code UnavailableException}, the one line for the operator when
 * Dream Oven cannot work where it runs (another owner, a read-only database, a full disk). A leaf: it depends on nothing of the product.
 */
package dev.dreamoven.common;
