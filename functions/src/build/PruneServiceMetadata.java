import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Replaces the SDK's {@code GeneratedServiceMetadataProvider} in the shaded functions jar by one that knows only the
 * services whose clients are in the jar, and drops the other services' metadata classes.
 *
 * <p>The SDK's provider builds, in its static initialiser, the endpoint metadata of every AWS service (~310 classes,
 * each loaded, verified and instantiated) the first time any client is built: every client builder asks it for its
 * own service's metadata (signing region, endpoint). The replacement maps the same keys of the kept services to the
 * same metadata classes; for any other key it answers null, as the SDK's does for a service it does not know, and the
 * SDK then uses its default metadata. The services kept are the {@code SERVICE_METADATA_ID}s of the client interfaces
 * in the jar, so a new client keeps its metadata without any list to update. ShadedJarIT builds and primes every
 * client from the jar.
 *
 * <p>usage: {@code java PruneServiceMetadata.java <shaded jar>}; rewrites the jar in place.
 */
public final class PruneServiceMetadata {

    private static final String PROVIDER = "software.amazon.awssdk.regions.GeneratedServiceMetadataProvider";
    private static final String METADATA = "software/amazon/awssdk/regions/servicemetadata/";
    private static final Pattern CLIENT = Pattern.compile("software/amazon/awssdk/services/\\w+/(\\w+)Client\\.class");
    private static final Pattern METADATA_CLASS = Pattern.compile(Pattern.quote(METADATA) + "[A-Za-z0-9_$]+");

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, Long> times = new HashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(entry)) {
                    entries.put(entry.getName(), in.readAllBytes());
                    times.put(entry.getName(), entry.getTime());
                }
            }
        }

        // The SDK's map (key -> metadata class), and the keys of the clients in the jar.
        Map<String, String> kept = new TreeMap<>();
        int known;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Field field = loader.loadClass(PROVIDER).getDeclaredField("SERVICE_METADATA");
            field.setAccessible(true);
            Map<?, ?> all = (Map<?, ?>) field.get(null);
            known = all.size();
            for (String name : entries.keySet()) {
                Matcher client = CLIENT.matcher(name);
                if (!client.matches() || client.group(1).endsWith("Async") || client.group(1).startsWith("Default")
                        || client.group(1).startsWith("Delegating")) {
                    continue;
                }
                Class<?> type = loader.loadClass(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                if (!type.isInterface()) {
                    continue;
                }
                String id = (String) type.getField("SERVICE_METADATA_ID").get(null);
                Object metadata = all.get(id);
                if (metadata != null) {
                    kept.put(id, metadata.getClass().getName());
                }
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalStateException("no service client with metadata in " + jar);
        }

        entries.put(PROVIDER.replace('.', '/') + ".class", compile(provider(kept), jar));

        // The metadata classes the new provider names, and what they name in turn; the others go, unless some class
        // that stays names one.
        Set<String> keep = new TreeSet<>();
        List<String> pending = new ArrayList<>();
        for (String type : kept.values()) {
            pending.add(type.replace('.', '/'));
        }
        while (!pending.isEmpty()) {
            String name = pending.remove(pending.size() - 1);
            if (keep.add(name) && entries.containsKey(name + ".class")) {
                pending.addAll(metadataReferences(entries.get(name + ".class")));
            }
        }
        Set<String> dropped = new TreeSet<>();
        for (String name : entries.keySet()) {
            if (name.startsWith(METADATA) && name.endsWith(".class")
                    && !keep.contains(name.substring(0, name.length() - ".class".length()))) {
                dropped.add(name.substring(0, name.length() - ".class".length()));
            }
        }
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            String name = entry.getKey();
            if (name.endsWith(".class") && !dropped.contains(name.substring(0, name.length() - ".class".length()))) {
                for (String reference : metadataReferences(entry.getValue())) {
                    if (dropped.contains(reference)) {
                        throw new IllegalStateException(name + " refers to " + reference + ", which would be dropped");
                    }
                }
            }
        }

        Path pruned = jar.resolveSibling(jar.getFileName() + ".pruning");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(pruned))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                String name = entry.getKey();
                if (name.endsWith(".class") && dropped.contains(name.substring(0, name.length() - ".class".length()))) {
                    continue;
                }
                ZipEntry copy = new ZipEntry(name);
                copy.setTime(times.get(name));
                out.putNextEntry(copy);
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        Files.move(pruned, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("PruneServiceMetadata: kept the metadata of " + kept.keySet() + " (of " + known
                + " services); dropped " + dropped.size() + " classes; " + Files.size(jar) + " bytes");
    }

    private static String provider(Map<String, String> kept) {
        StringBuilder puts = new StringBuilder();
        kept.forEach((id, type) -> puts.append("        metadata.put(\"").append(id).append("\", new ").append(type)
                .append("());\n"));
        return """
                package software.amazon.awssdk.regions;

                import java.util.Collections;
                import java.util.HashMap;
                import java.util.Map;

                /** Generated by PruneServiceMetadata: the metadata of the services the functions have clients of. */
                public final class GeneratedServiceMetadataProvider implements ServiceMetadataProvider {
                    private static final Map<String, ServiceMetadata> SERVICE_METADATA;

                    static {
                        Map<String, ServiceMetadata> metadata = new HashMap<>();
                %s        SERVICE_METADATA = Collections.unmodifiableMap(metadata);
                    }

                    @Override
                    public ServiceMetadata serviceMetadata(String endpointPrefix) {
                        return SERVICE_METADATA.get(endpointPrefix);
                    }
                }
                """.formatted(puts);
    }

    /** The class file of the given source, compiled against the jar for the release the functions are built for. */
    private static byte[] compile(String source, Path jar) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createTempDirectory("service-metadata");
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + PROVIDER.replace('.', '/') + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        boolean ok = compiler.getTask(null, null, null, List.of("--release", "17", "-classpath", jar.toString(),
                "-d", out.toString(), "-implicit:none"), null, List.of(file)).call();
        if (!ok) {
            throw new IllegalStateException("the service metadata provider did not compile:\n" + source);
        }
        Path compiled = out.resolve(PROVIDER.replace('.', '/') + ".class");
        byte[] bytes = Files.readAllBytes(compiled);
        try (var files = Files.walk(out)) {
            files.sorted(Collections.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return bytes;
    }

    /** The metadata classes named in a class file's constant pool. */
    private static Set<String> metadataReferences(byte[] classFile) {
        Set<String> names = new TreeSet<>();
        Matcher m = METADATA_CLASS.matcher(new String(classFile, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }
}
