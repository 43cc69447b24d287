package dev.dreamoven.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import dev.dreamoven.common.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's CLIP (a ViT or a {@link ModifiedResNet} image tower, as {@link ClipConfig#vision} says,
 * and a causal text transformer) computed with DJL array operations from a state dict with
 * OpenAI's key names, so that gradients flow to the pixels and, when {@link #setTrainable
 * trainable}, to the weights.
 *
 * <p>Every operation takes the input (or something derived from it) as its receiver, so all
 * intermediate and result arrays live in the input's manager and a per-step scope frees them; the
 * parameters live in this model's own manager, closed by {@link #close}. The linear layers, matmuls
 * and convolutions go through a {@link TowerMath}: float32, or float16 on a GPU
 * ({@link TorchDevice#configure}).
 *
 * <p>State dict of the ViT (W = width, D = embed dim, P = patch, G = grid, L = context, V = vocab;
 * the ResNet's {@code visual.*} tensors are listed in {@link ModifiedResNet}):
 * <pre>
 * visual.conv1.weight [Wv, 3, P, P]      visual.class_embedding [Wv]
 * visual.positional_embedding [G*G+1, Wv] visual.ln_pre.* / visual.ln_post.* [Wv]
 * visual.proj [Wv, D]                    token_embedding.weight [V, Wt]
 * positional_embedding [L, Wt]           ln_final.* [Wt]     text_projection [Wt, D]
 * logit_scale []   per block (prefix visual.transformer.resblocks.i. / transformer.resblocks.i.):
 *   attn.in_proj_weight [3W, W] attn.in_proj_bias [3W] attn.out_proj.weight [W, W] attn.out_proj.bias [W]
 *   ln_1.*, ln_2.* [W]  mlp.c_fc.weight [4W, W] mlp.c_fc.bias [4W] mlp.c_proj.weight [W, 4W] mlp.c_proj.bias [W]
 * </pre>
 */
public final class OpenAiClip implements ClipModel {

    private static final float LN_EPS = 1e-5f;
    private static final String VISION_BLOCKS = "visual.transformer.resblocks.";
    private static final String TEXT_BLOCKS = "transformer.resblocks.";

    private final String id;
    private final ClipConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> buffers;
    /** The ResNet image tower, or null for a ViT. */
    private final ModifiedResNet resnet;
    private List<Integer> palette = List.of();
    /** The towers' matrix products, in float32 unless {@link #usePrecision} said otherwise. */
    private volatile TowerMath math;

    /**
     * Takes ownership of the state dict's tensors: they are attached to this model's manager and
     * freed by {@link #close}. Tensors not in float32 are converted. Weights start frozen.
     *
     * @param parameters OpenAI key names → arrays, parameters and buffers (BatchNorm running
     *     statistics) alike; extra keys (e.g. {@code input_resolution}, {@code num_batches_tracked})
     *     are ignored
     * @throws InvalidInputException when a key is missing or a shape does not fit the architecture
     */
    public OpenAiClip(String id, Map<String, NDArray> parameters) {
        if (parameters.isEmpty()) {
            throw new InvalidInputException("not a CLIP state dict: it holds no tensors");
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        parameters.forEach((k, v) -> shapes.put(k, v.getShape().getShape()));
        this.id = id;
        this.config = ClipConfig.fromStateDict(shapes);
        Map<String, long[]> expected = expectedShapes(config);
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long[] actual = shapes.get(e.getKey());
            if (actual == null) {
                throw new InvalidInputException("not a CLIP state dict: it has no tensor '" + e.getKey() + "'");
            }
            if (!java.util.Arrays.equals(actual, e.getValue())) {
                throw new InvalidInputException("CLIP state dict tensor '" + e.getKey() + "' has shape "
                        + new Shape(actual) + ", expected " + new Shape(e.getValue()));
            }
        }
        this.manager = parameters.values().iterator().next().getManager().newSubManager();
        Map<String, NDArray> own = new LinkedHashMap<>();
        Map<String, NDArray> ownBuffers = new LinkedHashMap<>();
        for (String key : expected.keySet()) {
            NDArray p = parameters.get(key);
            if (p.getDataType() != DataType.FLOAT32) {
                p = p.toType(DataType.FLOAT32, false);
            }
            p.attach(manager);
            (BatchNorm2d.isBuffer(key) ? ownBuffers : own).put(key, p);
        }
        this.parameters = Collections.unmodifiableMap(own);
        this.buffers = Collections.unmodifiableMap(ownBuffers);
        this.resnet = config.vision() instanceof ImageTower.ResNet r
                ? new ModifiedResNet(r, this.parameters, this.buffers)
                : null;
        this.math = new TowerMath(TowerPrecision.FLOAT32, this.parameters);
    }

    /**
     * Every tensor this architecture needs (parameters and buffers), with its shape, in OpenAI's
     * state-dict order.
     */
    public static Map<String, long[]> expectedShapes(ClipConfig c) {
        Map<String, long[]> s = new LinkedHashMap<>();
        int wt = c.textWidth();
        s.put("positional_embedding", new long[] {c.contextLength(), wt});
        s.put("text_projection", new long[] {wt, c.embedDim()});
        s.put("logit_scale", new long[] {});
        if (c.vision() instanceof ImageTower.ResNet r) {
            ModifiedResNet.shapes(s, r, c.imageResolution(), c.embedDim());
        } else {
            vitShapes(s, c);
        }
        blockShapes(s, TEXT_BLOCKS, c.textLayers(), wt);
        s.put("token_embedding.weight", new long[] {c.vocabSize(), wt});
        s.put("ln_final.weight", new long[] {wt});
        s.put("ln_final.bias", new long[] {wt});
        return s;
    }

    private static void vitShapes(Map<String, long[]> s, ClipConfig c) {
        int wv = c.visionWidth();
        int g = c.gridSize();
        s.put("visual.class_embedding", new long[] {wv});
        s.put("visual.positional_embedding", new long[] {(long) g * g + 1, wv});
        s.put("visual.proj", new long[] {wv, c.embedDim()});
        s.put("visual.conv1.weight", new long[] {wv, 3, c.visionPatchSize(), c.visionPatchSize()});
        s.put("visual.ln_pre.weight", new long[] {wv});
        s.put("visual.ln_pre.bias", new long[] {wv});
        blockShapes(s, VISION_BLOCKS, c.visionLayers(), wv);
        s.put("visual.ln_post.weight", new long[] {wv});
        s.put("visual.ln_post.bias", new long[] {wv});
    }

    private static void blockShapes(Map<String, long[]> s, String prefix, int layers, int w) {
        for (int i = 0; i < layers; i++) {
            String p = prefix + i + ".";
            s.put(p + "attn.in_proj_weight", new long[] {3L * w, w});
            s.put(p + "attn.in_proj_bias", new long[] {3L * w});
            s.put(p + "attn.out_proj.weight", new long[] {w, w});
            s.put(p + "attn.out_proj.bias", new long[] {w});
            s.put(p + "ln_1.weight", new long[] {w});
            s.put(p + "ln_1.bias", new long[] {w});
            s.put(p + "mlp.c_fc.weight", new long[] {4L * w, w});
            s.put(p + "mlp.c_fc.bias", new long[] {4L * w});
            s.put(p + "mlp.c_proj.weight", new long[] {w, 4L * w});
            s.put(p + "mlp.c_proj.bias", new long[] {w});
            s.put(p + "ln_2.weight", new long[] {w});
            s.put(p + "ln_2.bias", new long[] {w});
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ClipConfig config() {
        return config;
    }

    /** The weights by OpenAI key name (live arrays, not copies; order as in OpenAI's state dict). */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /**
     * The buffers by OpenAI key name: the BatchNorm running statistics of a ResNet tower (empty
     * for a ViT). Live arrays; never trainable.
     */
    public Map<String, NDArray> buffers() {
        return buffers;
    }

    /**
     * Frozen (the default) or trainable: trainable weights get gradients from a backward pass, so
     * a trainer can optimize them in place.
     */
    public void setTrainable(boolean trainable) {
        if (trainable && !math.precision().isFloat32()) {
            throw new IllegalStateException("a model computing in " + math.precision() + " cannot be trained: "
                    + "its products read half copies of the weights");
        }
        for (NDArray p : parameters.values()) {
            p.setRequiresGradient(trainable);
        }
    }

    /** Temperature of the contrastive logits: {@code exp(logit_scale)}. */
    public float logitScale() {
        return (float) Math.exp(parameters.get("logit_scale").getFloat());
    }

    @Override
    public ai.djl.Device device() {
        return manager.getDevice();
    }

    @Override
    public TowerPrecision precision() {
        return math.precision();
    }

    /**
     * Computes the towers' products in {@code precision} from now on (see {@link TowerPrecision});
     * the half copies of the weights are made on first use, in this model's manager.
     */
    void usePrecision(TowerPrecision precision) {
        if (precision != math.precision()) {
            this.math = new TowerMath(precision, parameters);
        }
    }

    @Override
    public NDArray encodeImage(NDArray pixels) {
        Shape shape = pixels.getShape();
        int r = config.imageResolution();
        if (shape.dimension() != 4 || shape.get(1) != 3 || shape.get(2) != r || shape.get(3) != r) {
            throw new IllegalArgumentException("encodeImage takes [N, 3, " + r + ", " + r + "], got " + shape);
        }
        TowerMath m = math;
        if (resnet != null) {
            return resnet.forward(pixels, m);
        }
        long n = shape.get(0);
        int w = config.visionWidth();
        int p = config.visionPatchSize();
        int tokens = config.gridSize() * config.gridSize();
        int g = config.gridSize();
        // conv1 (kernel = stride = patch, no bias) as one matmul over unfolded patches: the same
        // sums, and its backward to the pixels is several times faster than conv2d's on CPU.
        NDArray patches = pixels.reshape(n, 3, g, p, g, p).transpose(0, 2, 4, 1, 3, 5)
                .reshape(n, tokens, 3L * p * p); // [N, G*G, 3*P*P], channel-major like conv1's kernel
        NDArray kernel = m.weight("visual.conv1.weight").reshape(w, 3L * p * p); // [Wv, 3*P*P]
        kernel.attach(pixels.getManager()); // a per-call view: freed with the caller's scope
        NDArray x = m.linear(patches, kernel, null); // [N, G*G, Wv]
        NDArray cls = pixels.getManager().zeros(new Shape(n, 1, w)).add(param("visual.class_embedding")); // [N, 1, Wv]
        x = cls.concat(x, 1); // [N, G*G+1, Wv]
        x = x.add(param("visual.positional_embedding"));
        x = layerNorm(x, "visual.ln_pre");
        for (int i = 0; i < config.visionLayers(); i++) {
            x = residualBlock(m, x, VISION_BLOCKS + i + ".", config.visionHeads(), null);
        }
        x = x.get(":, 0, :"); // [N, Wv] class token
        x = layerNorm(x, "visual.ln_post");
        return m.matMulWeight(x, "visual.proj"); // [N, D]
    }

    @Override
    public NDArray encodeText(NDArray tokens) {
        Shape shape = tokens.getShape();
        int ctx = config.contextLength();
        if (shape.dimension() != 2 || shape.get(1) != ctx) {
            throw new IllegalArgumentException("encodeText takes [N, " + ctx + "], got " + shape);
        }
        int n = (int) shape.get(0);
        NDManager m = tokens.getManager();
        TowerMath products = this.math;
        NDArray ids = tokens.toType(DataType.INT64, false);
        long[] flat = ids.toLongArray();
        // One-hot row selector of each sequence's end-of-text token (the highest id), so the
        // selection is a matmul that stays on the autograd graph.
        float[] eot = new float[n * ctx];
        for (int b = 0; b < n; b++) {
            int best = 0;
            for (int t = 1; t < ctx; t++) {
                if (flat[b * ctx + t] > flat[b * ctx + best]) {
                    best = t;
                }
            }
            eot[b * ctx + best] = 1f;
            for (int t = 0; t < ctx; t++) {
                long id = flat[b * ctx + t];
                if (id < 0 || id >= config.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of "
                            + config.vocabSize());
                }
            }
        }
        NDArray x = Embedding.embedding(ids, param("token_embedding.weight"), SparseFormat.DENSE)
                .singletonOrThrow(); // [N, L, Wt]
        x = x.add(param("positional_embedding"));
        float[] mask = new float[ctx * ctx];
        for (int i = 0; i < ctx; i++) {
            for (int j = i + 1; j < ctx; j++) {
                mask[i * ctx + j] = Float.NEGATIVE_INFINITY;
            }
        }
        NDArray causal = m.create(mask, new Shape(ctx, ctx)); // [L, L]
        for (int i = 0; i < config.textLayers(); i++) {
            x = residualBlock(products, x, TEXT_BLOCKS + i + ".", config.textHeads(), causal);
        }
        NDArray selector = m.create(eot, new Shape(n, 1, ctx)); // [N, 1, L]
        x = selector.matMul(x).reshape(n, config.textWidth()); // [N, Wt] (a selection: exact in float32)
        x = layerNorm(x, "ln_final"); // per token, so selecting first is the same
        return products.matMulWeight(x, "text_projection"); // [N, D]
    }

    /** Pre-LN block: {@code x + attn(ln_1(x))}, then {@code x + mlp(ln_2(x))}. x: [N, T, W]. */
    private NDArray residualBlock(TowerMath m, NDArray x, String prefix, int heads, NDArray mask) {
        x = x.add(attention(m, layerNorm(x, prefix + "ln_1"), prefix + "attn.", heads, mask));
        NDArray h = m.linear(layerNorm(x, prefix + "ln_2"), prefix + "mlp.c_fc"); // [N, T, 4W]
        h = h.mul(Activation.sigmoid(ScalarOps.mul(h, 1.702f))); // QuickGELU
        return x.add(m.linear(h, prefix + "mlp.c_proj"));
    }

    /** nn.MultiheadAttention with all heads in one batched matmul. x: [N, T, W]. */
    private NDArray attention(TowerMath m, NDArray x, String prefix, int heads, NDArray mask) {
        Shape s = x.getShape();
        long n = s.get(0);
        long t = s.get(1);
        long w = s.get(2);
        long d = w / heads;
        NDArray qkv = m.linear(x, prefix + "in_proj_weight", prefix + "in_proj_bias"); // [N, T, 3W]
        qkv = qkv.reshape(n, t, 3, heads, d).transpose(2, 0, 3, 1, 4); // [3, N, H, T, d]
        NDArray q = ScalarOps.mul(qkv.get(0), 1.0 / Math.sqrt(d)); // [N, H, T, d]
        NDArray k = qkv.get(1);
        NDArray v = qkv.get(2);
        NDArray scores = m.matMul(q, k.transpose(0, 1, 3, 2)); // [N, H, T, T]
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray out = m.matMul(scores.softmax(-1), v); // [N, H, T, d]
        out = out.transpose(0, 2, 1, 3).reshape(n, t, w); // [N, T, W]
        return m.linear(out, prefix + "out_proj");
    }

    private NDArray layerNorm(NDArray x, String prefix) {
        NDArray gamma = param(prefix + ".weight");
        return LayerNorm.layerNorm(x, gamma.getShape(), gamma, param(prefix + ".bias"), LN_EPS).singletonOrThrow();
    }

    private NDArray param(String key) {
        return parameters.get(key);
    }

    @Override
    public List<Integer> palette() {
        return palette;
    }

    /** Sets the recommended palette read from the checkpoint's metadata. */
    void palette(List<Integer> colours) {
        this.palette = List.copyOf(colours);
    }

    @Override
    public void close() {
        manager.close();
    }
}
