#!/usr/bin/env python3
"""Validates coze-audit's Prometheus metrics with an independent parser (prometheus_client, pinned
in Tests/Conformance/requirements.txt), plus the rules the text format states that the parser
does not enforce.

  check_metrics.py FILE [--expect-complete] [--min-new N]
  check_metrics.py --control      a broken document must be refused (the check can fail)

Exit 0 when the file is valid, 1 otherwise (one line per problem).
"""
import re
import sys

from prometheus_client.parser import text_string_to_metric_families

NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
REQUIRED = [
    "coze_audit_findings", "coze_audit_findings_new", "coze_audit_run_complete", "coze_audit_run_timestamp_seconds",
    "coze_audit_last_complete_run_timestamp_seconds", "coze_audit_run_duration_seconds", "coze_audit_resources",
    "coze_audit_credential_valid", "coze_audit_credential_request_success_ratio", "coze_audit_requests",
]


def problems_of(text):
    problems = []
    helps, types, seen = {}, {}, set()
    for number, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            parts = line.split(" ", 3)
            if len(parts) < 4 or not NAME.match(parts[2]):
                problems.append(f"line {number}: malformed {parts[1] if len(parts) > 1 else ''} line")
                continue
            table = helps if parts[1] == "HELP" else types
            if parts[2] in table:
                problems.append(f"line {number}: second {parts[1]} for {parts[2]}")
            table[parts[2]] = parts[3]
            continue
        name = re.split(r"[{ ]", line, 1)[0]
        if name not in types:
            problems.append(f"line {number}: sample of {name} before its TYPE line")
        if line in seen:
            problems.append(f"line {number}: duplicate series")
        seen.add(line)
    try:
        families = {family.name: family for family in text_string_to_metric_families(text)}
    except Exception as error:  # the parser raises on anything it cannot read
        problems.append(f"prometheus_client refused the document: {error}")
        return problems, {}
    for name in types:
        if name not in helps:
            problems.append(f"{name}: TYPE without HELP")
    return problems, families


def main(argv):
    if argv[1:] == ["--control"]:
        broken = ('# HELP coze_audit_findings x\n# TYPE coze_audit_findings gauge\n'
                  'coze_audit_findings{kind="a"b"} 1\ncoze_audit_resources 2\n')
        problems, _ = problems_of(broken)
        if not problems:
            print("check_metrics.py --control: a label with an unescaped quote and a sample without TYPE were accepted")
            return 1
        print(f"ok   control: a broken document is refused ({len(problems)} problems)")
        return 0
    path = argv[1]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    problems, families = problems_of(text)
    for name in REQUIRED:
        if name not in families:
            problems.append(f"missing family {name}")
    if "--expect-complete" in argv and families:
        value = families["coze_audit_run_complete"].samples[0].value
        if value != 1:
            problems.append(f"coze_audit_run_complete is {value}, expected 1")
    if "--min-new" in argv and families:
        wanted = int(argv[argv.index("--min-new") + 1])
        new = sum(sample.value for sample in families["coze_audit_findings_new"].samples)
        if new < wanted:
            problems.append(f"coze_audit_findings_new sums to {new}, expected at least {wanted}")
    for problem in problems:
        print(f"FAIL {path}: {problem}")
    if not problems:
        samples = sum(len(family.samples) for family in families.values())
        print(f"ok   {path}: {len(families)} families, {samples} samples, accepted by prometheus_client")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
