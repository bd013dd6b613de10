import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Keeps in the shaded functions jar's log4j plugin cache ({@code Log4j2Plugins.dat}, merged from every library's by the
 * shade plugin) only the plugins the functions' logging configuration uses. log4j loads the class of every plugin in
 * its cache when it starts, whether it is configured or not: the whole cache (~250 plugins, with the configuration
 * factories that look for Jackson and initialise it) is most of log4j's start-up; the functions use ~45.
 *
 * <p>The plugins kept are listed in a file, one {@code category/key} per line ({@code category/*} for a whole category,
 * {@code #} comments), keys as the cache spells them (lower case). The build fails if a listed plugin is not in the
 * cache or its class is not in the jar, so a log4j upgrade that renames one is noticed. The classes of the other
 * plugins stay in the jar; log4j just never loads them. ShadedJarIT logs through the pruned cache on a fresh JVM
 * (a plugin the configuration needs and the cache lacks is a log4j status ERROR there).
 *
 * <p>usage: {@code java PruneLog4jPlugins.java <shaded jar> <plugin list>}; rewrites the jar in place.
 */
public final class PruneLog4jPlugins {

    static final String CACHE = "META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat";

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Set<String> wanted = new LinkedHashSet<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String plugin = line.replaceAll("#.*", "").trim();
            if (!plugin.isEmpty()) {
                wanted.add(plugin.toLowerCase(java.util.Locale.ROOT));
            }
        }
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
        byte[] cache = entries.get(CACHE);
        if (cache == null) {
            throw new IllegalStateException(jar + " has no " + CACHE);
        }

        // The cache's format (log4j's PluginCache): categories, each with its entries.
        Map<String, List<String[]>> kept = new LinkedHashMap<>();
        Set<String> found = new TreeSet<>();
        int total = 0;
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(cache));
        int categories = in.readInt();
        for (int i = 0; i < categories; i++) {
            String category = in.readUTF();
            int count = in.readInt();
            for (int j = 0; j < count; j++) {
                String[] plugin = {in.readUTF(), in.readUTF(), in.readUTF(), Boolean.toString(in.readBoolean()),
                        Boolean.toString(in.readBoolean())};
                total++;
                String key = category + "/" + plugin[0];
                if (wanted.contains(key) || wanted.contains(category + "/*")) {
                    if (!entries.containsKey(plugin[1].replace('.', '/') + ".class")) {
                        throw new IllegalStateException("plugin " + key + " is kept but its class " + plugin[1]
                                + " is not in the jar");
                    }
                    kept.computeIfAbsent(category, c -> new ArrayList<>()).add(plugin);
                    found.add(key);
                    found.add(category + "/*");
                }
            }
        }
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(found);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("not in the plugin cache of " + jar + ": " + missing);
        }

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(kept.size());
        int count = 0;
        for (Map.Entry<String, List<String[]>> category : kept.entrySet()) {
            out.writeUTF(category.getKey());
            out.writeInt(category.getValue().size());
            for (String[] plugin : category.getValue()) {
                out.writeUTF(plugin[0]);
                out.writeUTF(plugin[1]);
                out.writeUTF(plugin[2]);
                out.writeBoolean(Boolean.parseBoolean(plugin[3]));
                out.writeBoolean(Boolean.parseBoolean(plugin[4]));
                count++;
            }
        }
        out.flush();
        entries.put(CACHE, bytes.toByteArray());

        Path pruned = jar.resolveSibling(jar.getFileName() + ".pruning");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(pruned))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                ZipEntry copy = new ZipEntry(entry.getKey());
                copy.setTime(times.get(entry.getKey()));
                zip.putNextEntry(copy);
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        Files.move(pruned, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("PruneLog4jPlugins: kept " + count + " of " + total + " log4j plugins " + kept.keySet());
    }
}
