package dev.dreamoven.clip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads tensors out of a TorchScript archive (the zip that {@code torch.jit.save} writes) without
 * libtorch: {@code <name>/data.pkl} is a pickle of the module tree whose objects hold their
 * parameters, buffers and submodules by attribute name, each tensor a
 * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)} call on a persistent
 * storage id {@code ("storage", torch.<Type>Storage, key, location, numel)}, whose little-endian
 * bytes are the entry {@code <name>/data/<key>}.
 *
 * <p>Why: DJL exposes a loaded TorchScript module's parameters ({@code getDirectParameters}) but
 * not its buffers, and BatchNorm's running statistics are buffers. Names are dotted paths from the
 * root module, as in a state dict ({@code visual.layer1.0.bn1.running_mean}). Only the pickle
 * opcodes that PyTorch's pickler writes are understood; anything else fails with an
 * {@link IOException} naming it.
 */
final class TorchScriptArchive {

    private TorchScriptArchive() {
    }

    /**
     * A tensor's place in the archive: storage entry, element type, and its strided view of it.
     *
     * @param storageElements the storage's element count as the pickle states it; -1 if it does not
     */
    record TensorRef(String storageKey, String storageType, long storageElements, long offset, long[] shape,
            long[] stride) {
    }

    /**
     * The pickle's root object of a {@code torch.save} archive ({@code <top>/data.pkl}): a
     * {@link TensorRef} when one tensor was saved; something else (a dict, a list) otherwise.
     */
    static Object savedRoot(ZipFile zip) throws IOException {
        return new Unpickler(bytes(zip, zip.getEntry(prefix(zip) + "data.pkl"))).load();
    }

    /** The raw bytes of a storage of the archive, or null when there is no such entry. */
    static byte[] storageBytes(ZipFile zip, String key, int atMost) throws IOException {
        ZipEntry entry = zip.getEntry(prefix(zip) + "data/" + key);
        if (entry == null) {
            return null;
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readNBytes(atMost);
        }
    }

    /** The elements of {@code t} in row-major order, as float32 (converting other storage types). */
    static float[] elements(TensorRef t, byte[] storage, String name) throws IOException {
        return values(t, storage, name);
    }

