package dev.dreamoven.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Immutable configuration: the defaults shipped in the jar ({@code config/dreamoven.properties}),
 * overridden by a properties file on disk, overridden by environment variables named
 * {@code DREAMOVEN_<KEY>} (dots and dashes become underscores, upper case), e.g.
 * {@code DREAMOVEN_TORCH_THREADS=4} for {@code torch.threads}.
 */
public record AppConfig(Map<String, String> values) {

    public static final String DEFAULTS_RESOURCE = "/config/dreamoven.properties";

    public AppConfig {
        values = Map.copyOf(values);
    }

    /** Defaults, then {@code file} if it exists, then the environment. */
    public static AppConfig load(Path file, Map<String, String> environment) {
        Map<String, String> merged = new TreeMap<>(readDefaults());
        if (file != null && Files.isRegularFile(file)) {
            merged.putAll(read(file));
        }
        for (String key : merged.keySet().toArray(String[]::new)) {
            String env = environment.get(envName(key));
            if (env != null) {
                merged.put(key, env.trim());
            }
        }
        return new AppConfig(merged);
    }

    public static AppConfig defaults() {
        return new AppConfig(readDefaults());
    }

    public static String envName(String key) {
        return "DREAMOVEN_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public AppConfig with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new AppConfig(copy);
    }

    public Optional<String> find(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String get(String key) {
        return find(key).orElseThrow(() -> new ConfigException("missing configuration key '" + key + "'"));
    }

    public int getInt(String key) {
        String v = get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException("configuration '" + key + "' must be an integer, got '" + v + "'");
        }
    }

    public double getDouble(String key) {
        String v = get(key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigException("configuration '" + key + "' must be a number, got '" + v + "'");
        }
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key));
    }

    private static Map<String, String> readDefaults() {
        try (InputStream in = AppConfig.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new ConfigException("defaults " + DEFAULTS_RESOURCE + " are missing from the classpath");
            }
            return toMap(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return toMap(in);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration " + file + ": " + e.getMessage());
        }
    }

    private static Map<String, String> toMap(InputStream in) throws IOException {
        Properties p = new Properties();
        try (Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    /** A configuration value is missing or malformed; the message is meant for the user. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
