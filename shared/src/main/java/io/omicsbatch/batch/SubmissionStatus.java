package io.omicsbatch.batch;

/**
 * A run setting's submission status. {@code PENDING} is ours (the managed batch only counts pending
 * submissions); the others are the managed batch's.
 */
public enum SubmissionStatus {
    PENDING, SUCCESS, FAILED, CANCEL_SUCCESS, CANCEL_FAILED, DELETE_SUCCESS, DELETE_FAILED
}
