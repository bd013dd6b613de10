#!/usr/bin/env python3
"""Figures of a local run's report (omics-batch run --report): submission time against the quota's floor,
throttling, duplicates and losses, agreement with the simulator's truth, exact counts, memory.

usage: run-report.py <report.json> <quotaTps>
"""
import json
import sys


def main():
    report = json.load(open(sys.argv[1]))
    quota = float(sys.argv[2])
    batch, runs, sim, runner = report["batch"], report["runs"], report["simulator"], report.get("runner", {})
    requests = sim["startRunRequests"]
    created = [r for r in requests if r["outcome"] == "CREATED"]
    outcomes = {}
    for r in requests:
        outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
    n = len(runs)
    span = (max(r["receivedAtMillis"] for r in created) - min(r["receivedAtMillis"] for r in created)) / 1000.0 if created else 0
    floor = (len(created) - 1) / quota if created else 0
    truth = {r["requestId"]: r for r in sim["runs"]}
    mismatches = [r["runSettingId"] for r in runs
                  if r["requestId"] not in truth or truth[r["requestId"]]["status"] != r["status"]
                  or truth[r["requestId"]]["failureReason"] != r["failureReason"]
                  or truth[r["requestId"]]["id"] != r["runId"]]
    per_request = {}
    for r in created:
        per_request[r["requestId"]] = per_request.get(r["requestId"], 0) + 1
    duplicates = sum(c - 1 for c in per_request.values() if c > 1)
    lost = sum(1 for r in runs if r["submissionStatus"] != "SUCCESS")
    histogram = {}
    for r in runs:
        key = (r["status"] or "NONE").lower() + "RunCount"
        histogram[key] = histogram.get(key, 0) + 1
    counts_exact = all(batch["runSummary"].get(k, 0) == histogram.get(k, 0) for k in set(histogram) | set(batch["runSummary"]))
    print("batch %s: %s, %d run settings" % (batch["id"], batch["status"], n))
    print("runs created %d (duplicates %d, run settings without a run %d)" % (len(created), duplicates, lost))
    print("StartRun calls %d: %s; throttled fraction %.3f" % (len(requests), outcomes,
                                                             outcomes.get("THROTTLED", 0) / max(1, len(requests))))
    print("submission span %.1f s vs the quota's floor %.1f s (%d runs at %.1f/s): ratio %.3f"
          % (span, floor, len(created), quota, span / floor if floor else float("nan")))
    print("final status equal to the simulator's truth: %d of %d (mismatches: %s)" % (n - len(mismatches), n, mismatches[:5]))
    print("batch counts equal to the runs' histogram: %s" % counts_exact)
    print("events: %s" % sim.get("events"))
    if runner:
        print("runner: %.1f s wall, peak heap %.0f MiB, submit crashes injected %d"
              % (runner["seconds"], runner["peakHeapBytes"] / 1048576.0, runner["submitCrashes"]))


if __name__ == "__main__":
    main()
