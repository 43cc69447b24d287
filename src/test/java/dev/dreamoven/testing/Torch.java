package dev.dreamoven.testing;

import ai.djl.ndarray.NDManager;
import dev.dreamoven.clip.TorchRuntime;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * libtorch for one test class: starts the engine offline (as the product does) and opens a base
 * manager before the class's first test, closes it after its last. Register it with
 * {@code @RegisterExtension static final Torch TORCH = new Torch();}; the extension's set-up runs
 * before the class's own {@code @BeforeAll} methods, so they may use {@link #manager()}.
 */
public final class Torch implements BeforeAllCallback, AfterAllCallback {

    private NDManager manager;

    @Override
    public void beforeAll(ExtensionContext context) {
        TorchRuntime.start(0, 1);
        manager = NDManager.newBaseManager("PyTorch");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        manager.close();
        manager = null;
    }

    /** The class's base manager; arrays a test keeps should live in a sub-manager of it. */
    public NDManager manager() {
        if (manager == null) {
            throw new IllegalStateException("Torch is used outside the test class it is registered in");
        }
        return manager;
    }
}