    /**
     * The tensors whose state-dict names pass {@code wanted}, as float32 (float16, bfloat16,
     * float64 and integer storages are converted), in the pickle's order.
     *
     * @throws IOException when the file is not a readable TorchScript archive
     */
    static Map<String, Safetensors.Tensor> read(Path file, Predicate<String> wanted) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = prefix(zip);
            ZipEntry byteOrder = zip.getEntry(prefix + "byteorder");
            if (byteOrder != null) {
                String order = new String(bytes(zip, byteOrder), StandardCharsets.US_ASCII).strip();
                if (!order.equals("little")) {
                    throw new IOException("TorchScript archive with " + order + "-endian storages is not supported");
                }
            }
            Map<String, TensorRef> refs = refs(zip, prefix);
            Map<String, byte[]> storages = new HashMap<>();
            Map<String, Safetensors.Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                if (!wanted.test(e.getKey())) {
                    continue;
                }
                TensorRef t = e.getValue();
                byte[] storage = storages.get(t.storageKey());
                if (storage == null) {
                    ZipEntry entry = zip.getEntry(prefix + "data/" + t.storageKey());
                    if (entry == null) {
                        throw new IOException("storage " + t.storageKey() + " of tensor " + e.getKey() + " is missing");
                    }
                    storage = bytes(zip, entry);
                    storages.put(t.storageKey(), storage);
                }
                out.put(e.getKey(), new Safetensors.Tensor(t.shape(), values(t, storage, e.getKey())));
            }
            return out;
        }
    }

    /** The tensors' names and layouts, without reading their values. */
    static Map<String, TensorRef> index(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return refs(zip, prefix(zip));
        }
    }

    private static Map<String, TensorRef> refs(ZipFile zip, String prefix) throws IOException {
        Object root = new Unpickler(bytes(zip, zip.getEntry(prefix + "data.pkl"))).load();
        Map<String, TensorRef> refs = new LinkedHashMap<>();
        collect("", root, refs, Collections.newSetFromMap(new IdentityHashMap<>()));
        return refs;
    }

    /** The archive's top folder, e.g. {@code "RN50/"}: the one that holds {@code data.pkl}. */
    private static String prefix(ZipFile zip) throws IOException {
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
            String name = en.nextElement().getName();
            if (name.endsWith("data.pkl") && name.indexOf('/') == name.lastIndexOf('/')) {
                return name.substring(0, name.length() - "data.pkl".length());
            }
        }
        throw new IOException("no data.pkl in the archive: not a PyTorch archive");
    }

    private static byte[] bytes(ZipFile zip, ZipEntry entry) throws IOException {
        if (entry == null) {
            throw new IOException("entry missing from the archive");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    /** Walks modules (objects whose state is an attribute dict) and dicts, naming every tensor. */
    private static void collect(String prefix, Object value, Map<String, TensorRef> out, Set<Object> seen) {
        Map<?, ?> attributes;
        if (value instanceof PickledObject o && o.state instanceof Map<?, ?> m) {
            attributes = m;
        } else if (value instanceof Map<?, ?> m) {
            attributes = m;
        } else {
            return;
        }
        if (!seen.add(value)) {
            return;
        }
        for (Map.Entry<?, ?> e : attributes.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                continue;
            }
            if (e.getValue() instanceof TensorRef t) {
                out.putIfAbsent(prefix + key, t);
            } else {
                collect(prefix + key + ".", e.getValue(), out, seen);
            }
        }
    }

    private static float[] values(TensorRef t, byte[] storage, String name) throws IOException {
        int size = elementSize(t.storageType());
        ByteBuffer buf = ByteBuffer.wrap(storage).order(ByteOrder.LITTLE_ENDIAN);
        long n = 1;
        for (long d : t.shape()) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        int rank = t.shape().length;
        long[] index = new long[rank];
        for (int i = 0; i < v.length; i++) {
            long element = t.offset();
            for (int k = 0; k < rank; k++) {
                element += index[k] * t.stride()[k];
            }
            long at = element * size;
            if (element < 0 || at + size > storage.length) {
                throw new IOException("tensor " + name + " reaches outside its storage");
            }
            v[i] = element(buf, (int) at, t.storageType());
            for (int k = rank - 1; k >= 0; k--) { // row-major odometer
                if (++index[k] < t.shape()[k]) {
                    break;
                }
                index[k] = 0;
            }
        }
        return v;
    }

    private static int elementSize(String type) throws IOException {
        return switch (type) {
            case "FloatStorage", "IntStorage" -> 4;
            case "HalfStorage", "BFloat16Storage", "ShortStorage" -> 2;
            case "DoubleStorage", "LongStorage" -> 8;
            case "ByteStorage", "CharStorage", "BoolStorage" -> 1;
            default -> throw new IOException("unsupported storage type " + type);
        };
    }

    private static float element(ByteBuffer b, int at, String type) {
        return switch (type) {
            case "FloatStorage" -> b.getFloat(at);
            case "HalfStorage" -> Safetensors.halfToFloat(b.getShort(at));
            case "BFloat16Storage" -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
            case "DoubleStorage" -> (float) b.getDouble(at);
            case "LongStorage" -> (float) b.getLong(at);
            case "IntStorage" -> (float) b.getInt(at);
            case "ShortStorage" -> (float) b.getShort(at);
            case "CharStorage" -> (float) b.get(at);
            case "ByteStorage", "BoolStorage" -> (float) (b.get(at) & 0xff);
            default -> throw new IllegalStateException(type);
        };
    }

    /** {@code module.name}, as GLOBAL pushes it. */
    private record Global(String module, String name) {
    }

    /** An object made by NEWOBJ; BUILD sets its state (a module's attribute dict). */
    private static final class PickledObject {
        final Global type;
        Object state;

        PickledObject(Global type) {
            this.type = type;
        }
    }

    /** A call this reader does not interpret. */
    private record Reduced(Global function, List<Object> args) {
    }

    /** {@code ("storage", torch.<type>, key, location, numel)}; numel is -1 where the id has none. */
    private record StorageRef(String type, String key, long numel) {
    }

    /** The pickle virtual machine, protocol 2 to 4, as far as PyTorch's pickler uses it. */
    private static final class Unpickler {
        private static final Object MARK = new Object();

        private final ByteBuffer in;
        private final List<Object> stack = new ArrayList<>();
        private final List<Integer> marks = new ArrayList<>();
        private final Map<Long, Object> memo = new HashMap<>();

        Unpickler(byte[] pickle) {
            this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        }

        Object load() throws IOException {
            try {
                while (true) {
                    int op = in.get() & 0xff;
                    switch (op) {
                        case 0x80 -> in.get(); // PROTO
                        case 0x95 -> in.getLong(); // FRAME
                        case '(' -> marks.add(stack.size()); // MARK
                        case '.' -> { // STOP
                            return pop();
                        }
                        case '0' -> pop(); // POP
                        case '1' -> popMark(); // POP_MARK
                        case '2' -> push(peek()); // DUP
                        case 'N' -> push(null);
                        case 0x88 -> push(Boolean.TRUE);
                        case 0x89 -> push(Boolean.FALSE);
                        case 'J' -> push((long) in.getInt()); // BININT
                        case 'K' -> push((long) (in.get() & 0xff)); // BININT1
                        case 'M' -> push((long) (in.getShort() & 0xffff)); // BININT2
                        case 0x8a -> push(long1(in.get() & 0xff)); // LONG1
                        case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT (BE)
                        case 'X' -> push(string(in.getInt())); // BINUNICODE
                        case 0x8c -> push(string(in.get() & 0xff)); // SHORT_BINUNICODE
                        case 0x8d -> push(string(Math.toIntExact(in.getLong()))); // BINUNICODE8
                        case 'B' -> push(raw(in.getInt())); // BINBYTES
                        case 'C' -> push(raw(in.get() & 0xff)); // SHORT_BINBYTES
                        case ')' -> push(List.of()); // EMPTY_TUPLE
                        case 't' -> push(Collections.unmodifiableList(popMark())); // TUPLE
                        case 0x85 -> push(tuple(1));
                        case 0x86 -> push(tuple(2));
                        case 0x87 -> push(tuple(3));
                        case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                        case 'a' -> { // APPEND
                            Object v = pop();
                            list(peek()).add(v);
                        }
                        case 'e' -> { // APPENDS
                            List<Object> items = popMark();
                            list(peek()).addAll(items);
                        }
                        case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                        case 's' -> { // SETITEM
                            Object v = pop();
                            Object k = pop();
                            dict(peek()).put(k, v);
                        }
                        case 'u' -> { // SETITEMS
                            List<Object> items = popMark();
                            Map<Object, Object> d = dict(peek());
                            for (int i = 0; i + 1 < items.size(); i += 2) {
                                d.put(items.get(i), items.get(i + 1));
                            }
                        }
                        case 'q' -> memo.put((long) (in.get() & 0xff), peek()); // BINPUT
                        case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek()); // LONG_BINPUT
                        case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                        case 'h' -> push(memo((long) (in.get() & 0xff))); // BINGET
                        case 'j' -> push(memo(in.getInt() & 0xffffffffL)); // LONG_BINGET
                        case 'c' -> push(new Global(line(), line())); // GLOBAL
                        case 0x93 -> { // STACK_GLOBAL
                            String name = (String) pop();
                            push(new Global((String) pop(), name));
                        }
                        case 'Q' -> push(persistent(pop())); // BINPERSID
                        case 'R' -> { // REDUCE
                            Object args = pop();
                            push(call(pop(), args));
                        }
                        case 0x81 -> { // NEWOBJ
                            pop(); // the constructor's arguments: always () for TorchScript objects
                            Object type = pop();
                            push(new PickledObject(type instanceof Global g ? g : new Global("?", "?")));
                        }
                        case 'b' -> { // BUILD
                            Object state = pop();
                            if (peek() instanceof PickledObject o) {
                                o.state = state;
                            }
                        }
                        default -> throw new IOException(String.format("unsupported pickle opcode 0x%02x at byte %d",
                                op, in.position() - 1));
                    }
                }
            } catch (java.nio.BufferUnderflowException | ClassCastException | IndexOutOfBoundsException e) {
                throw new IOException("malformed data.pkl: " + e, e);
            }
        }

        private void push(Object o) {
            stack.add(o);
        }

        private Object pop() {
            return stack.remove(stack.size() - 1);
        }

        private Object peek() {
            return stack.get(stack.size() - 1);
        }

        private List<Object> popMark() {
            int mark = marks.remove(marks.size() - 1);
            List<Object> items = new ArrayList<>(stack.subList(mark, stack.size()));
            stack.subList(mark, stack.size()).clear();
            return items;
        }

        private List<Object> tuple(int n) {
            List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
            stack.subList(stack.size() - n, stack.size()).clear();
            return Collections.unmodifiableList(items);
        }

        private Object memo(long key) throws IOException {
            if (!memo.containsKey(key)) {
                throw new IOException("pickle memo " + key + " is read before it is written");
            }
            return memo.get(key);
        }

        @SuppressWarnings("unchecked")
        private static List<Object> list(Object o) {
            return (List<Object>) o;
        }

        @SuppressWarnings("unchecked")
        private static Map<Object, Object> dict(Object o) {
            return (Map<Object, Object>) o;
        }

        private String string(int length) {
            byte[] b = raw(length);
            return new String(b, StandardCharsets.UTF_8);
        }

        private byte[] raw(int length) {
            byte[] b = new byte[length];
            in.get(b);
            return b;
        }

        private String line() {
            StringBuilder sb = new StringBuilder();
            for (byte b = in.get(); b != '\n'; b = in.get()) {
                sb.append((char) (b & 0xff));
            }
            return sb.toString();
        }

        private long long1(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (in.get() & 0xffL) << (8 * i);
            }
            if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
                v -= 1L << (8 * n); // two's complement of n bytes
            }
            return v;
        }

        /** {@code ("storage", torch.<Type>Storage, key, location, numel)} */
        private static Object persistent(Object pid) throws IOException {
            if (pid instanceof List<?> t && t.size() >= 3 && "storage".equals(t.get(0))
                    && t.get(1) instanceof Global g) {
                long numel = t.size() >= 5 && t.get(4) instanceof Number n ? n.longValue() : -1;
                return new StorageRef(g.name(), String.valueOf(t.get(2)), numel);
            }
            throw new IOException("unsupported persistent id " + pid);
        }

        private static Object call(Object function, Object argsObject) throws IOException {
            if (!(function instanceof Global g) || !(argsObject instanceof List<?> args)) {
                return new Reduced(null, List.of());
            }
            String name = g.module() + "." + g.name();
            switch (name) {
                case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                    if (!(args.get(0) instanceof StorageRef s)) {
                        throw new IOException("a tensor without a storage in data.pkl");
                    }
                    return new TensorRef(s.key(), s.type(), s.numel(), ((Number) args.get(1)).longValue(),
                            longs(args.get(2)), longs(args.get(3)));
                }
                case "torch._utils._rebuild_parameter" -> {
                    return args.get(0);
                }
                case "collections.OrderedDict" -> {
                    return new LinkedHashMap<>();
                }
                default -> {
                    return new Reduced(g, new ArrayList<>(args));
                }
            }
        }

        private static long[] longs(Object tuple) {
            List<?> l = (List<?>) tuple;
            long[] v = new long[l.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = ((Number) l.get(i)).longValue();
            }
            return v;
        }
    }
}
