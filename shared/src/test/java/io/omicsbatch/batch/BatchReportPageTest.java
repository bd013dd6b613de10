package io.omicsbatch.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omicsbatch.settings.SettingsJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The report page beside the manifest: well-formed, self-contained, and its counts are the manifest's. */
class BatchReportPageTest {

    private static final String BUCKET = InMemoryDeployment.SETTINGS_BUCKET;
    private static final String XHTML = "http://www.w3.org/1999/xhtml";
    private static final String SVG = "http://www.w3.org/2000/svg";

    private final InMemoryDeployment world = new InMemoryDeployment();
    private final BatchCompletion completion = new BatchCompletion(world.batches, world.runs, world.objects, 2.0);

    @Test
    void aProcessedBatchWithFailuresHasAWellFormedPageWhoseCountsAreTheManifests() throws Exception {
        world.submittingBatch("b1", 6, true);
        world.runs.recordSubmissionFailed("b1", "S0", "ValidationException <bad> & \"quoted\"", "parameter x");
        settle("S1", RunStatus.FAILED, "OUT_OF_MEMORY", Duration.ofMinutes(30));
        settle("S2", RunStatus.FAILED, "OUT_OF_MEMORY", Duration.ofMinutes(45));
        settle("S3", RunStatus.CANCELLED, null, Duration.ofMinutes(5));
        settle("S4", RunStatus.COMPLETED, null, Duration.ofHours(2));
        settle("S5", RunStatus.COMPLETED, null, Duration.ofHours(3));

        assertThat(completion.check("b1")).isEqualTo(BatchStatus.PROCESSED);

        String key = ResultsManifest.key("b1", BatchReportPage.FILE_NAME);
        assertThat(world.objects.contentType(BUCKET, key)).contains("text/html; charset=utf-8");
        String html = world.objects.text(BUCKET, key).orElseThrow();
        Document page = parse(html);
        Map<String, String> ids = texts(page);
        assertThat(html).contains("<th>batch id</th><td>b1</td>", "<th>batch name</th><td>cohort-b1</td>",
                "<th>status</th><td>PROCESSED</td>");

        JsonNode manifest = SettingsJson.MAPPER.readTree(world.objects.text(BUCKET, ResultsManifest.key("b1", "runs.json"))
                .orElseThrow());
        Map<String, Integer> byStatus = new HashMap<>();
        Map<String, Integer> bySubmission = new HashMap<>();
        for (JsonNode run : manifest.path("runs")) {
            byStatus.merge(run.path("status").asText(), 1, Integer::sum);
            bySubmission.merge(run.path("submissionStatus").asText(), 1, Integer::sum);
        }
        assertThat(ids.get("count-total")).isEqualTo(manifest.path("runCount").asText()).isEqualTo("6");
        assertThat(ids.get("count-totalRuns")).isEqualTo("6");
        assertThat(ids.get("count-submission-SUCCESS")).isEqualTo(String.valueOf(bySubmission.get("SUCCESS")));
        assertThat(ids.get("count-submission-FAILED")).isEqualTo(String.valueOf(bySubmission.get("FAILED"))).isEqualTo("1");
        for (String status : List.of("COMPLETED", "FAILED", "CANCELLED")) {
            assertThat(ids.get("count-run-" + status)).as(status)
                    .isEqualTo(String.valueOf(byStatus.getOrDefault(status, 0)));
        }
        assertThat(ids.get("count-run-DELETED")).isEqualTo("0");

        // Failures grouped by reason, with their runSettingIds (text escaped, not markup).
        String failures = ids.get("failures");
        assertThat(failures).contains("run failed: OUT_OF_MEMORY (2)S1, S2")
                .contains("submission failed: ValidationException <bad> & \"quoted\" (1)S0");
        // Every run's output, under the prefix shown once.
        NodeList outputRows = byId(page, "outputs").getElementsByTagNameNS(XHTML, "tr");
        assertThat(outputRows.getLength()).isEqualTo(1 + 6);
        assertThat(html).contains("Every output is under s3://lab-results/b1/");
        // The charts: drawn inline, the quota line at the configured rate, one timeline bar per started run.
        assertThat(page.getElementsByTagNameNS(SVG, "svg").getLength()).isGreaterThanOrEqualTo(3);
        assertThat(byId(page, "quota-line")).isNotNull();
        assertThat(html).contains("StartRun rate 2/s");
        assertThat(selfContained(html, page)).isEmpty();
    }

