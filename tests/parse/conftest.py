"""Collects the conformance agreement so the run ends with the rate, not just pass/fail."""

from __future__ import annotations

AGREEMENT: dict[str, list[int]] = {}


def record(field: str, agreed: bool) -> None:
    counts = AGREEMENT.setdefault(field, [0, 0])
    counts[0] += int(agreed)
    counts[1] += 1


def pytest_terminal_summary(terminalreporter) -> None:
    if not AGREEMENT:
        return
    terminalreporter.section("mermaid conformance (shared/conformance corpus)")
    for field, (agreed, total) in AGREEMENT.items():
        terminalreporter.write_line(f"{field:11s} {agreed}/{total} agree ({100 * agreed / total:.2f}%)")
