"""A corpus of bad inputs (and a few good ones beside them), written at test time.

`build(root)` writes it and returns what a correct ingest must report: for each bad input
its reference (relative to root) and W code; the number of good articles; duplicates.
Nothing here is committed as a file: a 50 MB article and a FIFO are made on the spot.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .conftest import REPORT, write


@dataclass
class Expected:
    rejected: dict[str, str] = field(default_factory=dict)  # ref relative to root -> W code
    good: int = 0
    duplicates: int = 0
    unreadable: Path | None = None


def _line(**record: object) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def build(root: Path) -> Expected:
    exp = Expected()
    good = f"date 2022-01-05\n{REPORT}"

    # Good inputs, so that we can see the rest of the batch is stored.
    write(root / "good.txt", good)
    write(root / "dup.txt", "date 2022-01-05\n" + REPORT.upper().replace(" ", "  "))
    write(
        root / "mixed.jsonl",
        _line(text=REPORT + " First.", date="2022-01-05")
        + '{"text": "broken line, no closing brace"\n'
        + "[1, 2, 3]\n"
        + _line(title="no text here", date="2022-01-05")
        + _line(text=12345, date="2022-01-05")
        + b"\xff\xfe not utf-8 \xc3\x28\n".decode("latin-1")
        + _line(text=REPORT + " Unparseable date.", date_publish="sometime soon")
        + _line(text=REPORT + " Ancient.", date="1850-03-01")
        + _line(text=REPORT + " Last good line.", date="2022-01-06")
        + json.dumps({"text": REPORT + " Bad title.", "title": "\udc80 x", "date": "2022-01-07"})
        + "\n"
        + '{"text": "broken escape \\ud800 in the text of this article", "date": "2022-01-07"}\n'
        + '{"text": '
        + "[" * 100_000
        + "\n"  # nesting deeper than any parser's stack
        + '{"text": "x", "n": 1'
        + "0" * 5000
        + "}\n",  # a number too long to convert
    )
    # The invalid-UTF-8 line must hold raw bytes: rewrite it as such.
    raw = (
        (root / "mixed.jsonl")
        .read_bytes()
        .replace("\xff\xfe not utf-8 \xc3(".encode(), b'{"text": "\xff\xfe not utf-8 \xc3\x28"}')
    )
    (root / "mixed.jsonl").write_bytes(raw)
    exp.good += 4  # good.txt, mixed.jsonl lines 1, 9 and 10 (its bad title is repaired)
    exp.duplicates += 1  # dup.txt
    exp.rejected.update({
        "mixed.jsonl:2": "W008",  # malformed JSON in the middle of good lines
        "mixed.jsonl:3": "W008",  # an array, not an object
        "mixed.jsonl:4": "W008",  # no text field
        "mixed.jsonl:5": "W008",  # text is a number
        "mixed.jsonl:6": "W003",  # invalid UTF-8 in one line
        "mixed.jsonl:7": "W005",  # unparseable date
        "mixed.jsonl:8": "W006",  # date before 1900
        "mixed.jsonl:11": "W003",  # a lone surrogate escape in the text
        "mixed.jsonl:12": "W008",  # nested too deep
        "mixed.jsonl:13": "W008",  # number too long
    })  # fmt: skip

    write(root / "empty.txt", b"")
    write(root / "blank.txt", "   \n\n\t \n")
    write(root / "image.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    damaged = ("Protests in Almatí and Nursultán, “Tokáyev” said — " * 3).encode()
    write(root / "broken-utf8.txt", b"date 2022-01-05\n" + damaged + b"\xff\xfe" + damaged)
    write(root / "controls.txt", bytes([1, 2, 3, 4, 5, 6, 14, 15, 16]) * 40)
    # Damage far from the start of a file, after 68 KB of plain ASCII.
    write(root / "late-damage.txt", b"date 2022-01-05\n" + REPORT.encode() * 300 + damaged[:60]
          + b"\xc3\x28" + damaged)  # fmt: skip
    # One undecodable row in a UTF-8 CSV costs that row only.
    write(root / "badbyte.csv", f'text,date\n"{REPORT} Café one.",2022-01-05\n'.encode()
          + b'"broken \xff\xfe row with enough text to be an article",2022-01-05\n'
          + f'"{REPORT} Café three.",2022-01-05\n'.encode())  # fmt: skip
    one_line = gzip.compress(_line(text=REPORT * 20, date="2022-01-05").encode())
    write(root / "truncated.jsonl.gz", one_line[: len(one_line) // 2])
    write(root / "not-gzip.txt.gz", b"this is not gzip data at all, just text")
    write(root / "binary.txt.gz", gzip.compress(bytes(range(256)) * 8))
    write(root / "nodate.txt", REPORT + " No date anywhere.")
    write(root / "baddate.txt", f"date 2022-13-45\n{REPORT} Month thirteen.")
    write(root / "future.txt", f"date 2099-01-01\n{REPORT} From the future.")
    write(root / "short.txt", "date 2022-01-05\nToo short.")
    with open(root / "huge.txt", "wb") as handle:  # a 50 MB article
        handle.write(b"date 2022-01-05\n")
        chunk = (REPORT + "\n").encode() * 2000
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(chunk)
    write(root / "huge.txt.gz", gzip.compress(b"date 2022-01-05\n" + (REPORT.encode() * 60000)))
    write(root / "nobody.html", "<html><head><title>Nothing here</title></head></html>")
    write(root / "script-only.html", "<html><body><script>var a = 1;</script></body></html>")
    write(
        root / "empty-feed.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title>'
        "<link>https://x.example/</link><description>none</description></channel></rss>",
    )
    write(root / "bad-row.csv", f'title,text,date\nA,"{REPORT} CSV.",2022-01-05\nB,x,y,z,w\n')
    write(root / "empty.csv", b"")
    # A stray NUL is dropped, not a reason to lose the file; an oversized field costs its row
    # (W007, like an oversized JSON line).
    write(root / "nul.csv", f'text,date\n"{REPORT} Before.",2022-01-05\n'
                            f'"{REPORT} With a NUL\x00.",2022-01-05\n')  # fmt: skip
    write(
        root / "big-field.csv",
        f'text,date\n"{REPORT} Small.",2022-01-05\n"'
        + "x" * 4_000_001
        + f'",2022-01-05\n"{REPORT} Tail.",2022-01-05\n',
    )
    write(root / "invalid.json", '{"text": "unterminated')
    exp.good += 7  # bad-row.csv 2, nul.csv 2 and 3, big-field.csv 2 and 4, badbyte.csv 2 and 4
    exp.rejected.update({
        "empty.txt": "W001",
        "blank.txt": "W001",
        "image.bin": "W002",
        "broken-utf8.txt": "W003",
        "controls.txt": "W002",
        "truncated.jsonl.gz": "W009",
        "not-gzip.txt.gz": "W009",
        "binary.txt.gz": "W002",
        "nodate.txt": "W004",
        "baddate.txt": "W005",
        "future.txt": "W006",
        "short.txt": "W015",
        "huge.txt": "W007",
        "huge.txt.gz": "W007",
        "nobody.html": "W013",
        "script-only.html": "W013",
        "empty-feed.xml": "W014",
        "bad-row.csv:3": "W008",
        "big-field.csv:3": "W007",  # over the record size limit, like a JSON line
        "badbyte.csv:3": "W003",
        "late-damage.txt": "W003",
        "empty.csv": "W008",
        "invalid.json": "W008",
    })  # fmt: skip

    # File-system oddities.
    (root / "loop").mkdir()
    os.symlink("..", root / "loop" / "back-to-root")
    os.symlink(root / "does-not-exist.txt", root / "dangling.txt")
    os.mkfifo(root / "pipe.txt")
    unreadable = write(root / "unreadable.txt", good + " Locked away.")
    os.chmod(unreadable, 0)
    exp.unreadable = unreadable
    # A file name that is not UTF-8 is read; its reference shows the byte escaped.
    write(root / os.fsdecode(b"bad-name-\xff.txt"), good + " Odd name.")
    exp.good += 1
    exp.rejected.update({
        "loop/back-to-root": "W012",
        "dangling.txt": "W010",
        "pipe.txt": "W011",
        "unreadable.txt": "W010",
    })  # fmt: skip
    return exp