    @Test
    void aPageThatCannotBeWrittenLeavesTheBatchInProgressForTheNextCheck() {
        world.submittingBatch("b1", 1, true);
        world.runs.recordSubmissionFailed("b1", "S0", "ValidationException", "bad parameter");
        String key = ResultsManifest.key("b1", BatchReportPage.FILE_NAME);
        world.objects.failEveryAccess(BUCKET, key, new IllegalStateException("S3: SlowDown"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> completion.check("b1")).hasMessageContaining("SlowDown");
        assertThat(world.batch("b1").status()).isEqualTo(BatchStatus.INPROGRESS);

        world.objects.heal(BUCKET, key);
        assertThat(completion.check("b1")).isEqualTo(BatchStatus.PROCESSED);
        assertThat(world.objects.text(BUCKET, key)).isPresent();
    }

    @Test
    void thousandsOfRunsAreAggregatedOnTheTimelineAndThePageStaysCompact() throws Exception {
        world.submittingBatch("big", 0, true);
        BatchReportPage report = new BatchReportPage(world.batch("big"), 50);
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            Instant submitted = t0.plusMillis(i * 20L);
            Instant start = submitted.plusSeconds(60);
            Instant stop = start.plusSeconds(600 + (i * 37L) % 3000);
            RunStatus status = i % 50 == 0 ? RunStatus.FAILED : RunStatus.COMPLETED;
            report.add(new RunRecord("big", String.format("NA%05d", i), "r" + i, "wgs-" + i, "s3://out/big/", null,
                    SubmissionStatus.SUCCESS, null, null, 1, "10" + i, "u" + i, "arn" + i, status,
                    "s3://out/big/10" + i + "/", status == RunStatus.FAILED ? "STARTUP_ERROR" : null, null, start, stop,
                    t0, submitted, t0, stop));
        }
        byte[] bytes = report.html();
        String html = new String(bytes, StandardCharsets.UTF_8);
        Document page = parse(html);

        assertThat(texts(page).get("count-run-FAILED")).isEqualTo("200");
        assertThat(texts(page).get("count-run-COMPLETED")).isEqualTo("9800");
        assertThat(html).contains(n + " runs, aggregated");
        assertThat(html).doesNotContain("<title>NA0");               // no per-run bar
        assertThat(byId(page, "outputs").getElementsByTagNameNS(XHTML, "tr").getLength()).isEqualTo(n + 1);
        assertThat(bytes.length).as("about 80 bytes a run").isLessThan(n * 100);
        assertThat(selfContained(html, page)).isEmpty();
    }

    @Test
    void aBatchWhoseSubmissionsAllFailedHasNoChartsButItsFailures() throws Exception {
        world.submittingBatch("b2", 2, true);
        world.runs.recordSubmissionFailed("b2", "S0", "AccessDeniedException", "iam:PassRole");
        world.runs.recordSubmissionFailed("b2", "S1", "AccessDeniedException", "iam:PassRole");

        BatchReportPage report = new BatchReportPage(world.batch("b2"), Double.NaN);
        world.runs.forEachRun("b2", report::add);
        String html = new String(report.html(), StandardCharsets.UTF_8);
        Document page = parse(html);

        assertThat(texts(page).get("failures")).contains("submission failed: AccessDeniedException (2)S0, S1");
        assertThat(html).contains("No run was started.").contains("not known");
        assertThat(page.getElementsByTagNameNS(SVG, "svg").getLength()).isZero();
    }

    private void settle(String runSettingId, RunStatus status, String reason, Duration took) {
        world.clock.advance(Duration.ofSeconds(1));
        RunRecord run = world.submitted("b1", runSettingId);
        Instant start = world.clock.instant().plusSeconds(30);
        world.runs.applyChange(run, new RunChange(status, null, null, null, "s3://lab-results/b1/" + run.runId() + "/",
                reason, null, start, start.plus(took)));
    }

    /** The page parsed as XML (XHTML): it must be well-formed. */
    static Document parse(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    /** Text of every element with an id. */
    static Map<String, String> texts(Document page) {
        Map<String, String> out = new HashMap<>();
        NodeList all = page.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.hasAttribute("id")) {
                out.put(e.getAttribute("id"), e.getTextContent());
            }
        }
        return out;
    }

    static Element byId(Document page, String id) {
        NodeList all = page.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (id.equals(e.getAttribute("id"))) {
                return e;
            }
        }
        return null;
    }

    /**
     * What would break a strict content security policy or need the network: scripts, style attributes, anything
     * loaded (src, href), a style sheet other than the one the policy's hash allows. Empty when none.
     */
    static List<String> selfContained(String html, Document page) throws Exception {
        List<String> problems = new ArrayList<>();
        NodeList all = page.getElementsByTagName("*");
        int styles = 0;
        String policy = null;
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            String name = e.getLocalName();
            if (name.equals("script") || name.equals("link") || name.equals("img") || name.equals("image")
                    || name.equals("iframe") || name.equals("object") || name.equals("use")) {
                problems.add("element " + name);
            }
            for (String attribute : List.of("style", "src", "href", "xlink:href", "srcset", "background")) {
                if (e.hasAttribute(attribute)) {
                    problems.add(name + " has " + attribute);
                }
            }
            for (int a = 0; a < e.getAttributes().getLength(); a++) {
                if (e.getAttributes().item(a).getNodeName().toLowerCase().startsWith("on")) {
                    problems.add(name + " has an event handler");
                }
            }
            if (name.equals("style")) {
                styles++;
                String hash = "sha256-" + java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest
                        .getInstance("SHA-256").digest(e.getTextContent().getBytes(StandardCharsets.UTF_8)));
                if (policy == null || !policy.contains("style-src '" + hash + "'")) {
                    problems.add("the style sheet's hash is not the policy's");
                }
            }
            if (name.equals("meta") && "Content-Security-Policy".equals(e.getAttribute("http-equiv"))) {
                policy = e.getAttribute("content");
            }
        }
        if (policy == null || !policy.startsWith("default-src 'none'")) {
            problems.add("no strict content security policy: " + policy);
        }
        if (styles != 1) {
            problems.add(styles + " style elements");
        }
        Matcher url = Pattern.compile("(https?:|//)[^\"'<\\s]*").matcher(html.replace("xmlns=\"http://www.w3.org/1999/xhtml\"", "")
                .replace("xmlns=\"http://www.w3.org/2000/svg\"", "").replace("s3://", "s3:"));
        while (url.find()) {
            problems.add("a URL: " + url.group());
        }
        return problems;
    }
}
