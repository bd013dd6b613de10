package io.omicsbatch.settings;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;

/**
 * The run settings of a runs file, streamed one at a time whatever its format, each as the JSON entry it stands for:
 * the checks ({@link RunSettingChecker}) and the merge ({@link RunRequestMerger}) never see the difference. Errors
 * of the text itself go to the error collector given to {@link #open}, with pointers under {@code /runs}.
 */
public interface RunEntries extends Iterator<RunSettingsReader.Entry>, Closeable {

    /** How many entries have been read so far (for a sheet: its rows, those too broken to return included). */
    int count();

    /** The line of the sheet the entry last returned starts on, or 0 for a JSON runs file (which has no rows). */
    long line();

    static RunEntries open(InputStream in, RunsFileFormat format, ValidationErrors errors) throws IOException {
        return format.isSheet() ? new SampleSheetReader(in, format, errors) : new RunSettingsReader(in, errors);
    }
}
