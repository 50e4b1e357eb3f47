package dev.gauntlet.model.internal;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: do not use. Loads a DJL parameter file ({@code Model.save}'s {@code name-NNNN.params})
 * into an initialised block, refusing any size the file cannot back before anything is allocated.
 *
 * <p>DJL's decoder trusts the file: an array record's 4-byte length goes straight to
 * {@code allocateDirect}, and a shape's dimension count to {@code new long[n]}, so a 759-byte file
 * can ask for 2 GB. This reader parses the file header itself and hands the block's own
 * {@code loadParameters} a manager that checks every array record (magic, version, data type,
 * shape, byte length) against the bytes left in the file and against the shape the architecture
 * expects, then replays the checked header to DJL's decoder, so the arrays are still decoded by
 * DJL. Layer metadata is read by DJL's blocks; a crafted size there can only exhaust memory, which
 * is reported as {@link Malformed} too.
 *
 * <p>Format (DJL 0.36, {@code BaseModel.readParameters}, {@code NDSerializer.decode}):
 * {@code "DJL@"}, int version 1, UTF model name, UTF data type, int n and n × (UTF name, shape),
 * int m and m × (UTF key, UTF value), then the block tree; each array record is UTF {@code "NDAR"},
 * int version 1–3, [byte has-name, UTF name] (≥ 2), UTF sparse format, UTF data type, shape
 * (int rank, rank × long, int layout length, layout chars), [byte order] (3), int length, data.
 */
public final class DjlParameterFile {

    /** Higher ranks than this are refused; no DJL layer comes near it. */
    private static final int MAX_RANK = 32;

    private DjlParameterFile() {}

    /** The file cannot back what it declares, or is of another architecture; the message names the field. */
    public static final class Malformed extends Exception {

        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /**
     * Tells whether a file starts with DJL's parameter magic {@code "DJL@"}.
     *
     * @param file the parameter file
     * @return true for a DJL parameter file
     * @throws IOException if the file cannot be read
     */
    public static boolean isDjlFormat(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'D' && magic[1] == 'J' && magic[2] == 'L' && magic[3] == '@';
        }
    }

    /**
     * Loads the parameters of {@code file} into the model's initialised block.
     *
     * @param model the model whose block and manager receive the parameters
     * @param file a DJL parameter file
     * @throws Malformed if a declared size exceeds the file, a field is invalid, or a parameter's shape is not
     *     the one the architecture expects; nothing large has been allocated
     * @throws IOException if the file cannot be read or ends early
     * @throws MalformedModelException if DJL refuses the layer metadata
     */
    public static void load(Model model, Path file) throws Malformed, IOException, MalformedModelException {
        Block block = model.getBlock();
        List<Pair<String, Shape>> expected = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            expected.add(new Pair<>(p.getKey(), p.getValue().isInitialized() ? p.getValue().getArray().getShape() : null));
        }
        long size = Files.size(file);
        try (CountingStream counting = new CountingStream(new BufferedInputStream(Files.newInputStream(file)));
                DataInputStream in = new DataInputStream(counting)) {
            Reader reader = new Reader(in, counting, size, expected);
            reader.header();
            NDManager guarded = (NDManager) Proxy.newProxyInstance(NDManager.class.getClassLoader(),
                    new Class<?>[] {NDManager.class}, reader.guarding(model.getNDManager()));
            try {
                block.loadParameters(guarded, in);
            } catch (Guard e) {
                throw e.malformed;
            }
            if (reader.arrays < expected.size()) {
                throw new Malformed("holds " + reader.arrays + " parameter arrays but the architecture has "
                        + expected.size());
            }
        }
    }

    /** Carries a {@link Malformed} out of DJL's code, which only declares IO and model exceptions. */
    private static final class Guard extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final transient Malformed malformed;

        Guard(Malformed malformed) {
            super(malformed.getMessage(), null, false, false);
            this.malformed = malformed;
        }
    }

    private static final class Reader {

        private final DataInputStream in;
        private final CountingStream counting;
        private final long size;
        private final List<Pair<String, Shape>> expected;
        private int arrays;

        Reader(DataInputStream in, CountingStream counting, long size, List<Pair<String, Shape>> expected) {
            this.in = in;
            this.counting = counting;
            this.size = size;
            this.expected = expected;
        }

        long remaining() {
            return size - counting.position;
        }

        void header() throws IOException, Malformed {
            byte[] magic = new byte[4];
            in.readFully(magic);
            if (!"DJL@".equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new Malformed("does not start with DJL's magic \"DJL@\"; it is not a file Model.save wrote");
            }
            int version = in.readInt();
            if (version != 1) {
                throw new Malformed("has model format version " + version + "; this DJL reads version 1");
            }
            in.readUTF(); // the name it was saved under
            dataType(in.readUTF(), "the model's data type");
            int inputs = count(in.readInt(), 6, "input descriptions");
            for (int i = 0; i < inputs; i++) {
                in.readUTF();
                shape(null, "input " + i);
            }
            int properties = count(in.readInt(), 4, "properties");
            for (int i = 0; i < properties; i++) {
                in.readUTF();
                in.readUTF();
            }
        }

        /** A count of records of at least {@code minBytes} each, checked against the bytes left. */
        int count(int declared, int minBytes, String what) throws Malformed {
            if (declared < 0 || (long) declared * minBytes > remaining()) {
                throw new Malformed("declares " + declared + " " + what + " at byte " + counting.position
                        + " but only " + remaining() + " bytes remain");
            }
            return declared;
        }

        DataType dataType(String name, String what) throws Malformed {
            try {
                return DataType.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new Malformed("names an unknown data type '" + name + "' for " + what);
            }
        }

        /** Reads a shape, copying its bytes to {@code copy} when given. */
        long[] shape(DataOutputStream copy, String what) throws IOException, Malformed {
            int rank = in.readInt();
            if (rank < 0 || rank > MAX_RANK || rank * 8L > remaining()) {
                throw new Malformed("declares a rank of " + rank + " for " + what + " (at most " + MAX_RANK
                        + ", and " + remaining() + " bytes remain)");
            }
            long[] dims = new long[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readLong();
                if (dims[i] < -1) {
                    throw new Malformed("declares dimension " + dims[i] + " for " + what);
                }
            }
            int layout = in.readInt();
            if (layout < 0 || layout * 2L > remaining()) {
                throw new Malformed("declares a layout of " + layout + " characters for " + what + " but only "
                        + remaining() + " bytes remain");
            }
            char[] chars = new char[layout];
            for (int i = 0; i < layout; i++) {
                chars[i] = in.readChar();
            }
            if (copy != null) {
                copy.writeInt(rank);
                for (long d : dims) {
                    copy.writeLong(d);
                }
                copy.writeInt(layout);
                for (char c : chars) {
                    copy.writeChar(c);
                }
            }
            return dims;
        }

        InvocationHandler guarding(NDManager real) {
            return (proxy, method, args) -> {
                if ("decode".equals(method.getName()) && args != null && args.length == 1
                        && args[0] instanceof InputStream) {
                    if (args[0] != in) {
                        return invoke(real, method, args); // a block that wraps the stream: DJL decodes unchecked
                    }
                    try {
                        return decode(real);
                    } catch (Malformed e) {
                        throw new Guard(e);
                    }
                }
                return invoke(real, method, args);
            };
        }

        /** Checks one array record, then lets DJL decode it from the checked header and the data that follows. */
        NDArray decode(NDManager real) throws IOException, Malformed {
            String parameter = arrays < expected.size() ? "parameter " + expected.get(arrays).getKey()
                    : "array " + (arrays + 1) + " (the architecture has " + expected.size() + " parameters)";
            long start = counting.position;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            DataOutputStream copy = new DataOutputStream(bytes);
            String magic = in.readUTF();
            if (!"NDAR".equals(magic)) {
                throw new Malformed("has no array record for " + parameter + " at byte " + start);
            }
            copy.writeUTF(magic);
            int version = in.readInt();
            if (version < 1 || version > 3) {
                throw new Malformed("has array format version " + version + " for " + parameter);
            }
            copy.writeInt(version);
            if (version > 1) {
                byte named = in.readByte();
                copy.writeByte(named);
                if (named == 1) {
                    copy.writeUTF(in.readUTF());
                }
            }
            copy.writeUTF(in.readUTF()); // sparse format
            String typeName = in.readUTF();
            DataType type = dataType(typeName, parameter);
            copy.writeUTF(typeName);
            long[] dims = shape(copy, parameter);
            if (version > 2) {
                copy.writeByte(in.readByte()); // byte order
            }
            int length = in.readInt();
            Shape shape = new Shape(dims);
            if (length < 0 || length > remaining()) {
                throw new Malformed("declares " + length + " bytes for " + parameter + " " + shape + " at byte "
                        + start + " but only " + remaining() + " bytes remain");
            }
            long needed = needed(dims, type);
            if (type != DataType.STRING && needed != length) {
                throw new Malformed("declares " + length + " bytes for " + parameter + " but its shape " + shape
                        + " of " + type + " takes " + (needed < 0 ? "more than 2^63" : needed) + " bytes");
            }
            if (arrays >= expected.size()) {
                throw new Malformed("holds more parameter arrays than the architecture's " + expected.size());
            }
            Shape wanted = expected.get(arrays).getValue();
            if (wanted != null && !wanted.equals(shape)) {
                throw new Malformed("holds " + parameter + " with shape " + shape
                        + " but the architecture expects " + wanted);
            }
            copy.writeInt(length);
            arrays++;
            InputStream replay = new SequenceInputStream(new ByteArrayInputStream(bytes.toByteArray()), in);
            return real.decode(replay);
        }

        private static long needed(long[] dims, DataType type) {
            try {
                long total = type.getNumOfBytes();
                for (long d : dims) {
                    total = Math.multiplyExact(total, Math.max(d, 0));
                }
                return total;
            } catch (ArithmeticException e) {
                return -1;
            }
        }

        private static Object invoke(NDManager real, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /** Counts the bytes read, so every declared size can be compared with what is left. */
    private static final class CountingStream extends FilterInputStream {

        private long position;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                position++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            position += skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
