"""Language packs: the English pack loads, its lexicons are well formed and the only home
of the word sets the rules read, and its grammar helpers find subjects, objects and
agents in a parsed sentence."""

from __future__ import annotations

import ast
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from eventscope.errors import InputError
from eventscope.lang import languages, pack
from eventscope.lang.en import grammar
from eventscope.lang.en.lexicon import word_list, word_map, words
from eventscope.nlp.parse import english_components, load_nlp

KB = Path(str(resources.files("eventscope.kb")))
EXTRACT = Path(str(resources.files("eventscope.extract")))
# Lists compared as written, not in lower case (a regex, capitalised words).
AS_WRITTEN = {
    ("dates", "not_dates"),
    ("function_words", "place_articles"),
    ("places", "seat_words"),
}


def test_the_english_pack_loads() -> None:
    english = pack("en")
    assert english.code == "en" and languages() == ("en",)
    assert english.grammar is grammar
    assert english.words("function_words", "determiners") == {"the", "a", "an"}
    assert "triggers" in english.lexicon("events") and "cue_verbs" in english.lexicon("quotes")


def test_a_language_without_a_pack_is_refused() -> None:
    with pytest.raises(InputError, match="E003: no language pack for 'de'"):
        pack("de")


def _lexicons() -> list[Path]:
    found = sorted(KB.glob("*/*.yaml"))
    assert {p.parent.name for p in found} >= {"en", "ru", "es"}
    return found


def test_every_lexicon_parses_into_named_non_empty_lists() -> None:
    lists = 0
    for path in _lexicons():
        data = yaml.safe_load(path.read_text("utf-8"))
        assert isinstance(data, dict) and data, path
        for key, value in data.items():
            assert value, (path.name, key)  # no empty list or table
            if isinstance(value, list) and not isinstance(value[0], dict):
                lists += 1
                # a bare on/no/yes would be read as a boolean
                assert all(isinstance(w, str) for w in value), (path.name, key)
    assert lists >= 60


def test_lexicon_words_are_lower_case_where_rules_compare_lower_case() -> None:
    checked = 0
    for path in sorted(KB.glob("en/*.yaml")):
        for key, value in yaml.safe_load(path.read_text("utf-8")).items():
            if (path.stem, key) in AS_WRITTEN or not isinstance(value, list):
                continue
            for word in (w for w in value if isinstance(w, str)):
                assert word == word.lower(), (path.name, key, word)
                checked += 1
    assert checked > 1000


def test_the_loaders_read_each_list_once_and_keep_it() -> None:
    assert words("figures", "number_words") is words("figures", "number_words")
    assert word_list("figures", "person_suffixes")[0] == "er"
    assert word_map("function_words", "subject_forms")["them"] == "they"
    with pytest.raises(KeyError):
        words("function_words", "no_such_list")


def _set_literals(tree: ast.Module) -> list[tuple[int, str]]:
    """Module-level set or frozenset literals of more than three strings."""
    found = []
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        value = node.value
        is_call = isinstance(value, ast.Call) and getattr(value.func, "id", "") in (
            "frozenset",
            "set",
        )
        if is_call and value.args:  # frozenset({...}), frozenset((...))
            value = value.args[0]
        elif not isinstance(value, ast.Set):
            continue
        if not isinstance(value, ast.Set | ast.List | ast.Tuple):
            continue
        strings = [
            e for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
        if len(strings) > 3:
            found.append((node.lineno, ast.unparse(node.targets[0])))
    return found


def test_no_word_set_is_written_in_the_rules() -> None:
    modules = sorted(EXTRACT.glob("*.py"))
    assert len(modules) > 20
    inline = {
        path.name: found
        for path in modules
        if (found := _set_literals(ast.parse(path.read_text("utf-8"))))
    }
    assert inline == {}, "word sets belong in kb/en/*.yaml or lang/en/grammar.py"
    # and the scan does find them
    written = (
        'X = frozenset({"a", "b", "c", "d"})\nY = {"a", "b", "c", "d"}\nZ = ("a", "b", "c", "d")'
    )
    assert _set_literals(ast.parse(written)) == [(1, "X"), (2, "Y")]


def test_no_word_list_is_written_twice() -> None:
    homes: dict[frozenset[str], str] = {}
    for path in sorted(KB.glob("en/*.yaml")):
        for key, value in yaml.safe_load(path.read_text("utf-8")).items():
            if isinstance(value, list) and value and all(isinstance(w, str) for w in value):
                name = f"{path.stem}.{key}"
                assert frozenset(value) not in homes, (name, homes.get(frozenset(value)))
                homes[frozenset(value)] = name
    assert len(homes) >= 50


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp("en", english_components(("tagger", "parser")))


def _token(doc: Any, text: str) -> Any:
    return next(t for t in doc if t.text == text)


def test_grammar_finds_subject_and_objects(nlp: Any) -> None:
    doc = nlp("Russia sent Kazakhstan 2,000 troops.")
    sent = _token(doc, "sent")
    assert [t.text for t in grammar.subjects(sent)] == ["Russia"]
    assert {t.text for t in grammar.objects(sent)} == {"Kazakhstan", "troops"}
    assert grammar.passive_subjects(sent) == [] and grammar.agents(sent) == []


def test_grammar_finds_the_passive_subject_and_agent(nlp: Any) -> None:
    doc = nlp("The protesters were arrested in Almaty by the police.")
    arrested = _token(doc, "arrested")
    assert [t.text for t in grammar.passive_subjects(arrested)] == ["protesters"]
    assert grammar.subjects(arrested) == []
    assert [t.text for t in grammar.agents(arrested)] == ["police"]
    assert [t.text for t in grammar.prep_objects(arrested, ("in",))] == ["Almaty"]


def test_grammar_finds_clause_complements_and_conjuncts(nlp: Any) -> None:
    doc = nlp("Tokayev said that Russia and Belarus agreed to send troops.")
    said, agreed = _token(doc, "said"), _token(doc, "agreed")
    assert [t.text for t in grammar.complements(said)] == ["agreed"]
    assert [t.text for t in grammar.complements(agreed)] == ["send"]
    subject = grammar.subjects(agreed)[0]
    assert [t.text for t in grammar.conjuncts(subject)] == ["Russia", "Belarus"]
