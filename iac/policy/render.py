"""Terminal text for the checks: the cost summary, then the findings, then the verdict.

Printed after the plan by `iac plan` and alone by `iac check`. Reads only the report (the same
data the plan JSON carries), so a saved plan renders the same text.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from iac.cost.model import CostLine, CostReport
from iac.diagnostics import printable
from iac.policy.engine import PolicyReport
from iac.policy.model import Finding, Severity, Verdict

__all__ = ["render_cost_text", "render_findings_text"]

_VERDICT_TEXT = {
    Verdict.pass_: "pass",
    Verdict.warn: "warn (not blocking)",
    Verdict.deny: "deny: this plan must not be applied (exit code 3)",
    Verdict.error: "error: a check crashed, the plan was not fully judged (exit code 1)",
}


def _usd(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):,.2f}"


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + _usd(value) if value != 0 else "0.00"


def _symbol(line: CostLine) -> str:
    if line.before is None:
        return "+"
    if line.after is None:
        return "-"
    return "~"


def _cost_row(line: CostLine, width: int) -> str:
    after = line.after
    if line.unpriced:
        figure = "unpriced (partial " + _usd(line.after_monthly) + ")"
    elif after is not None and after.monthly_min != after.monthly_max:
        figure = f"{_usd(after.monthly_min)}..{_usd(after.monthly_max)}"
    else:
        figure = ""
    return (f"  {_symbol(line)} {line.address:<{width}} {_usd(line.before_monthly):>12} {_usd(line.after_monthly):>12}"
            f" {_signed(line.delta_monthly):>12}  {figure}").rstrip()


def render_cost_text(cost: CostReport) -> str:
    """The cost table: changed or unpriced resources, totals, and every assumption used."""
    shown = [line for line in cost.lines if line.delta_monthly != 0 or line.unpriced]
    unchanged = [line for line in cost.lines if line not in shown]
    width = max([len(line.address) for line in shown] + [24])
    out = [f"Cost estimate ({cost.currency} per month, {cost.cloud} {cost.tier} list prices as of {cost.as_of}):"]
    out.append(f"    {'resource':<{width}} {'before':>12} {'after':>12} {'delta':>12}  min..max")
    out += [_cost_row(line, width) for line in shown]
    if unchanged:
        subtotal = sum((line.after_monthly for line in unchanged), Decimal(0))
        out.append(f"    {f'{len(unchanged)} unchanged resource(s)':<{width}} {_usd(subtotal):>12} {_usd(subtotal):>12} {'0.00':>12}")
    out.append(f"    {'total':<{width}} {_usd(cost.total_before):>12} {_usd(cost.total_after):>12} {_signed(cost.delta):>12}"
               f"  {_usd(cost.total_after_min)}..{_usd(cost.total_after_max)}")
    unpriced = cost.unpriced()
    if unpriced:
        out.append(f"  {len(unpriced)} resource(s) could not be fully priced (see findings COST001).")
    out.append("  Assumptions:")
    out += [f"    - {text}" for text in cost.assumptions]
    grouped: dict[str, list[str]] = defaultdict(list)
    for line in cost.lines:
        side = line.after or line.before
        for text in side.assumptions if side else ():
            grouped[text].append(line.address)
    rows = sorted((addresses[0] if len(addresses) == 1 else f"{len(addresses)} resources", text)
                  for text, addresses in grouped.items())
    out += [f"    - {who}: {text}" for who, text in rows]
    return "\n".join(printable(line) for line in out) + "\n"  # addresses from a state can hold anything


def _finding_lines(finding: Finding) -> list[str]:
    target = ".".join(p for p in (finding.address, finding.path) if p) or "(environment)"
    label = "waived" if finding.waived else finding.severity.value
    lines = [f"  {label:<8}{finding.check_id:<8}{target}", f"          {finding.message}"]
    if finding.waived:
        lines.append(f"          waived until {finding.waived.expires.isoformat()}: {finding.waived.reason}")
    elif finding.fix:
        lines.append(f"          fix: {finding.fix}")
    if finding.source:
        lines.append(f"          at {finding.source}")
    return [printable(line) for line in lines]  # messages may quote values: escapes, never terminal controls


def render_findings_text(report: PolicyReport) -> str:
    """Cost summary, findings (stable order) and the verdict, as printed after the plan."""
    out = [render_cost_text(report.cost)]
    active = [f for f in report.findings if f.waived is None]
    counts = {s: sum(1 for f in active if f.severity is s) for s in Severity}
    waived = len(report.findings) - len(active)
    header = (f"Policy ({report.enforcement.value}): {counts[Severity.error]} error(s), {counts[Severity.warning]} warning(s),"
              f" {counts[Severity.info]} info, {waived} waived")
    out.append(header)
    for finding in report.findings:
        out += _finding_lines(finding)
    out.append(f"Policy verdict: {_VERDICT_TEXT[report.verdict]}")
    return "\n".join(out) + "\n"
