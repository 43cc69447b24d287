package dev.dreamoven.clip;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.common.InvalidInputException;
import java.util.Locale;
import java.util.Optional;

/**
 * The one device a process computes on, and everything that depends on it: where models and dream
 * arrays are made ({@link #newManager}) and what the CLIP towers compute in ({@link #towerPrecision}:
 * float32 on the CPU, the configured half precision on a CUDA GPU). {@link #resolve} decides it once
 * from what was asked and what libtorch reports:
 *
 * <ul>
 *   <li>{@code auto}: the first CUDA GPU when libtorch sees one, else the CPU (no complaint);
 *   <li>{@code cpu}: the CPU;
 *   <li>{@code cuda} or {@code cuda:N} where no GPU can be used (a CPU-only libtorch, no driver, no
 *       device): the CPU, with {@link #fallback} saying why in one line;
 *   <li>{@code cuda:N} beyond the GPUs present: refused ({@link InvalidInputException}), because a
 *       machine with GPUs and a wrong index is a typo, not a reason to run many times slower.
 * </ul>
 */
public final class TorchDevice {

    /** What was asked for ({@code torch.device}, {@code --device}). */
    public enum Kind { AUTO, CPU, CUDA }

    /** What the GPU towers compute in ({@code torch.gpu-precision}); ignored on the CPU. */
    public enum GpuPrecision { FLOAT16, FLOAT32 }

    /**
     * @param index the GPU for {@code cuda:N}, -1 for {@code auto}, {@code cpu} and plain {@code cuda}
     */
    public record Request(Kind kind, int index, GpuPrecision gpuPrecision) {

        public static Request cpu() {
            return new Request(Kind.CPU, -1, GpuPrecision.FLOAT32);
        }

        @Override
        public String toString() {
            return index >= 0 ? "cuda:" + index : kind.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What the loaded libtorch reports.
     *
     * @param cudaBuild the loaded libtorch was built with CUDA (DJL's {@code pytorch-native-cu*} natives)
     * @param gpuCount CUDA devices visible to it (0 without a driver or a device)
     * @param cudaPackaged CUDA natives are on the class path (the {@code -Pcuda} jar), whether or
     *     not DJL loaded them: it loads the CPU package of that jar where it finds no CUDA runtime
     */
    public record Libtorch(String version, boolean cudaBuild, int gpuCount, boolean cudaPackaged) {

        /** Asks the started engine (see {@link TorchRuntime#start}) and the class path. */
        public static Libtorch of(Engine engine) {
            boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
            return new Libtorch(engine.getVersion(), cuda, cuda ? engine.getGpuCount() : 0, cuda || cudaOnClassPath());
        }

        /** Whether a DJL native package of a CUDA flavour ({@code flavor=cu…}) is on the class path. */
        public static boolean cudaOnClassPath() {
            try {
                java.util.Enumeration<java.net.URL> found = TorchDevice.class.getClassLoader()
                        .getResources("native/lib/pytorch.properties");
                while (found.hasMoreElements()) {
                    java.util.Properties p = new java.util.Properties();
                    try (java.io.InputStream in = found.nextElement().openStream()) {
                        p.load(in);
                    }
                    if (p.getProperty("flavor", "").startsWith("cu")) {
                        return true;
                    }
                }
            } catch (java.io.IOException e) {
                return false;
            }
            return false;
        }
    }

    private final Device device;
    private final TowerPrecision towerPrecision;
    private final String fallback;

    private TorchDevice(Device device, TowerPrecision towerPrecision, String fallback) {
        this.device = device;
        this.towerPrecision = towerPrecision;
        this.fallback = fallback;
    }

    /** The CPU in float32: what tests and tools that take no setting compute on. */
    public static TorchDevice cpu() {
        return new TorchDevice(Device.cpu(), TowerPrecision.FLOAT32, null);
    }

    /**
     * @throws InvalidInputException for {@code cuda:N} with N beyond the GPUs libtorch sees (at least one)
     */
    public static TorchDevice resolve(Request request, Libtorch libtorch) {
        switch (request.kind()) {
            case CPU:
                return cpu();
            case AUTO:
                return libtorch.gpuCount() > 0 ? gpu(0, request.gpuPrecision()) : cpu();
            default:
                break;
        }
        if (!libtorch.cudaBuild() && libtorch.cudaPackaged()) {
            return new TorchDevice(Device.cpu(), TowerPrecision.FLOAT32, "torch.device=" + request
                    + " but DJL found no CUDA GPU (no NVIDIA driver or device; in Docker, run with --gpus all) and "
                    + "loaded the CPU libtorch " + libtorch.version() + ": computing on the CPU");
        }
        if (!libtorch.cudaBuild()) {
            return new TorchDevice(Device.cpu(), TowerPrecision.FLOAT32, "torch.device=" + request
                    + " but this build's libtorch " + libtorch.version() + " has no CUDA (a CPU build; mvn -Pcuda "
                    + "builds the CUDA jar): computing on the CPU");
        }
        if (libtorch.gpuCount() == 0) {
            return new TorchDevice(Device.cpu(), TowerPrecision.FLOAT32, "torch.device=" + request
                    + " but CUDA libtorch " + libtorch.version() + " sees no GPU (no NVIDIA driver or device; in "
                    + "Docker, run with --gpus all): computing on the CPU");
        }
        int index = Math.max(0, request.index());
        if (index >= libtorch.gpuCount()) {
            throw new InvalidInputException("torch.device=" + request + " but libtorch sees " + libtorch.gpuCount()
                    + (libtorch.gpuCount() == 1 ? " GPU (cuda:0)" : " GPUs (cuda:0 to cuda:" + (libtorch.gpuCount() - 1) + ")"));
        }
        return gpu(index, request.gpuPrecision());
    }

    private static TorchDevice gpu(int index, GpuPrecision precision) {
        TowerPrecision p = precision == GpuPrecision.FLOAT16 ? TowerPrecision.FLOAT16 : TowerPrecision.FLOAT32;
        return new TorchDevice(Device.gpu(index), p, null);
    }

    public Device device() {
        return device;
    }

    public boolean isGpu() {
        return device.isGpu();
    }

    /** float32 on the CPU; on a GPU the configured precision of the towers' products. */
    public TowerPrecision towerPrecision() {
        return towerPrecision;
    }

    /** Why a GPU that was asked for is not used, in one line; empty when nothing fell back. */
    public Optional<String> fallback() {
        return Optional.ofNullable(fallback);
    }

    /** A new root manager on this device: a model's, a dream's, a scope's. */
    public NDManager newManager() {
        return NDManager.newBaseManager(device, "PyTorch");
    }

    /**
     * Gives {@code model} this device's tower precision. A model loaded into a manager from
     * {@link #newManager} is already on the device; this only decides how its towers compute.
     */
    public void configure(ClipModel model) {
        if (model instanceof OpenAiClip clip) {
            clip.usePrecision(towerPrecision);
        } else if (model instanceof ClipEnsemble ensemble) {
            ensemble.members().forEach(m -> configure(m.model()));
        }
    }

    /** One line for the log: {@code cuda:0, float16 towers} or {@code cpu, float32}. */
    @Override
    public String toString() {
        return isGpu() ? "cuda:" + device.getDeviceId() + ", " + towerPrecision + " towers" : "cpu, float32";
    }
}
