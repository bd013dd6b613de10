package io.omicsbatch.settings;

import java.util.Locale;

/**
 * How a runs file is written, decided by its key's (or file name's) suffix alone, the same way by {@code validate}
 * and the intake: {@code .csv} and {@code .tsv} (in any case) are sample sheets ({@link SampleSheetReader}), anything
 * else is a JSON runs file ({@link RunSettingsReader}).
 */
public enum RunsFileFormat {
    JSON("JSON runs file", '\0'),
    CSV("CSV sample sheet", ','),
    TSV("TSV sample sheet", '\t');

    private final String description;
    private final char delimiter;

    RunsFileFormat(String description, char delimiter) {
        this.description = description;
        this.delimiter = delimiter;
    }

    /** The format of the object or file with this key or name. */
    public static RunsFileFormat of(String keyOrName) {
        String lower = keyOrName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv")) {
            return CSV;
        }
        if (lower.endsWith(".tsv")) {
            return TSV;
        }
        return JSON;
    }

    public boolean isSheet() {
        return this != JSON;
    }

    /** The field delimiter of a sheet. */
    char delimiter() {
        if (!isSheet()) {
            throw new IllegalStateException("a JSON runs file has no delimiter");
        }
        return delimiter;
    }

    /** E.g. "CSV sample sheet". */
    public String description() {
        return description;
    }
}
