import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Drops from the shaded functions jar the SDK model, marshaller, paginator and waiter classes of the operations the
 * functions never call (most of the jar: S3 alone models ~100 operations; the functions call 3).
 *
 * <p>Which operations are called is read from the functions' own classes (every {@code <Op>Request} or
 * {@code <Op>Response} of a service's {@code model} package they refer to) and from the SDK's own classes that build
 * a request ({@code <Op>Request$Builder}: S3 Express's CreateSession). Kept: those operations' request, response and
 * marshaller classes and everything they refer to; every modelled exception (the client registers all of them when
 * it is built); every class of the service outside {@code model}, {@code transform}, {@code paginators} and
 * {@code waiters} and what it refers to (endpoint rules, auth, interceptors). The top-level {@code <Op>Request}
 * class of every other operation becomes an empty stub with the same superclass: the JVM's verifier loads it when it
 * links the client (each client method passes its request as an {@code SdkRequest}). The clients' own references
 * are not followed: they name every operation. References are found as class names in the class files' constant pools, a superset of
 * what the JVM loads. Calling an operation whose classes were dropped fails (NoSuchMethodError, NoClassDefFoundError);
 * the shaded-jar test (ShadedJarIT) constructs every handler and primes every client from the jar on a fresh JVM.
 *
 * <p>usage: {@code java PruneSdkOperations.java <shaded jar> <own package, e.g. io/omicsbatch/>}; rewrites the jar in
 * place and prints what it kept.
 */
public final class PruneSdkOperations {

    private static final String SERVICES = "software/amazon/awssdk/services/";
    private static final Pattern SERVICE_CLASS = Pattern.compile("software/amazon/awssdk/services/[A-Za-z0-9_/$]+");
    private static final Pattern PRUNABLE = Pattern.compile(
            "software/amazon/awssdk/services/(\\w+)/(model|transform|paginators|waiters)/([A-Za-z0-9_]+)(\\$[A-Za-z0-9_$]*)?\\.class");
    private static final Pattern CLIENT = Pattern.compile(
            "software/amazon/awssdk/services/\\w+/(Default|Delegating)?\\w+?(Async)?Client(\\$[A-Za-z0-9_$]*)?\\.class");
    private static final Pattern OPERATION = Pattern.compile("(\\w+?)(Request|Response)");

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        String ownPackage = args[1];
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, Long> times = new HashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(entry)) {
                    entries.put(entry.getName(), in.readAllBytes());
                    times.put(entry.getName(), entry.getTime());
                }
            }
        }

        // The operations called: those the functions name, and those the SDK's own classes build requests of (S3
        // Express's CreateSession): <service>/<Op>.
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            String name = entry.getKey();
            boolean own = name.startsWith(ownPackage);
            boolean sdkRoot = name.startsWith(SERVICES) && !PRUNABLE.matcher(name).matches()
                    && !CLIENT.matcher(name).matches();
            if ((own || sdkRoot) && name.endsWith(".class")) {
                for (String reference : references(entry.getValue())) {
                    Matcher model = PRUNABLE.matcher(reference + ".class");
                    if (model.matches() && model.group(2).equals("model")) {
                        Matcher op = OPERATION.matcher(model.group(3));
                        if (op.matches() && (own || (op.group(2).equals("Request") && "$Builder".equals(model.group(4))))) {
                            operations.add(model.group(1) + "/" + op.group(1));
                        }
                    }
                }
            }
        }

        Set<String> keep = new HashSet<>();
        Set<String> clients = new HashSet<>();
        Set<String> verifierOnly = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        for (String name : entries.keySet()) {
            if (!name.startsWith(SERVICES) || !name.endsWith(".class")) {
                continue;
            }
            Matcher prunable = PRUNABLE.matcher(name);
            if (!prunable.matches()) {
                keep.add(name);
                (CLIENT.matcher(name).matches() ? clients : pending).add(name);
                continue;
            }
            String service = prunable.group(1);
            String kind = prunable.group(2);
            String simple = prunable.group(3);
            if (simple.endsWith("Exception")
                    || (kind.equals("model") && called(operations, service, simple, "Request", "Response"))
                    || (kind.equals("transform") && called(operations, service, simple, "RequestMarshaller"))) {
                keep.add(name);
                pending.add(name);
            } else if (kind.equals("model") && simple.endsWith("Request") && prunable.group(4) == null) {
                verifierOnly.add(name);
            }
        }
        // Followed once each. The requests of operations not called become stubs for the verifier, not followed from
        // the SDK's classes (the endpoint rules' interceptors test a request's type against every operation's).
        Set<String> followed = new HashSet<>(pending);
        followed.addAll(verifierOnly);
        followed.addAll(clients);
        while (!pending.isEmpty()) {
            String current = pending.poll();
            boolean shape = PRUNABLE.matcher(current).matches();
            for (String name : references(entries.get(current))) {
                String file = name + ".class";
                // A called operation's shape may be named like a request (DynamoDB's DeleteRequest): kept whole.
                if (shape && verifierOnly.remove(file)) {
                    keep.add(file);
                    pending.add(file);
                } else if (entries.containsKey(file) && followed.add(file)) {
                    keep.add(file);
                    pending.add(file);
                }
            }
        }

        Path pruned = jar.resolveSibling(jar.getFileName() + ".pruning");
        int dropped = 0;
        int stubbed = 0;
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(pruned))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                String name = entry.getKey();
                byte[] content = entry.getValue();
                if (verifierOnly.contains(name)) {
                    content = stub(content);
                    stubbed++;
                } else if (PRUNABLE.matcher(name).matches() && !keep.contains(name)) {
                    dropped++;
                    continue;
                }
                ZipEntry copy = new ZipEntry(name);
                copy.setTime(times.get(name));
                out.putNextEntry(copy);
                out.write(content);
                out.closeEntry();
            }
        }
        Files.move(pruned, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("PruneSdkOperations: kept the classes of " + operations + "; dropped " + dropped
                + " classes of other operations and stubbed their " + stubbed + " requests; " + Files.size(jar) + " bytes");
    }

    private static boolean called(Set<String> operations, String service, String simpleName, String... suffixes) {
        for (String suffix : suffixes) {
            if (simpleName.endsWith(suffix)
                    && operations.contains(service + "/" + simpleName.substring(0, simpleName.length() - suffix.length()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A class with the same name and superclass as the given one, and nothing else: what the verifier needs of an
     * operation's request class when it links the client (that it is an {@code SdkRequest}). Calling the operation
     * fails (the request cannot be built: its builder is gone).
     */
    static byte[] stub(byte[] classFile) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
            in.readInt(); // magic
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            int[] classNameIndex = new int[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7 -> classNameIndex[i] = in.readUnsignedShort();
                    case 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 15 -> { in.readUnsignedByte(); in.readUnsignedShort(); }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 5, 6 -> { in.readLong(); i++; }
                    default -> throw new IllegalArgumentException("constant pool tag " + tag);
                }
            }
            in.readUnsignedShort(); // access flags
            String thisClass = utf8[classNameIndex[in.readUnsignedShort()]];
            String superClass = utf8[classNameIndex[in.readUnsignedShort()]];
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(52); // Java 8: no methods, so no stack maps
            out.writeShort(5);
            out.writeByte(1);
            out.writeUTF(thisClass);
            out.writeByte(7);
            out.writeShort(1);
            out.writeByte(1);
            out.writeUTF(superClass);
            out.writeByte(7);
            out.writeShort(3);
            out.writeShort(0x0001 | 0x0020 | 0x0400); // public, super, abstract
            out.writeShort(2);
            out.writeShort(4);
            out.writeShort(0); // interfaces
            out.writeShort(0); // fields
            out.writeShort(0); // methods
            out.writeShort(0); // attributes
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The service class names in a class file's constant pool (its UTF-8 constants hold every class it names). */
    private static Set<String> references(byte[] classFile) {
        Set<String> names = new HashSet<>();
        Matcher m = SERVICE_CLASS.matcher(new String(classFile, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }
}
