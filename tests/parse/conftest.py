"""Ends the run with the conformance agreement rate, not just pass/fail."""

from __future__ import annotations

from mermaid_compare import AGREEMENT


def pytest_terminal_summary(terminalreporter) -> None:
    if not AGREEMENT:
        return
    terminalreporter.section("mermaid conformance (shared/conformance corpus)")
    for field, (agreed, total) in AGREEMENT.items():
        terminalreporter.write_line(f"{field:11s} {agreed}/{total} agree ({100 * agreed / total:.2f}%)")
