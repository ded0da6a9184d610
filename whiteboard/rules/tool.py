"""The input itself (WB0xx): what the check says about the file rather than the design.

These findings are made by the linter while it reads the input (a parse failure, a
Markdown fence, a `%% wb:` directive), not by a graph rule, so ``check()`` finds nothing.
They are rules all the same: `whiteboard explain WB004` documents them, SARIF lists them,
`--select`/`--ignore` and severity overrides apply to them (WB001 and WB006 excepted: an
input that cannot be read always ends the run with exit 2).

Rules whose examples are Markdown documents (``example_format = "markdown"``) show them in
a ````markdown block; the docs test checks those as `.md` files.
"""

from __future__ import annotations

from typing import ClassVar, Iterator

from whiteboard.rules.base import Finding, Rule, RuleContext, Severity


class _InputRule(Rule):
    """Base: the linter reports these findings itself.

    ## What it checks
    -
    ## Why it matters
    -
    ## Fails
    -
    ## Passes
    -
    """

    code = "WB000"
    name = "input"
    severity = Severity.INFO
    stage = "tool"
    # Other codes the examples need to run (a WB005 example is about a WB705 directive).
    runs_with: ClassVar[tuple[str, ...]] = ()

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        return iter(())


class _MarkdownRule(_InputRule):
    """Base for rules about Markdown files: examples are ````markdown documents.

    ## What it checks
    -
    ## Why it matters
    -
    ## Fails
    -
    ## Passes
    -
    """

    example_format = "markdown"


class NotAFlowchart(_InputRule):
    """The text is not a Mermaid flowchart that parses, or the file cannot be read.

    ## What it checks
    The text parses exactly as mermaid-js's flowchart parser would accept it. The finding
    points at the first place mermaid would stop, says what was expected there and shows
    the line with a caret. The same code reports a file that cannot be read at all: missing,
    unreadable, binary, not UTF-8, a symbolic link loop.

    ## Why it matters
    A diagram mermaid cannot parse renders as an error box on GitHub and in your notes,
    and nothing else about the design can be checked until it parses. The run exits 2,
    like a compiler's syntax error, whatever `--select` or `--exit-zero` say.

    ## Fails
    ```mermaid
    flowchart LR
      Client[Web app --> Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Client[Web app] --> Serve[Model serving]
    ```
    """

    code = "WB001"
    name = "input.not-a-flowchart"
    severity = Severity.ERROR


class UnknownProblem(_InputRule):
    """A `%% problem:` comment names a canonical problem that does not exist.

    ## What it checks
    The name in a `%% problem: NAME` comment is one of the known problems
    (`whiteboard problems`, plus those of a configured `templates` directory).

    ## Why it matters
    The comment adds that problem's must-discuss rules. A misspelt name would silently
    check the bare 7-stage framework only, so the design would look more complete than it
    is.

    ## Fails
    ```mermaid
    %% problem: chess
    flowchart LR
      Client[Web app] --> Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      Client[Web app] --> Serve[Model serving]
    ```
    """

    code = "WB002"
    name = "input.unknown-problem"
    severity = Severity.WARNING


class OtherDiagramType(_MarkdownRule):
    """A ```mermaid fence in Markdown holds another diagram type; it is skipped.

    ## What it checks
    Each ```mermaid (or ~~~mermaid) fence of a Markdown file is checked as a flowchart.
    A fence that holds another Mermaid diagram (`sequenceDiagram`, `classDiagram`,
    `erDiagram`, `stateDiagram`...) is reported as skipped, and the rest of the file is
    checked as usual.

    ## Why it matters
    Study notes mix diagram types: a sequence diagram of the request flow next to the
    architecture flowchart is good practice, not a mistake, so it is neither an error nor
    silently ignored. (A `.mmd` file of another type is WB001: a file given to the check is
    meant to be a flowchart.) `ignore = ["WB003"]` hides these notes.

    ## Fails
    ````markdown
    ```mermaid
    sequenceDiagram
      Client->>API: request
    ```
    ````

    ## Passes
    ````markdown
    ```mermaid
    flowchart LR
      Client[Web app] --> Serve[Model serving]
    ```
    ````
    """

    code = "WB003"
    name = "markdown.other-diagram"
    severity = Severity.INFO


class BadDirective(_InputRule):
    """A `%% wb:` directive that cannot be read, or that names no rule code.

    ## What it checks
    Every comment starting `%% wb` is one of the directive forms:
    `%% wb: disable=CODE[,CODE...]` (the whole diagram), `%% wb: disable-next-line=CODE[,...]`
    (the next line that is not a comment), or either without `=CODES` for every code. A code
    may be a prefix (`WB7`); text after `--` is a reason and ignored. The message gives the
    expected form, and a "did you mean" for a misspelt code.

    ## Why it matters
    A directive that cannot be read silences nothing, so the finding it was meant for keeps
    coming back, or worse, a typo such as `WB7O5` looks as if it worked.

    ## Fails
    ```mermaid
    flowchart LR
      %% wb: disable WB705
      Reg[(Model registry)] -->|deploy| Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      %% wb: disable=WB705 -- a drill about the data pipeline
      Reg[(Model registry)] -->|deploy| Serve[Model serving]
    ```
    """

    code = "WB004"
    name = "suppression.malformed"
    severity = Severity.WARNING
    runs_with = ("WB705",)


class UnusedDirective(_InputRule):
    """A `%% wb:` directive silences nothing: the finding it was written for is gone.

    ## What it checks
    Each code of a `%% wb: disable=...` directive silenced at least one finding of a rule
    that ran (a directive for a rule left out by `--select` is not judged), and a
    `disable-next-line` directive's next line has a finding to silence.

    ## Why it matters
    Designs change: once the canary is drawn, `disable=WB705` is stale, and a stale
    directive would hide the finding again the day the canary is deleted. Removing unused
    directives keeps every suppression a decision someone still stands by.

    ## Fails
    ```mermaid
    flowchart LR
      %% wb: disable=WB705
      Reg[(Model registry)] -->|canary 5%| Serve[Model serving]
    ```

    ## Passes
    ```mermaid
    flowchart LR
      %% wb: disable=WB705
      Reg[(Model registry)] -->|deploy| Serve[Model serving]
    ```
    """

    code = "WB005"
    name = "suppression.unused"
    severity = Severity.INFO
    runs_with = ("WB705",)


class UnterminatedFence(_MarkdownRule):
    """A ```mermaid fence in Markdown is never closed.

    ## What it checks
    Every ```mermaid or ~~~mermaid fence has a closing fence (the same character, at least
    as many, on a line of its own) before the end of the file, or of the list item or block
    quote it is in.

    ## Why it matters
    Markdown renders everything after an unclosed fence as code: the rest of your notes
    disappears into one broken diagram. The fence's diagram is not checked (where it ends
    is a guess) and the run exits 2, as for any input that cannot be read.

    ## Fails
    ````markdown
    ## Design
    ```mermaid
    flowchart LR
      Client[Web app] --> Serve[Model serving]
    ````

    ## Passes
    ````markdown
    ## Design
    ```mermaid
    flowchart LR
      Client[Web app] --> Serve[Model serving]
    ```
    ````
    """

    code = "WB006"
    name = "markdown.unterminated-fence"
    severity = Severity.ERROR


RULES = [NotAFlowchart, UnknownProblem, OtherDiagramType, BadDirective, UnusedDirective, UnterminatedFence]
