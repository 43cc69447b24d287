package dev.dreamoven.render;


import java.util.List;
import java.util.Optional;

/**
 * The port from the chat front ends to the baked-path store: what {@code /bake list|remove|import}
 * and the prompt autocomplete need. The bake package (or App) provides the real one.
 */
public interface BakedPrompts {

    /** A baked prompt and the id of its path (a short, stable name for it). */
    record Baked(String id, String prompt) {
    }

    /** Baked prompts that start with (or contain) {@code prefix}, case-insensitive, best first, at most {@code limit}. */
    List<Baked> search(String prefix, int limit);

    /** The prompt of the baked path with this id; empty when there is none (any more). */
    Optional<String> prompt(String id);

    /** Removes the baked path of exactly this prompt; false if there was none. */
    boolean remove(String prompt);

    /**
     * Imports a baked path file (e.g. an original {@code .pt} of the clipart scripts).
     *
     * @return the prompt it was stored under
     * @throws dev.dreamoven.common.InvalidInputException if the file is not a baked path
     */
    String importAttachment(String fileName, byte[] content);

    /** No baked-path store wired: lists nothing, imports nothing. */
    BakedPrompts NONE = new BakedPrompts() {
        @Override
        public List<Baked> search(String prefix, int limit) {
            return List.of();
        }

        @Override
        public Optional<String> prompt(String id) {
            return Optional.empty();
        }

        @Override
        public boolean remove(String prompt) {
            return false;
        }

        @Override
        public String importAttachment(String fileName, byte[] content) {
            throw new dev.dreamoven.common.InvalidInputException("this build has no baked-path store to import into");
        }
    };
}
