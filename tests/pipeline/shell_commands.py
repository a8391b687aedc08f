"""The `pulumi` and `gcloud` commands a Markdown document gives in its fenced shell blocks.

Each command is split into words as the shell would (quotes, line continuations, `|`, `&&`,
`;`, `$( … )`, loops), heredoc bodies are skipped, and commands inside `$( … )` are found too.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

# Fenced blocks whose info string is a shell, or empty.
_FENCE = re.compile(r"^```(sh|bash|shell|console)?[ \t]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)(\w+)\1")
_SEPARATORS = frozenset("();<>|&\n")
# A placeholder such as <BACKUP_ID> or <file> is a word to fill in, not a redirection.
_PLACEHOLDER = re.compile(r"(?<![<\w])<([A-Za-z][\w.-]*)>")
# Words after which the next word is again a command.
_KEYWORDS = frozenset({"do", "then", "else", "elif", "if", "while", "until", "!", "time", "{"})
CLIS = ("pulumi", "gcloud")


@dataclass(frozen=True)
class Command:
    """One invocation: its words (the CLI first) and the line of the block it starts on."""

    words: tuple[str, ...]
    line: str

    @property
    def cli(self) -> str:
        return self.words[0]


def shell_blocks(markdown: str) -> Iterator[str]:
    """The text of each fenced shell block."""
    for match in _FENCE.finditer(markdown):
        yield match.group(2)


def _without_heredoc_bodies(script: str) -> str:
    kept: list[str] = []
    delimiter: str | None = None
    for line in script.splitlines():
        if delimiter is not None:
            if line.strip() == delimiter:
                delimiter = None
            continue
        kept.append(line)
        found = _HEREDOC.search(line)
        if found:
            delimiter = found.group(2)
    return "\n".join(kept) + "\n"


def _without_comments(script: str) -> str:
    """The script with each `# ...` comment removed (not `#` inside quotes or inside a word)."""
    kept: list[str] = []
    quote = ""
    in_comment = False
    previous = "\n"
    for char in script:
        if in_comment:
            if char == "\n":
                in_comment = False
                kept.append(char)
            continue
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and previous in " \t\n;|&(":
            in_comment = True
            continue
        kept.append(char)
        previous = char
    return "".join(kept)


def _substitutions(word: str) -> Iterator[str]:
    """The scripts inside each `$( … )` of a word (quotes already removed), outermost first."""
    start = word.find("$(")
    while start != -1:
        depth, index = 0, start + 1
        while index < len(word):
            if word[index] == "(":
                depth += 1
            elif word[index] == ")":
                depth -= 1
                if depth == 0:
                    break
            index += 1
        yield word[start + 2 : index]
        start = word.find("$(", index)


def _words(script: str) -> list[str]:
    lexer = shlex.shlex(script, posix=True, punctuation_chars="();<>|&\n")
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True
    lexer.commenters = ""
    return list(lexer)


def commands_in_script(script: str) -> Iterator[Command]:
    """Every `pulumi` / `gcloud` command of a shell script, in order."""
    script = _without_comments(_without_heredoc_bodies(script)).replace("\\\n", " ")
    script = _PLACEHOLDER.sub(r"_\1_", script)
    words = _words(script)
    current: list[str] = []
    at_start = True
    for word in [*words, "\n"]:
        if word and set(word) <= _SEPARATORS:
            if current:
                yield Command(tuple(current), " ".join(current))
            current, at_start = [], True
            continue
        for inner in _substitutions(word):
            yield from commands_in_script(inner)
        if current:
            current.append(word)
        elif at_start:
            if word in _KEYWORDS or re.fullmatch(r"[A-Za-z_]\w*=.*", word):
                continue  # a keyword or a VAR=value prefix: the command word comes next
            if word in CLIS:
                current = [word]
            at_start = False


def commands_in_markdown(markdown: str) -> list[Command]:
    """Every `pulumi` / `gcloud` command in the document's fenced shell blocks."""
    return [command for block in shell_blocks(markdown) for command in commands_in_script(block)]
