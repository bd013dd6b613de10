package io.omicsbatch.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the invalid-document corpus in {@code src/test/resources/invalid} (see its README.md): every case must
 * report exactly the errors its {@code .expect} file lists, no more and no fewer.
 */
class InvalidCorpusTest {

    private static final String CORPUS = "/invalid";
    private static final String DOCUMENT_SUFFIX = ".json";
    private static final String RUNS_SUFFIX = ".runs.json";
    private static final String EXPECT_SUFFIX = ".expect";
    private static final String ROOT_POINTER = "\"\"";
    private static final int MIN_CASES = 40;

    /** One (pointer, rule) pair, as listed in an expect file or reported by the validator. */
    record Expected(String pointer, Rule rule) {
        static Expected of(ValidationError error) {
            return new Expected(error.pointer(), error.rule());
        }

        @Override
        public String toString() {
            return (pointer.isEmpty() ? ROOT_POINTER : pointer) + " " + rule.id();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseReportsExactlyTheExpectedErrors() {
        return cases(CORPUS);
    }

    @Test
    void corpusIsLargeAndExpectsEveryRule() throws IOException {
        Path dir = folder(CORPUS);
        List<Path> documents = documents(dir);
        assertThat(documents).as("cases in %s", dir).hasSizeGreaterThanOrEqualTo(MIN_CASES);

        Set<Rule> expected = EnumSet.noneOf(Rule.class);
        for (Path document : documents) {
            expected.addAll(readExpected(expectFile(document)).stream().map(Expected::rule).toList());
        }
        // The corpus is documents alone; rules that need the account are tested at intake, on the simulator.
        assertThat(EnumSet.complementOf(EnumSet.copyOf(expected)).stream().filter(rule -> !rule.needsAccount()))
                .as("rules that no case in %s expects", dir)
                .isEmpty();
    }

    @Test
    void corpusHasNoStrayFiles() throws IOException {
        Path dir = folder(CORPUS);
        Set<String> documentNames = documents(dir).stream().map(InvalidCorpusTest::caseName).collect(Collectors.toSet());
        List<String> stray = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).sorted().forEach(name -> {
                String caseName = name.endsWith(RUNS_SUFFIX) ? strip(name, RUNS_SUFFIX)
                        : name.endsWith(EXPECT_SUFFIX) ? strip(name, EXPECT_SUFFIX)
                        : name.endsWith(DOCUMENT_SUFFIX) ? strip(name, DOCUMENT_SUFFIX)
                        : null;
                if (!name.equals("README.md") && (caseName == null || !documentNames.contains(caseName))) {
                    stray.add(name);
                }
            });
        }
        assertThat(stray).as("files in %s that belong to no case (each needs its NN-name.json)", dir).isEmpty();
    }

