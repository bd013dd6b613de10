package io.omicsbatch.settings;

import java.util.Optional;
import java.util.regex.Pattern;

/** An {@code s3://bucket/key} URI, with S3's general-purpose bucket naming rules. */
public record S3Location(String bucket, String key) {

    private static final Pattern BUCKET_CHARS = Pattern.compile("[a-z0-9][a-z0-9.-]*[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public static final String SCHEME = "s3://";

    public String uri() {
        return SCHEME + bucket + (key.isEmpty() ? "" : "/" + key);
    }

    /**
     * Parses a URI, or returns the problem: {@link Rule#S3_URI} for the shape of the URI and
     * {@link Rule#BUCKET_NAME} for the bucket.
     *
     * @param keyRequired true where the URI must name an object (a runs file), false for a prefix (outputUri)
     */
    public static Parsed parse(String uri, boolean keyRequired) {
        if (!uri.startsWith(SCHEME)) {
            return Parsed.problem(Rule.S3_URI, "must be an S3 URI of the form s3://bucket/" + (keyRequired ? "key" : "prefix"));
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        Optional<String> bucketProblem = bucketNameProblem(bucket);
        if (bucketProblem.isPresent()) {
            return Parsed.problem(Rule.BUCKET_NAME, "bucket name \"" + bucket + "\" " + bucketProblem.get());
        }
        if (keyRequired && (key.isEmpty() || key.endsWith("/"))) {
            return Parsed.problem(Rule.S3_URI, "must name an object, s3://bucket/key, not a bucket or a prefix");
        }
        return new Parsed(new S3Location(bucket, key), null, null);
    }

    /** The reason a bucket name is invalid, or empty when it is valid. */
    public static Optional<String> bucketNameProblem(String bucket) {
        if (bucket.length() < 3 || bucket.length() > 63) {
            return Optional.of("must be 3 to 63 characters long");
        }
        if (!BUCKET_CHARS.matcher(bucket).matches()) {
            return Optional.of("may contain only lowercase letters, digits, dots and hyphens, and must begin and end with a letter or digit");
        }
        if (bucket.contains("..")) {
            return Optional.of("must not contain two adjacent periods");
        }
        if (IP_ADDRESS.matcher(bucket).matches()) {
            return Optional.of("must not be formatted as an IP address");
        }
        for (String prefix : new String[] {"xn--", "sthree-", "amzn-s3-demo-"}) {
            if (bucket.startsWith(prefix)) {
                return Optional.of("must not start with the reserved prefix " + prefix);
            }
        }
        for (String suffix : new String[] {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}) {
            if (bucket.endsWith(suffix)) {
                return Optional.of("must not end with the reserved suffix " + suffix);
            }
        }
        return Optional.empty();
    }

    public record Parsed(S3Location location, Rule rule, String problem) {
        static Parsed problem(Rule rule, String problem) {
            return new Parsed(null, rule, problem);
        }

        public boolean isValid() {
            return location != null;
        }
    }
}
