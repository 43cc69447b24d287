package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.dreamoven.clip.TorchDevice.GpuPrecision;
import dev.dreamoven.clip.TorchDevice.Kind;
import dev.dreamoven.clip.TorchDevice.Libtorch;
import dev.dreamoven.clip.TorchDevice.Request;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.testing.SharedFixtures;
import dev.dreamoven.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The device decision against every answer libtorch can give (no GPU is needed: what libtorch
 * reports is an argument), this machine's real answer, and the half-precision towers, which the
 * CPU can run in float16 although the product only turns them on for a GPU.
 */
class TorchDeviceTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    private static final Libtorch CPU_BUILD = new Libtorch("2.7.1", false, 0, false);
    /** The -Pcuda jar where DJL found no CUDA runtime: it loaded the jar's CPU package. */
    private static final Libtorch CUDA_JAR_ON_CPU = new Libtorch("2.5.1", false, 0, true);
    private static final Libtorch CUDA_BUILD_NO_GPU = new Libtorch("2.5.1", true, 0, true);
    private static final Libtorch TWO_GPUS = new Libtorch("2.5.1", true, 2, true);

    private static Request ask(Kind kind, int index) {
        return new Request(kind, index, GpuPrecision.FLOAT16);
    }

    @Test
    void autoIsTheCpuWithoutAGpuAndSaysNothing() {
        for (Libtorch lib : new Libtorch[] {CPU_BUILD, CUDA_JAR_ON_CPU, CUDA_BUILD_NO_GPU}) {
            TorchDevice d = TorchDevice.resolve(ask(Kind.AUTO, -1), lib);
            assertThat(d.device()).isEqualTo(Device.cpu());
            assertThat(d.fallback()).isEmpty();
            assertThat(d.towerPrecision().isFloat32()).isTrue();
        }
    }

    @Test
    void autoTakesTheFirstGpuWithTheConfiguredTowerPrecision() {
        TorchDevice d = TorchDevice.resolve(ask(Kind.AUTO, -1), TWO_GPUS);
        assertThat(d.device()).isEqualTo(Device.gpu(0));
        assertThat(d.isGpu()).isTrue();
        assertThat(d.towerPrecision().computeType()).isEqualTo(DataType.FLOAT16);
        assertThat(d).hasToString("cuda:0, float16 towers");
        assertThat(TorchDevice.resolve(new Request(Kind.CUDA, 1, GpuPrecision.FLOAT32), TWO_GPUS)
                .towerPrecision().isFloat32()).isTrue();
    }

    @Test
    void cpuIsTheCpuEvenWithGpus() {
        TorchDevice d = TorchDevice.resolve(ask(Kind.CPU, -1), TWO_GPUS);
        assertThat(d.device()).isEqualTo(Device.cpu());
        assertThat(d.towerPrecision().isFloat32()).isTrue();
        assertThat(d.fallback()).isEmpty();
    }

    @Test
    void cudaOnACpuOnlyLibtorchFallsBackWithOneLineThatNamesTheCudaBuild() {
        TorchDevice d = TorchDevice.resolve(ask(Kind.CUDA, -1), CPU_BUILD);
        assertThat(d.device()).isEqualTo(Device.cpu());
        assertThat(d.towerPrecision().isFloat32()).isTrue();
        assertThat(d.fallback()).hasValueSatisfying(line -> {
            assertThat(line).doesNotContain("\n").contains("torch.device=cuda", "no CUDA", "-Pcuda", "CPU");
        });
    }

    @Test
    void cudaFromTheCudaJarOnAMachineWithoutCudaFallsBackWithOneLineThatSaysSo() {
        TorchDevice d = TorchDevice.resolve(ask(Kind.CUDA, -1), CUDA_JAR_ON_CPU);
        assertThat(d.device()).isEqualTo(Device.cpu());
        assertThat(d.fallback()).hasValue("torch.device=cuda but DJL found no CUDA GPU (no NVIDIA driver or device; "
                + "in Docker, run with --gpus all) and loaded the CPU libtorch 2.5.1: computing on the CPU");
    }

    @Test
    void cudaWithoutAVisibleGpuFallsBackWithOneLine() {
        TorchDevice d = TorchDevice.resolve(ask(Kind.CUDA, 0), CUDA_BUILD_NO_GPU);
        assertThat(d.device()).isEqualTo(Device.cpu());
        assertThat(d.fallback()).hasValueSatisfying(line -> {
            assertThat(line).doesNotContain("\n").contains("torch.device=cuda:0", "sees no GPU", "CPU");
        });
    }

    @Test
    void aGpuIndexBeyondThoseLibtorchSeesIsRefused() {
        assertThat(TorchDevice.resolve(ask(Kind.CUDA, 1), TWO_GPUS).device()).isEqualTo(Device.gpu(1));
        assertThat(TorchDevice.resolve(ask(Kind.CUDA, -1), TWO_GPUS).device()).isEqualTo(Device.gpu(0));
        assertThatThrownBy(() -> TorchDevice.resolve(ask(Kind.CUDA, 2), TWO_GPUS))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("torch.device=cuda:2 but libtorch sees 2 GPUs (cuda:0 to cuda:1)");
    }

    /** The default (CPU) build; skipped under -Pcuda, whose natives make the answer the machine's. */
    @Test
    void thisMachinesLibtorchComputesOnTheCpu() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Libtorch.cudaOnClassPath(), "the -Pcuda build");
        Libtorch here = Libtorch.of(Engine.getInstance());
        assertThat(here.cudaBuild()).as("the default build bundles pytorch-native-cpu").isFalse();
        assertThat(here.gpuCount()).isZero();
        assertThat(here.cudaPackaged()).isFalse();
        TorchDevice auto = TorchDevice.resolve(ask(Kind.AUTO, -1), here);
        assertThat(auto.device()).isEqualTo(Device.cpu());
        TorchDevice cuda = TorchDevice.resolve(ask(Kind.CUDA, -1), here);
        assertThat(cuda.device()).isEqualTo(Device.cpu());
        assertThat(cuda.fallback()).isPresent();
        try (NDManager m = cuda.newManager()) {
            assertThat(m.getDevice()).isEqualTo(Device.cpu());
            assertThat(m.zeros(new ai.djl.ndarray.types.Shape(2)).getDevice()).isEqualTo(Device.cpu());
        }
    }

    @Test
    void aModelLoadedThroughTheDeviceLivesThereAndKeepsFloat32OnTheCpu() {
        TorchDevice cpu = TorchDevice.resolve(ask(Kind.AUTO, -1), CPU_BUILD);
        try (NDManager models = cpu.newManager();
                OpenAiClip clip = ClipCheckpoints.load(SharedFixtures.require("clip-golden/tiny-clip.safetensors"),
                        models)) {
            cpu.configure(clip);
            assertThat(clip.device()).isEqualTo(Device.cpu());
            assertThat(clip.precision()).isSameAs(TowerPrecision.FLOAT32);
        }
    }

    /**
     * The autocast-style path itself, run on the CPU in float16 (which libtorch 2.7's CPU kernels
     * have, slowly): embeddings come back float32 and near the float32 ones, the gradient reaches the
     * float32 pixels, and float32 again gives the float32 numbers exactly.
     */
    @Test
    void halfPrecisionTowersReturnFloat32NearTheFloat32Embeddings() {
        for (String checkpoint : new String[] {"clip-golden/tiny-clip.safetensors",
                "clip-golden-rn/tiny-rn-clip.safetensors"}) {
            try (OpenAiClip clip = ClipCheckpoints.load(SharedFixtures.require(checkpoint), TORCH.manager());
                    NDManager step = TORCH.manager().newSubManager()) {
                int r = clip.imageResolution();
                NDArray pixels = step.randomNormal(new ai.djl.ndarray.types.Shape(2, 3, r, r));
                NDArray tokens = step.create(new int[] {49406, 320, 1125, 49407}).reshape(1, 4)
                        .concat(step.zeros(new ai.djl.ndarray.types.Shape(1, clip.config().contextLength() - 4),
                                DataType.INT32), 1);
                float[] text32 = clip.encodeText(tokens).toFloatArray();
                NDArray pixels32 = pixels.duplicate();
                pixels32.setRequiresGradient(true);
                float[] image32;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray image = clip.encodeImage(pixels32);
                    image32 = image.toFloatArray();
                    gc.backward(image.square().sum());
                }
                float[] grad32 = pixels32.getGradient().toFloatArray();

                clip.usePrecision(TowerPrecision.FLOAT16);
                pixels.setRequiresGradient(true);
                NDArray imageHalf;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    imageHalf = clip.encodeImage(pixels);
                    gc.backward(imageHalf.square().sum());
                }
                NDArray textHalf = clip.encodeText(tokens);
                assertThat(imageHalf.getDataType()).isEqualTo(DataType.FLOAT32);
                assertThat(textHalf.getDataType()).isEqualTo(DataType.FLOAT32);
                assertThat(pixels.getGradient().getDataType()).isEqualTo(DataType.FLOAT32);
                float[] gradHalf = pixels.getGradient().toFloatArray();
                System.out.printf("%s float16 vs float32: image %.4f, text %.4f, gradient %.4f (relative error)%n",
                        checkpoint, relativeError(imageHalf.toFloatArray(), image32),
                        relativeError(textHalf.toFloatArray(), text32), relativeError(gradHalf, grad32));
                assertThat(relativeError(gradHalf, grad32)).as(checkpoint + " gradient").isLessThan(0.1);
                assertThat(relativeError(imageHalf.toFloatArray(), image32)).as(checkpoint + " image").isLessThan(0.05);
                assertThat(relativeError(textHalf.toFloatArray(), text32)).as(checkpoint + " text").isLessThan(0.05);
                assertThat(relativeError(imageHalf.toFloatArray(), image32)).isGreaterThan(0); // float16 did compute
                assertThatThrownBy(() -> clip.setTrainable(true)).isInstanceOf(IllegalStateException.class);

                clip.usePrecision(TowerPrecision.FLOAT32);
                pixels.setRequiresGradient(false);
                assertThat(clip.encodeImage(pixels).toFloatArray()).containsExactly(image32);
            }
        }
    }

    /** ‖a − b‖ / ‖b‖. */
    private static double relativeError(float[] a, float[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
            norm += b[i] * (double) b[i];
        }
        return Math.sqrt(diff / norm);
    }
}
