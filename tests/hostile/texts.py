"""Article texts that once made one stage super-linear, by size `n` (each about 5-40
characters per unit), and plain news prose of a given length to compare them with."""

from __future__ import annotations

from collections.abc import Callable

PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    # reported speech nested in reported speech: every clause's subtree was read again
    "nested-said": lambda n: 'He said "' * n + "end.",
    "nested-clauses": lambda n: "(the minister said " * n + "end" + ")" * n + ".",
    # the tokenizer cut one bracket at a time off a run without spaces
    "brackets": lambda n: "(" * (10 * n),
    "quote-marks": lambda n: "'" * (10 * n),
    # one sentence holding thousands of figures, dates, places, names, events
    "figures": lambda n: "Police said " + ", ".join(f"{i} people were killed" for i in range(n)),
    "dates": lambda n: (
        "Protests took place "
        + ", ".join(f"on January {i % 28 + 1}, {1990 + i % 30}" for i in range(n))
    ),
    "places": lambda n: (
        "Protesters marched in "
        + ", ".join(["Almaty", "Astana", "Moscow", "Kyiv", "Paris"][i % 5] for i in range(n))
    ),
    "names": lambda n: "Police arrested " + ", ".join(f"John Smith{i}" for i in range(n)),
    "events": lambda n: " ".join(
        f"police arrested {i} protesters and troops attacked the rebels" for i in range(n)
    ),
    "conjunctions": lambda n: "Police arrested protesters " + " and ".join(["protesters"] * n),
    "accusations": lambda n: (
        "He said " + " ".join("the rebels accused the army of terrorism and said" for _ in range(n))
    ),
    # many quotations with their speakers, and many short dated sentences
    "quotations": lambda n: " ".join(f'"We will fight on {i}," said Tokayev.' for i in range(n)),
    "sentences": lambda n: " ".join(
        f"Police arrested {i} protesters in Almaty on Monday." for i in range(n)
    ),
    "according-to": lambda n: " ".join(f"according to police {i}" for i in range(n)),
}

_PROSE = (
    "Police in Almaty arrested 12 protesters on Monday, the interior ministry said.",
    "President Kassym-Jomart Tokayev said order had been restored in the city.",
    "\u201cWe will not negotiate with criminals,\u201d Tokayev said in a televised address.",
    "At least 164 people were killed in the unrest, according to the health ministry.",
    "Russian troops arrived in Kazakhstan on January 6 as part of a CSTO mission.",
    "Protesters set fire to the mayor's office and seized the airport for several hours.",
)


def prose(chars: int) -> str:
    """News sentences, paragraph by paragraph, to about `chars` characters."""
    out: list[str] = []
    size = 0
    i = 0
    while size < chars:
        sentence = _PROSE[i % len(_PROSE)]
        out.append(sentence + ("\n\n" if i % 3 == 2 else " "))
        size += len(out[-1])
        i += 1
    return "".join(out)
