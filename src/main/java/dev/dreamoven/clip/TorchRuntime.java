package dev.dreamoven.clip;

import ai.djl.engine.Engine;

/**
 * Starts libtorch from the native library bundled in the jar ({@code pytorch-native-cpu}; the
 * {@code -Pcuda} build adds {@code pytorch-native-cu124} beside it), never from the network. Call
 * {@link #start} before the first NDArray is made; {@link TorchDevice} then decides where to compute.
 */
public final class TorchRuntime {

    private TorchRuntime() {
    }

    /**
     * @param threads intra-op threads, 0 for one per core
     * @param interopThreads inter-op threads, at least 1
     * @return the engine
     * @throws TorchUnavailableException with one readable line when libtorch cannot load
     */
    public static Engine start(int threads, int interopThreads) {
        // Offline: DJL must use the bundled native package and never try its download.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("offline", "true");
        System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        int intra = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intra));
        System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(Math.max(1, interopThreads)));
        try {
            Engine engine = Engine.getEngine("PyTorch");
            engine.setRandomSeed(0);
            return engine;
        } catch (Throwable t) { // UnsatisfiedLinkError, EngineException, ...
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new TorchUnavailableException("libtorch could not be loaded (" + root.getClass().getSimpleName()
                    + ": " + root.getMessage() + "); this build needs linux-x86_64 with glibc", t);
        }
    }

    /** libtorch failed to load; the message is one line for the user. */
    public static final class TorchUnavailableException extends RuntimeException {
        public TorchUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
