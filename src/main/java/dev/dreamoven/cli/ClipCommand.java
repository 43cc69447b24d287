package dev.dreamoven.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.clip.ClipModels;
import dev.dreamoven.clip.ClipTokenizer;
import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.clip.TorchDevice;
import dev.dreamoven.settings.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code clip tokenize} and {@code clip embed}: CLIP's tokenizer and encoders from the command line. */
@Command(name = "clip", mixinStandardHelpOptions = true,
        description = "CLIP's tokenizer and encoders (prints JSON on stdout).",
        subcommands = {ClipCommand.Tokenize.class, ClipCommand.Embed.class})
public final class ClipCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The vocabulary file from the option, else the configured {@code model.vocab}. */
    static Optional<Path> vocab(Settings settings, Path option) {
        return option != null ? Optional.of(option) : settings.model().vocab();
    }

    @Command(name = "tokenize", mixinStandardHelpOptions = true,
            description = "Prints each text's token ids (start, BPE, end, zero padding) as one JSON array per line.")
    static final class Tokenize implements AppCommand {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--vocab", paramLabel = "FILE",
                description = "BPE merges file, e.g. bpe_simple_vocab_16e6.txt.gz (default: setting model.vocab, else the "
                        + "shipped model's own vocabulary).")
        Path vocab;

        @Option(names = "--context", paramLabel = "N", defaultValue = "77", description = "Context length (default: 77).")
        int context;

        @Option(names = "--truncate", description = "Cut too-long texts (keeping the end token) instead of refusing them.")
        boolean truncate;

        @Parameters(arity = "1..*", paramLabel = "TEXT", description = "Texts to tokenize.")
        List<String> texts;

        @Override
        public int run(Services services) {
            if (context < 2) {
                throw new InvalidInputException("--context must be at least 2");
            }
            Optional<Path> file = vocab(services.settings(), vocab);
            ClipTokenizer tokenizer;
            if (file.isPresent()) {
                tokenizer = ClipTokenizer.load(file.get());
            } else if (services.settings().model().spec().strip().equals(ClipModels.SHIPPED)) {
                tokenizer = ClipModels.shippedTokenizer(); // the configured model is the shipped one: its own
            } else {
                // Any other model is OpenAI-layout: OpenAI's vocabulary, from the cache or downloaded.
                tokenizer = ClipTokenizer.load(services.namedModels().openAiVocab());
            }
            tokenizer = tokenizer.withContextLength(context);
            List<int[]> rows = new ArrayList<>();
            for (String text : texts) {
                rows.add(tokenizer.encode(text, truncate)); // all or nothing: refuse before printing
            }
            PrintWriter out = spec.commandLine().getOut();
            Gson gson = new Gson();
            rows.forEach(r -> out.println(gson.toJson(r)));
            out.flush();
            return 0;
        }
    }

    @Command(name = "embed", mixinStandardHelpOptions = true,
            description = "Prints {\"text\": [[...]], \"image\": [[...]]}: raw (unnormalized) CLIP embeddings.")
    static final class Embed implements AppCommand {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"--checkpoint", "--model"}, paramLabel = "FILE|NAME",
                description = "'shapes', a name such as ViT-B/32 or RN50 (downloaded on first use), or a .pt / "
                        + ".safetensors file (default: setting model.name, else model.checkpoint).")
        String checkpoint;

        @Option(names = "--vocab", paramLabel = "FILE", description = "BPE merges file (default: setting model.vocab; "
                + "the shipped model has its own, OpenAI's is downloaded for other models).")
        Path vocab;

        @Option(names = "--text", paramLabel = "T", description = "A text to embed (repeatable).")
        List<String> texts = new ArrayList<>();

        @Option(names = "--raw-images", paramLabel = "FILE.f32",
                description = "float32 little-endian [N, 3, R, R], already CLIP-normalized.")
        Path rawImages;

        @Option(names = "--count", paramLabel = "N", description = "Images in --raw-images (default: from its size).")
        Integer count;

        @Override
        public int run(Services services) {
            if (texts.isEmpty() && rawImages == null) {
                throw new InvalidInputException("nothing to embed: give --text and/or --raw-images");
            }
            String ckpt = checkpoint != null ? checkpoint : services.settings().model().spec();
            float[] pixels = rawImages == null ? null : readFloats(rawImages);
            TorchDevice device = services.torchDevice();
            try (NDManager manager = device.newManager();
                    LoadedClip clip = ClipModels.open(ckpt, vocab(services.settings(), vocab), services.namedModels(),
                            manager)) {
                device.configure(clip.model());
                float[][] text = clip.embedTexts(texts);
                float[][] image = new float[0][];
                if (pixels != null) {
                    int r = clip.model().imageResolution();
                    int perImage = 3 * r * r;
                    int n = count != null ? count : pixels.length / perImage;
                    if (n <= 0 || (long) n * perImage != pixels.length) {
                        throw new InvalidInputException(rawImages + " holds " + pixels.length + " floats, not "
                                + (count != null ? count : "a whole number of") + " images of 3x" + r + "x" + r);
                    }
                    image = clip.embedImages(pixels, n);
                }
                JsonObject json = new JsonObject();
                json.add("text", matrix(text));
                json.add("image", matrix(image));
                PrintWriter out = spec.commandLine().getOut();
                out.println(new Gson().toJson(json));
                out.flush();
            }
            return 0;
        }

        private static JsonArray matrix(float[][] rows) {
            JsonArray a = new JsonArray();
            for (float[] row : rows) {
                JsonArray r = new JsonArray();
                for (float v : row) {
                    r.add(v);
                }
                a.add(r);
            }
            return a;
        }

        private static float[] readFloats(Path file) {
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException("raw image file " + file + " does not exist");
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
            }
            if (bytes.length % 4 != 0) {
                throw new InvalidInputException(file + " is not float32 data (" + bytes.length + " bytes)");
            }
            float[] v = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            return v;
        }
    }
}
