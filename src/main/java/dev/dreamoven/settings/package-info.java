/**
 * Configuration: {@code AppConfig} (the properties file shipped in the jar, a file on disk, then
 * {@code DREAMOVEN_*} environment variables) and {@code Settings}, the typed records read from it once.
 * Every default lives in {@code config/dreamoven.properties}. Uses nothing of the product; the
 * composition root turns the records into constructor arguments.
 */
package dev.dreamoven.settings;
