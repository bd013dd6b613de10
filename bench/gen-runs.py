#!/usr/bin/env python3
"""Writes a batch-settings document and a runs file of N realistic run settings, for the benchmarks.

usage: gen-runs.py <out-dir> <count> [--broken | --long-ids]
--broken gives every entry one error (an unknown member), to measure the error path.
--long-ids gives every entry a runSettingId of 100,000 characters (far over the limit of 128), to show
that remembering ids for the uniqueness check costs the same memory whatever their length.
"""
import json
import sys


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    broken = "--broken" in sys.argv[3:]
    long_ids = "--long-ids" in sys.argv[3:]
    settings = {
        "batchName": "bench-%d" % count,
        "defaultRunSetting": {
            "workflowId": "1234567",
            "roleArn": "arn:aws:iam::123456789012:role/OmicsWorkflowServiceRole",
            "outputUri": "s3://omics-batch-bench-results/wgs/",
            "storageType": "DYNAMIC",
            "parameters": {"ref_fasta": "s3://omics-batch-bench-inputs/ref/GRCh38.fasta"},
            "runTags": {"project": "bench"},
        },
        "batchRunSettings": {"s3UriSettings": "s3://omics-batch-bench-inputs/batches/runs-%d.json" % count},
    }
    with open("%s/settings-%d.json" % (out, count), "w") as f:
        json.dump(settings, f, indent=2)
    name = "%s/runs-%d%s.json" % (out, count, "-broken" if broken else "-long-ids" if long_ids else "")
    with open(name, "w") as f:
        f.write("[\n")
        for i in range(count):
            sample = "S%07d" % i
            entry = {
                "runSettingId": sample,
                "name": "wgs-" + sample,
                "outputUri": "s3://omics-batch-bench-results/wgs/%s/" % sample,
                "priority": i % 100,
                "parameters": {
                    "sample_id": sample,
                    "fastq_r1": "s3://omics-batch-bench-inputs/fastq/%s_R1.fastq.gz" % sample,
                    "fastq_r2": "s3://omics-batch-bench-inputs/fastq/%s_R2.fastq.gz" % sample,
                },
                "runTags": {"sample": sample, "cohort": "c%d" % (i % 50)},
            }
            if broken:
                entry["runtags"] = {}
            if long_ids:
                entry["runSettingId"] = sample + "x" * 100_000
            f.write(("  " if i == 0 else ",\n  ") + json.dumps(entry))
        f.write("\n]\n")


if __name__ == "__main__":
    main()
