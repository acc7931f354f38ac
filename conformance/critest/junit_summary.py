#!/usr/bin/env python3
"""Counts a critest run from its Ginkgo JUnit report.

    junit_summary.py JUNIT_XML SPECS_TSV

Writes SPECS_TSV (state, seconds, spec name; failures first) and prints one line:
"N passed, N failed, N skipped". Ginkgo names spec test cases "[It] ..."; the other
test cases are suite nodes ([BeforeSuite], [SynchronizedAfterSuite], ...): they are not
specs, so they count only when they did not pass, as failed, because a broken suite
setup must not look like a clean run.
"""

import sys
import xml.etree.ElementTree as ElementTree

SKIPPED_STATES = {"skipped", "pending"}


def state_of(case):
    # Ginkgo v2 writes the spec state as an attribute; fall back to the child elements
    # plain JUnit readers use, so a report from another Ginkgo version still counts.
    state = case.get("status")
    if state:
        return state
    if case.find("failure") is not None or case.find("error") is not None:
        return "failed"
    if case.find("skipped") is not None:
        return "skipped"
    return "passed"


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    junit_path, specs_path = sys.argv[1], sys.argv[2]
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    rows = []
    for case in ElementTree.parse(junit_path).getroot().iter("testcase"):
        name = case.get("name", "")
        state = state_of(case)
        is_spec = name.startswith("[It]")
        if is_spec:
            name = name[len("[It]"):].strip()
        elif state in ("passed", "skipped"):
            continue
        if state == "passed":
            counts["passed"] += 1
        elif state in SKIPPED_STATES:
            counts["skipped"] += 1
        else:
            # failed, panicked, interrupted, aborted, timedout: all count as failed
            counts["failed"] += 1
            if state != "failed":
                state = "failed:" + state
        rows.append((state, "%.1f" % float(case.get("time", "0") or 0), name))

    rows.sort(key=lambda row: (not row[0].startswith("failed"), row[0], row[2]))
    with open(specs_path, "w", encoding="utf-8") as out:
        out.write("state\tseconds\tspec\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print("%d passed, %d failed, %d skipped" % (counts["passed"], counts["failed"], counts["skipped"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