    private static Stream<DynamicTest> cases(String resource) {
        Path dir = folder(resource);
        try {
            return documents(dir).stream().map(document -> DynamicTest.dynamicTest(
                    document.getFileName().toString(), document.toUri(), () -> checkCase(document)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkCase(Path document) throws IOException {
        List<Expected> expected = readExpected(expectFile(document));
        assertThat(expected).as("%s lists no error, but every corpus case is invalid", expectFile(document).getFileName())
                .isNotEmpty();

        BatchSettingsValidator validator = new BatchSettingsValidator();
        List<ValidationError> errors = new ArrayList<>();
        BatchSettingsValidator.DocumentResult result;
        try (InputStream in = Files.newInputStream(document)) {
            result = validator.validateDocument(in);
        }
        errors.addAll(result.errors().list());
        assertThat(result.errors().omitted()).as("errors omitted beyond the limit").isZero();

        Path runsFile = document.resolveSibling(caseName(document) + RUNS_SUFFIX);
        if (Files.exists(runsFile)) {
            try (InputStream in = Files.newInputStream(runsFile)) {
                BatchSettingsValidator.RunsFileResult runs = validator.validateRunsFile(in, result.mergeBase());
                assertThat(runs.errors().omitted()).as("runs file errors omitted beyond the limit").isZero();
                errors.addAll(runs.errors().list());
            }
        }

        String report = errors.stream().map(e -> "\n  " + e.toLine()).collect(Collectors.joining());
        List<Expected> actual = errors.stream().map(Expected::of).toList();
        assertThat(new HashSet<>(actual))
                .as("(pointer, rule) pairs reported for %s; the validator said:%s", document.getFileName(), report)
                .isEqualTo(new HashSet<>(expected));
        assertThat(actual)
                .as("errors reported for %s, counting repeats (one expect line per error); the validator said:%s",
                        document.getFileName(), report)
                .containsExactlyInAnyOrderElementsOf(expected);

        for (ValidationError error : errors) {
            assertThat(error.message()).as("message of %s", Expected.of(error)).isNotBlank();
            assertThat(error.toLine())
                    .as("printed error line")
                    .startsWith(error.pointer() + ": ")
                    .contains(error.message())
                    .endsWith(" [" + error.rule().id() + "]");
        }
        checkSuggestions(document, errors);
    }

    /** Cases named *did-you-mean* must suggest a member for an unknown one; *no-suggestion* cases must not. */
    private static void checkSuggestions(Path document, List<ValidationError> errors) {
        String name = document.getFileName().toString();
        List<String> unknown = errors.stream().filter(e -> e.rule() == Rule.UNKNOWN_MEMBER)
                .map(ValidationError::message).toList();
        if (name.contains("did-you-mean")) {
            assertThat(unknown).as("unknown-member messages").isNotEmpty().allMatch(m -> m.contains("did you mean"));
        }
        if (name.contains("no-suggestion")) {
            assertThat(unknown).as("unknown-member messages").isNotEmpty().noneMatch(m -> m.contains("did you mean"));
        }
    }

    /** Parses an expect file: {@code <pointer> <rule-id>} per line, split at the last space; # starts a comment. */
    static List<Expected> readExpected(Path expectFile) throws IOException {
        assertThat(expectFile).as("expect file").exists();
        List<Expected> expected = new ArrayList<>();
        List<String> lines = Files.readAllLines(expectFile, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replace("\r", "");
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            assertThat(space).as("%s line %d: \"<pointer> <rule-id>\"", expectFile.getFileName(), i + 1).isPositive();
            String pointer = line.substring(0, space);
            String ruleId = line.substring(space + 1);
            if (pointer.equals(ROOT_POINTER)) {
                pointer = "";
            }
            assertThat(pointer).as("%s line %d: a pointer is \"\" or starts with /", expectFile.getFileName(), i + 1)
                    .matches(p -> p.isEmpty() || p.startsWith("/"));
            assertThat(Stream.of(Rule.values()).map(Rule::id))
                    .as("%s line %d: rule id", expectFile.getFileName(), i + 1)
                    .contains(ruleId);
            expected.add(new Expected(pointer, Rule.fromId(ruleId)));
        }
        return expected;
    }

    private static Path folder(String resource) {
        URL url = InvalidCorpusTest.class.getResource(resource);
        assertThat(url).as("test resource folder %s", resource).isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> documents(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(DOCUMENT_SUFFIX) && !name.endsWith(RUNS_SUFFIX);
            }).sorted().toList();
        }
    }

    private static Path expectFile(Path document) {
        return document.resolveSibling(caseName(document) + EXPECT_SUFFIX);
    }

    private static String caseName(Path document) {
        String name = document.getFileName().toString();
        return name.endsWith(RUNS_SUFFIX) ? strip(name, RUNS_SUFFIX) : strip(name, DOCUMENT_SUFFIX);
    }

    private static String strip(String name, String suffix) {
        return name.substring(0, name.length() - suffix.length());
    }
}
