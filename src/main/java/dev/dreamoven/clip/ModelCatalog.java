package dev.dreamoven.clip;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * CLIP checkpoints by name: OpenAI's released models, each downloaded from
 * {@code <base URL><sha256>/<file>} (the path carries the file's SHA-256, as in openai/CLIP's
 * {@code clip/clip.py} {@code _MODELS}), plus entries a test or a private mirror adds. The shipped
 * {@value ClipModels#SHIPPED} model is not here: it is in the jar and needs no download.
 */
public final class ModelCatalog {

    /** Where OpenAI publishes its checkpoints; {@code model.download-url} replaces it (e.g. a local mirror). */
    public static final URI OPENAI_BASE_URL = URI.create("https://openaipublic.azureedge.net/clip/models/");

    /**
     * One downloadable checkpoint.
     *
     * @param name what a user types, e.g. {@code ViT-B/32}
     * @param sha256 lower-case hex SHA-256 of the file, also the folder of its URL
     * @param fileName e.g. {@code ViT-B-32.pt}: the name in the URL and in the cache folder
     * @param inputSize side of the square picture the image tower takes (documentation; the
     *     loader reads it off the weights)
     * @param bytes the file's size as published (documentation and the progress bar when the
     *     server sends no length); 0 when unknown
     */
    public record Entry(String name, String sha256, String fileName, int inputSize, long bytes) {
        public Entry {
            if (!sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
            }
            if (fileName.isBlank() || fileName.contains("/") || fileName.contains("\\")) {
                throw new IllegalArgumentException("not a plain file name: " + fileName);
            }
        }

        /** The download address under {@code base} (which ends in a slash). */
        public URI url(URI base) {
            return base.resolve(sha256 + "/" + fileName);
        }
    }

    /** openai/CLIP's {@code _MODELS}; sizes as the files are published. */
    private static final List<Entry> OPENAI = List.of(
            new Entry("RN50", "afeb0e10f9e5a86da6080e35cf09123aca3b358a0c3e3b6c78a7b63bc04b6762", "RN50.pt", 224,
                    255_827_503L),
            new Entry("RN101", "8fa8567bab74a42d41c5915025a8e4538c3bdbe8804a470a72f30b0d94fab599", "RN101.pt", 224,
                    291_791_292L),
            new Entry("RN50x4", "7e526bd135e493cef0776de27d5f42653e6b4c8bf9e0f653bb11773263205fdd", "RN50x4.pt", 288,
                    421_854_225L),
            new Entry("RN50x16", "52378b407f34354e150460fe41077663dd5b39c54cd0bfd2b27167a4a06ec9aa", "RN50x16.pt", 384,
                    661_125_706L),
            new Entry("RN50x64", "be1cfb55d75a9666199fb2206c106743da0f6468c9d327f3e0d0a543a9919d9c", "RN50x64.pt", 448,
                    1_353_500_174L),
            new Entry("ViT-B/32", "40d365715913c9da98579312b702a82c18be219cc2a73407c4526f58eba950af", "ViT-B-32.pt",
                    224, 353_976_522L),
            new Entry("ViT-B/16", "5806e77cd80f8b59890b7e101eabd078d9fb84e6937f9e85e4ecb61988df416f", "ViT-B-16.pt",
                    224, 350_837_078L),
            new Entry("ViT-L/14", "b8cca3fd41ae0c99ba7e8951adf17d267cdb84cd88be6f7c2e0eca1737a03836", "ViT-L-14.pt",
                    224, 932_768_134L),
            new Entry("ViT-L/14@336px", "3035c92b350959924f9f00213499208652fc7ea050643e8b385c2dac08641f02",
                    "ViT-L-14-336px.pt", 336, 934_088_680L));

    /**
     * OpenAI's BPE vocabulary ({@code bpe_simple_vocab_16e6.txt.gz}, MIT licence, 1.3 MB), shared by
     * every released model. It is fetched like a checkpoint on first use, from openai/CLIP's
     * repository ({@code model.vocab-url} replaces the address), and checked against this SHA-256.
     */
    public static final Entry OPENAI_VOCAB = new Entry("OpenAI BPE vocabulary",
            "924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a", "bpe_simple_vocab_16e6.txt.gz", 0,
            1_356_917L);

    /** Default address of {@link #OPENAI_VOCAB}. */
    public static final URI OPENAI_VOCAB_URL =
            URI.create("https://raw.githubusercontent.com/openai/CLIP/main/clip/bpe_simple_vocab_16e6.txt.gz");

    private final Map<String, Entry> byKey;

    private ModelCatalog(Map<String, Entry> byKey) {
        this.byKey = Collections.unmodifiableMap(byKey);
    }

    /** OpenAI's released models. */
    public static ModelCatalog openAi() {
        Map<String, Entry> m = new LinkedHashMap<>();
        OPENAI.forEach(e -> m.put(key(e.name()), e));
        return new ModelCatalog(m);
    }

    /** This catalog and {@code extra} (replacing an entry of the same name). */
    public ModelCatalog with(Entry extra) {
        Map<String, Entry> m = new LinkedHashMap<>(byKey);
        m.put(key(extra.name()), extra);
        return new ModelCatalog(m);
    }

    /**
     * This catalog and the entries of {@code spec}: a comma list of {@code NAME=SHA256/FILE} (the
     * setting {@code model.extra-models}); blank adds none.
     *
     * @throws InvalidInputException with one line for a malformed entry
     */
    public ModelCatalog withExtras(String spec) {
        ModelCatalog out = this;
        for (String raw : spec.split(",")) {
            String item = raw.strip();
            if (item.isEmpty()) {
                continue;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([^=]+)=([0-9a-f]{64})/([^/\\\\]+)")
                    .matcher(item);
            if (!m.matches()) {
                throw new dev.dreamoven.common.InvalidInputException("model.extra-models entry '" + item
                        + "' is not NAME=SHA256/FILE (64 lower-case hex digits, then the file name)");
            }
            out = out.with(new Entry(m.group(1).strip(), m.group(2), m.group(3).strip(), 0, 0));
        }
        return out;
    }

    /** The entry named {@code name}, ignoring case ({@code vit-b/32} is {@code ViT-B/32}). */
    public Optional<Entry> find(String name) {
        return Optional.ofNullable(byKey.get(key(name)));
    }

    /** Every entry, in catalog order. */
    public List<Entry> entries() {
        return new ArrayList<>(byKey.values());
    }

    /** Every name, for messages. */
    public List<String> names() {
        return byKey.values().stream().map(Entry::name).toList();
    }

    private static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }
}
