"""The guard's word lists (one file each), its switchable rule families and its newer features."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.guards.privacy import find_personal_data
from assistant.guards.privacy.context import FEATURES
from assistant.guards.privacy.guard import ALL_RULES, RULE_FAMILIES, candidate_features, check_rules
from assistant.guards.privacy.names import FIRST_NAMES, NOT_NAMES, PUBLIC_CASES, default_allow_names
from assistant.guards.privacy.words import (
    alternation,
    english_frequency,
    word_list,
    word_set,
)
from assistant.settings import Settings
from assistant.words import WORDS as WORDS_DIR

PRIVACY_CODE = Path(__file__).resolve().parents[1] / "assistant" / "guards" / "privacy"


# --- word lists ----------------------------------------------------------------------------------
def test_every_privacy_word_file_is_loaded_by_the_guard() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in PRIVACY_CODE.glob("*.py"))
    files = sorted(WORDS_DIR.glob("privacy-*.txt"))
    assert len(files) >= 10
    for path in files:
        assert f'"{path.stem}"' in code or f"'{path.stem}'" in code, path.name


def test_no_word_appears_in_two_privacy_lists_of_the_same_use() -> None:
    person, family = word_set("privacy-person-words"), word_set("privacy-family-words")
    assert not {"client", "mum"} - (person | family)
    assert not (set(word_list("privacy-person-words")) & set(word_list("privacy-family-words")))


def test_the_name_sets_come_from_their_files() -> None:
    assert "Jayden" in FIRST_NAMES and word_set("privacy-first-names") == FIRST_NAMES
    assert "Ofsted" in NOT_NAMES and word_set("privacy-not-names") == NOT_NAMES
    assert "Victoria Climbié" in PUBLIC_CASES  # a line is one name, spaces kept


def test_word_list_skips_comments_and_blank_lines(tmp_path: Path, monkeypatch) -> None:
    import assistant.guards.privacy.words as words
    import assistant.words as shared

    (tmp_path / "x.txt").write_text("# heading\n\nstep dad  # a note\nbruis*\n", encoding="utf-8")
    monkeypatch.setattr(shared, "WORDS", tmp_path)
    words.word_list.cache_clear()
    words.alternation.cache_clear()
    try:
        assert words.word_list("x") == ("step dad", "bruis*")
        pattern = re.compile(rf"^{words.alternation('x')}$")
        for typed in ("stepdad", "step-dad", "step dad", "bruises", "bruised"):
            assert pattern.match(typed), typed
        assert not pattern.match("stepmum")
    finally:
        words.word_list.cache_clear()
        words.alternation.cache_clear()


def test_family_alternation_matches_hyphen_and_space_forms() -> None:
    pattern = re.compile(rf"^{alternation('privacy-family-words')}$", re.IGNORECASE)
    assert pattern.match("mother-in-law") and pattern.match("step mum")


@pytest.mark.parametrize(
    ("word", "common"),
    [
        ("wouldnt", True),
        ("shes", True),
        ("summarise", True),
        ("behaviour", True),
        ("ndlovu", False),
    ],
)
def test_english_frequency_reads_contractions_and_british_spelling(word: str, common: bool) -> None:
    assert (english_frequency(word) > 500) is common


# --- rule families -------------------------------------------------------------------------------
def test_settings_switch_on_every_rule_family_by_default() -> None:
    assert set(Settings().privacy_rules) == set(RULE_FAMILIES) == ALL_RULES


def test_an_unknown_rule_family_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="identifiers"):
        check_rules(["identifiers", "guesswork"])


def test_switching_identifiers_off_drops_them_and_only_them() -> None:
    text = "my client Sarah Jones, NHS no 943 476 5919"
    assert {f.kind for f in find_personal_data(text, rules=ALL_RULES)} == {"name", "nhs_number"}
    off = find_personal_data(text, rules=ALL_RULES - {"identifiers"})
    assert [f.kind for f in off] == ["name"]


def test_recased_pass_finds_a_lower_case_surname_the_first_pass_misses() -> None:
    text = "need help with a letter for thandiwe ndlovu who is 14"
    with_pass = candidate_features(text, default_allow_names())
    without = candidate_features(text, default_allow_names(), ALL_RULES - {"recased_ner"})
    spans = {text[c.start : c.end] for c, _ in with_pass}
    assert "thandiwe ndlovu" in spans
    sources = {s for c, _ in without for s in c.sources}
    assert not {"ner_tc", "propn_tc"} & sources


def test_without_the_allow_list_its_features_are_zero() -> None:
    text = "What does Kadushin say about supervision?"
    off = candidate_features(text, default_allow_names(), ALL_RULES - {"allow_list"})
    on = candidate_features(text, default_allow_names())
    glossary = FEATURES.index("glossary")
    assert any(v[glossary] == 1.0 for _, v in on)
    assert all(v[glossary] == 0.0 for _, v in off)


# --- features ------------------------------------------------------------------------------------
def _values(text: str, span: str) -> dict[str, float]:
    for c, values in candidate_features(text, default_allow_names()):
        if text[c.start : c.end] == span:
            return dict(zip(FEATURES, values, strict=True))
    raise AssertionError(f"{span!r} is not a candidate in {text!r}")


def test_an_acronym_is_marked_unless_the_whole_text_is_in_capitals() -> None:
    assert _values("NINO JT123456A was on the form by mistake", "NINO")["acronym"] == 1.0


def test_a_citation_list_counts_for_its_first_author() -> None:
    values = _values("Rolfe, Freshwater and Jasper (2001): what? so what?", "Rolfe")
    assert values["citation"] == 1.0


def test_role_words_at_the_edge_of_a_candidate_are_no_part_of_the_name() -> None:
    text = "Caoimhe O'Sullivan (15) disclosed that her stepdad touched her"
    spans = [text[c.start : c.end] for c, _ in candidate_features(text, default_allow_names())]
    assert "Caoimhe O'Sullivan" in spans
    assert not any("stepdad" in s for s in spans)
    text = "the foster carer mrs adeyemi-johnson wants to adopt the baby"
    spans = [text[c.start : c.end] for c, _ in candidate_features(text, default_allow_names())]
    assert "adeyemi-johnson" in spans  # the role word and title dropped, the name kept whole


def test_a_possessive_typed_without_its_apostrophe_gives_a_candidate() -> None:
    text = "mehmets mum said hes been hit by his uncle"
    assert _values(text, "mehmet")["possessive_case"] == 1.0


def test_an_inquiry_named_in_a_longer_span_is_not_a_candidate() -> None:
    text = "arthur labinjo-hughes national review key findings"
    assert not candidate_features(text, default_allow_names())


def test_a_single_letter_is_no_name() -> None:
    text = "lessons from the baby p / peter connelly case for supervision"
    spans = [text[c.start : c.end] for c, _ in candidate_features(text, default_allow_names())]
    assert "p" not in spans


def test_a_relation_word_is_not_recased_as_a_name() -> None:
    from assistant.guards.privacy.ner import _truecased, load_pipeline

    doc = load_pipeline()(  # type: ignore[misc]
        "her stepdad and ndlovu"
    )
    assert _truecased(doc) == "her stepdad and Ndlovu"


def test_a_word_right_before_an_identifier_is_marked_as_its_label() -> None:
    values = _values("NINO JT123456A was on the form by mistake", "NINO")
    assert values["before_identifier"] == 1.0 and values["identifier_in_text"] == 1.0


def test_place_words_around_a_candidate_are_marked() -> None:
    assert _values("i'm moving to Manchester for my ASYE", "Manchester")["place_before"] == 1.0
    text = "Oliver lives with his nan on the Beechwood estate"
    assert _values(text, "Beechwood")["place_after"] == 1.0


def test_a_full_name_outside_the_lists_is_marked_and_an_author_is_not() -> None:
    text = "can you help me write a case summary for Bronwen Price"
    assert _values(text, "Bronwen Price")["unlisted_full_name"] == 1.0
    assert _values("what does Gillian Ruch say", "Gillian Ruch")["unlisted_full_name"] == 0.0


def test_a_title_is_a_name_rule_only_when_capitalised() -> None:
    from assistant.guards.privacy.names import _strong_names

    assert [f.text for f in _strong_names("visited Mrs Patel today")] == ["Mrs Patel"]
    assert not list(_strong_names("I miss Hannah and the team"))


def test_name_rule_candidates_are_scored_not_reported_outright() -> None:
    text = "in the vignette, why does Mrs Hale refuse the assessment"
    assert not find_personal_data(text, rules=ALL_RULES)
    assert _values(text, "Mrs Hale")["rule_strong"] == 1.0


def test_a_name_ends_at_a_possessive_or_a_role_word() -> None:
    text = "Can I share Rahul D'Souza's CAMHS letter with his school? he's 14"
    assert [f.text for f in find_personal_data(text)] == ["Rahul D'Souza"]
    text = "tharshans mum wants him moved to a tamil speaking foster family"
    spans = [text[c.start : c.end] for c, _ in candidate_features(text, default_allow_names())]
    assert not any("mum" in s for s in spans)


def test_a_lower_case_first_name_is_found_and_text_speak_is_not() -> None:
    text = "lol this is awkward but tyrone keeps calling me babe during visits, hes 17"
    assert [f.text for f in find_personal_data(text)] == ["tyrone"]


def test_a_name_that_opens_the_message_is_a_candidate() -> None:
    text = "Bilal keeps saying he wants to go back to his dads, hes 9"
    assert [f.text for f in find_personal_data(text)] == ["Bilal"]
    assert not find_personal_data("Fonagy says mentalising is a skill; how do I teach it?")


def test_an_age_typed_as_hes_or_shes_is_an_age() -> None:
    assert _values("i think amara is being groomed, shes 13", "amara")["age_in_text"] == 1.0
