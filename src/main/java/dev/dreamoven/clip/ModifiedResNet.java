package dev.dreamoven.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's ModifiedResNet image tower (openai/CLIP {@code model.py}, the {@code RN50} family) in
 * DJL array operations, differentiable to the pixels. Three differences from torchvision's ResNet:
 * a stem of three 3×3 convolutions and an average pool instead of one 7×7 convolution and a max
 * pool; anti-aliased strides (a 3×3 convolution at stride 1, then an average pool over the stride);
 * an attention pool (query: the mean of the feature map) instead of a global average pool.
 *
 * <p>Every operation takes the input (or something derived from it) as its receiver, so all
 * intermediate and result arrays live in the input's manager and a per-step scope frees them; the
 * weights stay in the model's manager.
 *
 * <p>State dict ({@code w} = width, {@code E} = 32w the pool width, {@code G} = resolution / 32,
 * {@code D} = embed dim; every convolution without bias; {@code bn*} and {@code downsample.1} are
 * {@link BatchNorm2d} layers):
 * <pre>
 * visual.conv1.weight [w/2, 3, 3, 3]   visual.conv2.weight [w/2, w/2, 3, 3]   visual.conv3.weight [w, w/2, 3, 3]
 * visual.bn1.* [w/2]  visual.bn2.* [w/2]  visual.bn3.* [w]
 * per block visual.layerS.B. (S = 1..4, inner width p = w·2^(S−1), in = the previous block's 4p):
 *   conv1.weight [p, in, 1, 1]  bn1.* [p]  conv2.weight [p, p, 3, 3]  bn2.* [p]
 *   conv3.weight [4p, p, 1, 1]  bn3.* [4p]
 *   downsample.0.weight [4p, in, 1, 1]  downsample.1.* [4p]   (block 0 of every stage)
 * visual.attnpool.positional_embedding [G*G+1, E]
 * visual.attnpool.{q,k,v}_proj.weight [E, E] .bias [E]   visual.attnpool.c_proj.weight [D, E] .bias [D]
 * </pre>
 */
final class ModifiedResNet {

    private static final String P = "visual.";

    /** One bottleneck block: where its tensors are, its widths ({@code in → 4·planes}) and its stride. */
    private record Block(String prefix, long inplanes, long planes, int stride, boolean downsample) {
    }

    private final ImageTower.ResNet tower;
    private final Map<String, NDArray> parameters;
    private final Map<String, BatchNorm2d> norms = new LinkedHashMap<>();
    private final List<Block> blocks;

    /**
     * @param parameters the model's weights by OpenAI key (read, never copied)
     * @param buffers the model's BatchNorm running statistics by OpenAI key
     */
    ModifiedResNet(ImageTower.ResNet tower, Map<String, NDArray> parameters, Map<String, NDArray> buffers) {
        this.tower = tower;
        this.parameters = parameters;
        this.blocks = blocks(tower);
        for (String bn : new String[] {"bn1", "bn2", "bn3"}) {
            norms.put(P + bn, BatchNorm2d.of(P + bn, parameters, buffers));
        }
        for (Block b : blocks) {
            List<String> layers = new ArrayList<>(List.of("bn1", "bn2", "bn3"));
            if (b.downsample()) {
                layers.add("downsample.1");
            }
            for (String bn : layers) {
                norms.put(b.prefix() + bn, BatchNorm2d.of(b.prefix() + bn, parameters, buffers));
            }
        }
    }

    /** The blocks in order; as {@code _make_layer}, block 0 of each stage strides and widens. */
    private static List<Block> blocks(ImageTower.ResNet t) {
        List<Block> out = new ArrayList<>();
        int inplanes = t.width();
        for (int s = 0; s < 4; s++) {
            int planes = t.width() << s;
            for (int b = 0; b < t.layers().get(s); b++) {
                int stride = b == 0 && s > 0 ? 2 : 1;
                boolean downsample = stride > 1 || inplanes != planes * ImageTower.ResNet.EXPANSION;
                out.add(new Block(P + "layer" + (s + 1) + "." + b + ".", inplanes, planes, stride, downsample));
                inplanes = planes * ImageTower.ResNet.EXPANSION;
            }
        }
        return out;
    }

    /** Adds every tensor of the tower (parameters and BatchNorm buffers), in PyTorch's order. */
    static void shapes(Map<String, long[]> s, ImageTower.ResNet t, int imageResolution, int embedDim) {
        long w = t.width();
        s.put(P + "conv1.weight", new long[] {w / 2, 3, 3, 3});
        BatchNorm2d.shapes(s, P + "bn1", w / 2);
        s.put(P + "conv2.weight", new long[] {w / 2, w / 2, 3, 3});
        BatchNorm2d.shapes(s, P + "bn2", w / 2);
        s.put(P + "conv3.weight", new long[] {w, w / 2, 3, 3});
        BatchNorm2d.shapes(s, P + "bn3", w);
        for (Block b : blocks(t)) {
            long inplanes = b.inplanes();
            long planes = b.planes();
            long out = planes * ImageTower.ResNet.EXPANSION;
            s.put(b.prefix() + "conv1.weight", new long[] {planes, inplanes, 1, 1});
            BatchNorm2d.shapes(s, b.prefix() + "bn1", planes);
            s.put(b.prefix() + "conv2.weight", new long[] {planes, planes, 3, 3});
            BatchNorm2d.shapes(s, b.prefix() + "bn2", planes);
            s.put(b.prefix() + "conv3.weight", new long[] {out, planes, 1, 1});
            BatchNorm2d.shapes(s, b.prefix() + "bn3", out);
            if (b.downsample()) {
                s.put(b.prefix() + "downsample.0.weight", new long[] {out, inplanes, 1, 1});
                BatchNorm2d.shapes(s, b.prefix() + "downsample.1", out);
            }
        }
        long e = t.poolWidth();
        long g = t.gridSize(imageResolution);
        s.put(P + "attnpool.positional_embedding", new long[] {g * g + 1, e});
        for (String proj : new String[] {"k_proj", "q_proj", "v_proj"}) {
            s.put(P + "attnpool." + proj + ".weight", new long[] {e, e});
            s.put(P + "attnpool." + proj + ".bias", new long[] {e});
        }
        s.put(P + "attnpool.c_proj.weight", new long[] {embedDim, e});
        s.put(P + "attnpool.c_proj.bias", new long[] {embedDim});
    }

    /**
     * @param pixels CLIP-normalized images {@code [N, 3, R, R]}, R a multiple of 32
     * @return {@code [N, D]}, not normalized
     */
    /** @param m the products in the model's precision (BatchNorm, pooling and softmax stay float32) */
    NDArray forward(NDArray pixels, TowerMath m) {
        NDArray x = convNormRelu(m, pixels, "conv1", "bn1", 2); // [N, w/2, R/2, R/2]
        x = convNormRelu(m, x, "conv2", "bn2", 1); // [N, w/2, R/2, R/2]
        x = convNormRelu(m, x, "conv3", "bn3", 1); // [N, w, R/2, R/2]
        x = avgPool(x, 2); // [N, w, R/4, R/4]
        for (Block b : blocks) {
            x = bottleneck(m, x, b); // stage s: [N, 4w·2^s, R/(4·2^s), R/(4·2^s)]
        }
        return attentionPool(m, x); // [N, D]
    }

    private NDArray convNormRelu(TowerMath m, NDArray x, String conv, String bn, int stride) {
        NDArray y = m.conv2d(x, P + conv + ".weight", stride, 1); // [N, C, H/stride, W/stride]
        return Activation.relu(norms.get(P + bn).inference(y));
    }

    /**
     * {@code relu(bn3(conv3(avgpool(relu(bn2(conv2(relu(bn1(conv1(x))))))))) + shortcut(x))}, the
     * shortcut being {@code downsample.1(downsample.0(avgpool(x)))} where the block strides or widens.
     *
     * @param x {@code [N, in, H, W]} → {@code [N, 4p, H/stride, W/stride]}
     */
    private NDArray bottleneck(TowerMath m, NDArray x, Block b) {
        String p = b.prefix();
        NDArray out = Activation.relu(norms.get(p + "bn1").inference(m.conv2d(x, p + "conv1.weight", 1, 0))); // [N, p, H, W]
        out = Activation.relu(norms.get(p + "bn2").inference(m.conv2d(out, p + "conv2.weight", 1, 1))); // [N, p, H, W]
        out = avgPool(out, b.stride()); // [N, p, H/s, W/s]
        out = norms.get(p + "bn3").inference(m.conv2d(out, p + "conv3.weight", 1, 0)); // [N, 4p, H/s, W/s]
        NDArray identity = x;
        if (b.downsample()) {
            identity = norms.get(p + "downsample.1")
                    .inference(m.conv2d(avgPool(x, b.stride()), p + "downsample.0.weight", 1, 0)); // [N, 4p, H/s, W/s]
        }
        return Activation.relu(out.add(identity));
    }

    /**
     * AttentionPool2d: the feature map as HW tokens, with their mean prepended; positional
     * embedding; multi-head attention whose only query is the mean token (it attends to itself
     * too); {@code c_proj}.
     *
     * @param x {@code [N, E, G, G]} → {@code [N, D]}
     */
    private NDArray attentionPool(TowerMath m, NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long e = s.get(1);
        long tokens = s.get(2) * s.get(3);
        int heads = tower.heads();
        long d = e / heads;
        String a = P + "attnpool.";
        x = x.reshape(n, e, tokens).transpose(0, 2, 1); // [N, GG, E]
        x = x.mean(new int[] {1}, true).concat(x, 1); // [N, GG+1, E]
        x = x.add(param(a + "positional_embedding"));
        NDArray q = m.linear(x.get(":, 0:1, :"), a + "q_proj"); // [N, 1, E]
        NDArray k = m.linear(x, a + "k_proj"); // [N, GG+1, E]
        NDArray v = m.linear(x, a + "v_proj"); // [N, GG+1, E]
        q = ScalarOps.div(q.reshape(n, 1, heads, d).transpose(0, 2, 1, 3), Math.sqrt(d)); // [N, H, 1, d]
        k = k.reshape(n, tokens + 1, heads, d).transpose(0, 2, 3, 1); // [N, H, d, GG+1]
        v = v.reshape(n, tokens + 1, heads, d).transpose(0, 2, 1, 3); // [N, H, GG+1, d]
        NDArray out = m.matMul(m.matMul(q, k).softmax(-1), v); // [N, H, 1, d]
        out = out.reshape(n, e); // [N, E] (heads in order, as the transpose back to [N, 1, H, d] gives)
        return m.linear(out, a + "c_proj"); // [N, D]
    }

    /** A bias-free square convolution; the result lives in x's manager. */
    /** {@code nn.AvgPool2d(k)}: kernel and stride k, no padding; the identity for k = 1. */
    private static NDArray avgPool(NDArray x, int k) {
        if (k == 1) {
            return x;
        }
        return Pool.avgPool2d(x, new Shape(k, k), new Shape(k, k), new Shape(0, 0), false, true);
    }

    private NDArray param(String key) {
        return parameters.get(key);
    }
}
