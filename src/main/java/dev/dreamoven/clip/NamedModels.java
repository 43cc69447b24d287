package dev.dreamoven.clip;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where named models come from and go to: the catalog, the addresses ({@code model.download-url},
 * {@code model.vocab-url}) and the cache folder ({@code model.cache}) the downloads land in.
 *
 * @param baseUrl ends in a slash; a checkpoint is at {@code <baseUrl><sha256>/<file>}
 * @param vocabUrl the address of OpenAI's BPE vocabulary
 */
public record NamedModels(ModelCatalog catalog, URI baseUrl, URI vocabUrl, Path cache, Downloads downloads) {

    /** The verified checkpoint file of a catalog entry, downloaded on first use. */
    public Path checkpoint(ModelCatalog.Entry entry) {
        return downloads.fetch(entry.url(baseUrl), entry.sha256(), entry.bytes(), cache.resolve(entry.fileName()));
    }

    /** The verified BPE vocabulary of OpenAI's models, downloaded on first use. */
    public Path openAiVocab() {
        ModelCatalog.Entry v = ModelCatalog.OPENAI_VOCAB;
        return downloads.fetch(vocabUrl, v.sha256(), v.bytes(), cache.resolve(v.fileName()));
    }
}
