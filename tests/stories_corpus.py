"""Reports written for the story tests, from the public facts of two real happenings (the
Myanmar coup of 1 February 2021 and the detention of Nikol Pashinyan in Yerevan on 22 April
2018), plus a page of site furniture. Each is "date\nsource\ntext"; `write_corpus` writes
them as JSON Lines records (published, source, title, text), one file per report."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import write

MYANMAR = {
    "myanmar-1.txt": (
        "2021-02-01\nExample Wire\n"
        "Myanmar's military seized power in a coup on Monday and detained State Counsellor "
        "Aung San Suu Kyi and President Win Myint in early morning raids in Naypyitaw. "
        "The army declared a one-year state of emergency and handed power to its commander, "
        "Min Aung Hlaing. The military said it acted because of fraud in the November "
        "election, which the National League for Democracy won by a landslide. Soldiers "
        "blocked roads in Naypyitaw and Yangon, and phone and internet lines were cut."
    ),
    "myanmar-2.txt": (
        "2021-02-02\nHarbour Daily\n"
        "The National League for Democracy demanded on Tuesday the release of Aung San Suu "
        "Kyi, a day after the military detained her and President Win Myint in Naypyitaw. "
        "Min Aung Hlaing, the army commander who took power, accused the election commission "
        "of failing to act on fraud. The election commission had rejected the fraud claims, "
        "saying there was no evidence that the vote was rigged. Doctors at several hospitals "
        "in Yangon said they would stop working in protest against the coup."
    ),
    "myanmar-3.txt": (
        "2021-02-03\nExample Wire\n"
        "Police in Myanmar filed charges against Aung San Suu Kyi for illegally importing "
        "walkie-talkies, two days after the military detained her in Naypyitaw. A police "
        "document said she would be held until February 15. President Win Myint was "
        "charged with breaking rules on gatherings during the pandemic. Min Aung Hlaing "
        "told his cabinet that the army had no choice but to take power."
    ),
}

ARMENIA = {
    "armenia-1.txt": (
        "2018-04-22\nCaucasus Desk\n"
        "Armenian police detained opposition leader Nikol Pashinyan in Yerevan on Sunday, "
        "hours after he walked out of televised talks with Prime Minister Serzh Sargsyan "
        "that lasted only a few minutes. Police detained about 200 protesters in the capital "
        "as thousands marched against Sargsyan, the former president who became prime "
        "minister last week. Sargsyan accused Pashinyan of blackmail and of ignoring the "
        "lessons of the deadly clashes in Yerevan in March 2008."
    ),
    "armenia-2.txt": (
        "2018-04-23\nHarbour Daily\n"
        "Armenian Prime Minister Serzh Sargsyan resigned on Monday after eleven days of "
        "street protests in Yerevan led by Nikol Pashinyan, who was freed from detention "
        "hours earlier. Police said 232 protesters had been detained on Sunday. "
        '"Nikol Pashinyan was right. I was wrong," Sargsyan said in a statement. '
        "Crowds celebrated in Republic Square in Yerevan."
    ),
}

FURNITURE = {
    "furniture.txt": (
        "2021-02-01\nHarbour Daily\n"
        "We have sent you a verification email. Please check your inbox and click on the "
        "link to activate your account. If you do not receive the message within a few "
        "minutes of signing up, please check your spam or junk folder. Close this window "
        "to return to the page you were reading."
    ),
}


def write_corpus(folder: Path, *parts: dict[str, str]) -> Path:
    """Write the named reports (default: all) under `folder`; returns it."""
    for part in parts or (MYANMAR, ARMENIA, FURNITURE):
        for name, report in part.items():
            published, source, text = report.split("\n", 2)
            record = {"published": published, "source": source, "title": text.split(". ")[0],
                      "text": text}  # fmt: skip
            write(folder / name.replace(".txt", ".jsonl"), json.dumps(record) + "\n")
    return folder
