"""The plain-words target: skip rules, constraints and formulas as sentences in each language."""

from __future__ import annotations

import copy
import re
import string
from dataclasses import replace

import pytest

from compiler.expressions import parse
from compiler.expressions.phrases import NBSP, PHRASEBOOKS, has_phrasebook, phrasebook
from compiler.expressions.words import (
    constraint_sentence,
    describe_expression,
    formula_sentence,
    goto_sentences,
    missing_phrase_languages,
    skip_rule_sentence,
)
from compiler.model import Expression, Guide, Item, Language, Text

LANGS = ("en", "fr", "es", "sr-Latn")


def item(guide: Guide, name: str) -> Item:
    return guide.items_by_name()[name]


def choice_label(guide: Guide, list_name: str, name: str, lang: str) -> str:
    found = guide.lists[list_name].get(name)
    assert found is not None
    return guide.text(found.label, lang)


def with_constraint(guide: Guide, name: str, text: str) -> Item:
    original = item(guide, name)
    return replace(original, constraint=Expression(text, original.location, parse(text)))


def words(guide: Guide, text: str, lang: str = "en", owner: str | None = None, compact: bool = False) -> str:
    own = item(guide, owner) if owner else None
    return describe_expression(guide, parse(text), lang, own, compact=compact)


# every expression of the test guide


def test_every_expression_renders_without_code(test_guide: Guide) -> None:
    numbered = {i.name for i in test_guide.walk() if i.number}
    rendered = 0
    for lang in LANGS:
        for it in test_guide.walk():
            for function, attr in (
                (skip_rule_sentence, "relevant"),
                (constraint_sentence, "constraint"),
                (formula_sentence, "formula"),
            ):
                sentence = function(test_guide, it, lang)
                if getattr(it, attr) is None:
                    assert sentence is None
                    continue
                rendered += 1
                assert sentence, (it.name, attr, lang)
                for code in ("${", "/data", "[", "div", "count-selected"):
                    assert code not in sentence, (it.name, attr, lang, sentence)
                compact = function(test_guide, it, lang, compact=True)
                assert compact is not None
                for text in (compact, sentence):
                    text = re.sub(r'"[^"]*"|«[^»]*»|„[^“]*“|\'[^\']*\'', "", text)  # labels and answers
                    names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
                    assert not (names & numbered), (it.name, lang, text)
                    assert "_" not in text, (it.name, lang, text)
                assert sentence[0] == sentence[0].upper(), sentence
    expected = sum(1 for i in test_guide.walk() for _ in i.expressions())
    assert rendered == len(LANGS) * expected and expected >= 20


def test_compact_and_full_forms_give_the_same_sentence_apart_from_labels(test_guide: Guide) -> None:
    for it in test_guide.walk():
        if it.formula is None:
            continue
        full = formula_sentence(test_guide, it, "en")
        compact = formula_sentence(test_guide, it, "en", compact=True)
        assert full is not None and compact is not None
        assert re.sub(r' \("[^"]*"\)', "", full) == compact


# exact sentences, English


def test_skip_rules_in_english(test_guide: Guide) -> None:
    g = test_guide
    assert skip_rule_sentence(g, item(g, "signs"), "en") == "Answer only if QS.3 is 'Yes'"
    assert skip_rule_sentence(g, item(g, "start_date"), "en") == "Answer only if QS.6 is not answered"
    assert skip_rule_sentence(g, item(g, "scale"), "en") == "Answer only if 5.2 is 'Negative'"
    assert (
        skip_rule_sentence(g, item(g, "signs"), "en", compact=False)
        == "Answer only if QS.3 (\"Is there a clear measure?\") is 'Yes'"
    )
    assert (
        skip_rule_sentence(g, item(g, "budget"), "en")
        == "Answer only if QS.6 is answered and QS.6 is more than 10"
    )


def test_range_constraint(test_guide: Guide) -> None:
    people = item(test_guide, "people")
    assert constraint_sentence(test_guide, people, "en") == "Between 0 and 100,000"
    assert constraint_sentence(test_guide, people, "fr") == f"Entre 0 et 100{NBSP}000"
    assert constraint_sentence(test_guide, people, "es") == f"Entre 0 y 100{NBSP}000"
    assert constraint_sentence(test_guide, item(test_guide, "signs"), "en") is None


def test_formulas_in_english(test_guide: Guide) -> None:
    g = test_guide

    def formula(name: str, compact: bool = False) -> str | None:
        return formula_sentence(g, item(g, name), "en", compact=compact)

    assert formula("severity", compact=True) == "(5.3 + 5.4) \u00f7 2"
    assert formula("severity") == '(5.3 ("Scale") + 5.4 ("Scope")) \u00f7 2'
    assert formula("sign_count", compact=True) == "The number of options chosen in QS.5"
    assert formula("people_double", compact=True) == "(QS.6, or 0 if not answered) \u00d7 2"
    assert formula("negatives", compact=True) == (
        "The number of \"Impact record\" records where 5.2 is 'Negative'"
    )
    assert formula("worst_liberty", compact=True) == (
        "The highest \"Severity\" among \"Impact record\" records "
        "where 5.1 is 'Liberty' and 5.2 is 'Negative'"
    )
    assert formula("mean_severity") == (
        'The average of "Severity" over "Impact record" records, rounded to 2 decimal places'
    )
    assert formula("min_scope", compact=True) == (
        "The lowest 5.4 among \"Impact record\" records where 5.2 is not 'Positive'"
    )
    assert formula("total_scale", compact=True) == (
        '(the total of 5.3 over "Impact record" records) \u2212 (\u22121)'
    )


def test_if_and_result_labels(test_guide: Guide) -> None:
    """if() reads 'if …, then …, otherwise …'; a score's results show as its result list's labels."""
    g = test_guide
    assert formula_sentence(g, item(g, "outcome"), "en") == (
        "If \"Critical signs\" is more than 0, then 'Full assessment recommended', "
        "otherwise if \"Warning signs\" is more than 0, then 'Monitor', "
        "otherwise 'No assessment needed'"
    )
    assert formula_sentence(g, item(g, "critical"), "en", compact=True) == (
        "(if 'Detention' is chosen in QS.5, then 1, otherwise 0) "
        "+ (if 'Compulsory testing' is chosen in QS.5, then 1, otherwise 0)"
    )


def test_count_equal_and_count_answered(test_guide: Guide) -> None:
    g = test_guide
    assert formula_sentence(g, item(g, "committed_liberty"), "en") == (
        "If the number of 'Ratified' answers in QS.8 and QS.9 is more than 0, then 1, otherwise 0"
    )
    assert formula_sentence(g, item(g, "commitment"), "en") == (
        "(the number of 'Ratified' answers in QS.8 and QS.9) \u00f7 "
        "((the number of questions answered among QS.8 and QS.9) \u2212 "
        "(the number of 'Don't know' answers in QS.8 and QS.9))"
    )
    many = "count_answered(measure_name, start_date, has_measure, followup, signs, people, status_cat, scale)"
    assert words(g, many) == "the number of questions answered among QS.1\u2013QS.6, QS.9 and 5.3"
    assert words(g, many, "es") == "el número de preguntas con respuesta entre QS.1\u2013QS.6, QS.9 y 5.3"
    # a numeric answer in count_equal shows as its label too
    assert words(g, "count_equal(5, scale, scope)") == "the number of '5 very high' answers in 5.3 and 5.4"


# other constraints


@pytest.mark.parametrize(
    ("text", "english"),
    [
        (". > 0", "More than 0"),
        (". >= 1", "At least 1"),
        (". <= 120", "At most 120"),
        ("0 <= . and . < 10", "At least 0 and less than 10"),
        ("10 >= . and . >= 2.5", "Between 2.5 and 10"),
        (". != 5", "The answer must not be 5"),
        (". >= 1 and . != 5", "The answer must be at least 1 and not be 5"),
        (". <= people_double", "At most (QS.6, or 0 if not answered) \u00d7 2"),
        (". > 0 or . = -1", "Accepted only if the answer is more than 0 or the answer is \u22121"),
    ],
)
def test_constraint_shapes(test_guide: Guide, text: str, english: str) -> None:
    owner = with_constraint(test_guide, "people", text)
    assert constraint_sentence(test_guide, owner, "en") == english


def test_constraints_in_french_and_spanish(test_guide: Guide) -> None:
    g = test_guide
    owner = with_constraint(g, "people", ". >= 1 and . != 5")
    assert constraint_sentence(g, owner, "fr") == (
        "La réponse doit être supérieure ou égale à 1 et être différente de 5"
    )
    assert constraint_sentence(g, owner, "es") == "La respuesta debe ser mayor o igual que 1 y ser distinta de 5"
    owner = with_constraint(g, "people", ". > 1000.5")
    assert constraint_sentence(g, owner, "fr") == f"Plus de 1{NBSP}000,5"
    assert constraint_sentence(g, owner, "es") == "Más de 1000,5"
    assert constraint_sentence(g, owner, "en") == "More than 1,000.5"


def test_constraint_of_a_choice_question_shows_answer_labels(test_guide: Guide) -> None:
    owner = with_constraint(test_guide, "has_measure", ". != 'dont_know'")
    assert constraint_sentence(test_guide, owner, "en") == "The answer must not be 'Don't know'"
    dont_know = choice_label(test_guide, "yes_no_dk", "dont_know", "fr")
    assert constraint_sentence(test_guide, owner, "fr") == (
        f"La réponse doit être différente de «{NBSP}{dont_know}{NBSP}»"
    )


# French and Spanish phrasing (the test guide's labels are translated to French; Spanish is not
# one of its languages, so its labels fall back to English inside the Spanish phrasing)


def test_answer_labels_used_in_the_phrasing(test_guide: Guide) -> None:
    g = test_guide
    assert choice_label(g, "yes_no_dk", "yes", "fr") == "Oui"
    assert choice_label(g, "yes_no_dk", "dont_know", "fr") == "Ne sait pas"
    assert choice_label(g, "yes_no_dk", "yes", "es") == "Yes"


def test_skip_rules_in_french_and_spanish(test_guide: Guide) -> None:
    g = test_guide
    yes_fr = choice_label(g, "yes_no_dk", "yes", "fr")
    assert skip_rule_sentence(g, item(g, "signs"), "fr") == (
        f"Répondre seulement si la réponse à QS.3 est «{NBSP}{yes_fr}{NBSP}»"
    )
    assert skip_rule_sentence(g, item(g, "start_date"), "fr") == "Répondre seulement si QS.6 n’a pas de réponse"
    yes_es = choice_label(g, "yes_no_dk", "yes", "es")
    assert skip_rule_sentence(g, item(g, "signs"), "es") == f"Responder solo si la respuesta a QS.3 es «{yes_es}»"
    assert skip_rule_sentence(g, item(g, "start_date"), "es") == "Responder solo si QS.6 no tiene respuesta"
    budget_fr = skip_rule_sentence(g, item(g, "budget"), "fr")
    assert budget_fr == "Répondre seulement si QS.6 a une réponse et la réponse à QS.6 est supérieure à 10"


def test_formulas_in_french_and_spanish(test_guide: Guide) -> None:
    g = test_guide
    assert formula_sentence(g, item(g, "severity"), "fr", compact=True) == "(5.3 + 5.4) \u00f7 2"
    assert formula_sentence(g, item(g, "sign_count"), "fr", compact=True) == (
        "Le nombre d’options cochées dans QS.5"
    )
    assert formula_sentence(g, item(g, "sign_count"), "es", compact=True) == (
        "El número de opciones marcadas en QS.5"
    )
    fr = formula_sentence(g, item(g, "critical"), "fr", compact=True)
    assert fr is not None and fr.startswith("(si «") and ", alors 1, sinon 0) + (si «" in fr
    es = formula_sentence(g, item(g, "critical"), "es", compact=True)
    assert es is not None and es.startswith("(si se ha marcado «") and ", entonces 1; si no, 0) + (" in es
    mean_fr = formula_sentence(g, item(g, "mean_severity"), "fr")
    assert mean_fr is not None and mean_fr.startswith("La moyenne de «") and mean_fr.endswith(
        "», arrondie à 2 décimales"
    )
    worst = formula_sentence(g, item(g, "worst_liberty"), "fr", compact=True)
    assert worst is not None and worst.startswith("La valeur la plus haute de «")
    assert " où la réponse à 5.1 est «" in worst and "» et la réponse à 5.2 est «" in worst


# the generator's rules


def test_negation_reads_naturally(test_guide: Guide) -> None:
    g = test_guide
    assert words(g, "not(selected(signs, 'raids'))", compact=True) == "'Raids' is not chosen in QS.5"
    assert words(g, "selected(signs, 'testing')", compact=True) == "'Compulsory testing' is chosen in QS.5"
    assert words(g, "not(people >= 3)", compact=True) == "QS.6 is not at least 3"
    assert words(g, "not(not(answered(people)))", compact=True) == "QS.6 is answered"
    assert words(g, "not(has_measure = 'yes' and people > 3)", compact=True) == (
        "QS.3 is not 'Yes' or QS.6 is not more than 3"
    )
    assert words(g, "not(people > 3 or answered(signs))", compact=True) == (
        "QS.6 is not more than 3 and QS.5 is not answered"
    )


def test_grouping_of_conditions_and_arithmetic(test_guide: Guide) -> None:
    g = test_guide
    assert words(g, "(has_measure = 'yes' or has_measure = 'no') and people > 3", compact=True) == (
        "(QS.3 is 'Yes' or QS.3 is 'No') and QS.6 is more than 3"
    )
    assert words(g, "people - (people - 2) * 3 / 4", compact=True) == "QS.6 \u2212 (QS.6 \u2212 2) \u00d7 3 \u00f7 4"
    assert words(g, "people - (people + 2)", compact=True) == "QS.6 \u2212 (QS.6 + 2)"
    assert words(g, "people + people * 2", compact=True) == "QS.6 + QS.6 \u00d7 2"
    assert words(g, "10 < people", compact=True) == "QS.6 is more than 10"
    assert words(g, "if(true, if(false, 1, 2), 3)") == "if true, then (if false, then 1, otherwise 2), otherwise 3"


def test_first_mention_gets_the_label(test_guide: Guide) -> None:
    text = words(test_guide, "answered(people) and people > 10")
    assert text == 'QS.6 ("How many people are affected?") is answered and QS.6 is more than 10'


def test_long_labels_are_shortened(test_guide: Guide) -> None:
    g = copy.copy(test_guide)
    long_label = "How many people have been affected by the measure in the last twelve months, in total?"
    g.sections = copy.deepcopy(test_guide.sections)
    people = next(i for i in g.walk() if i.name == "people")
    people.label = Text(long_label, "people.label.long")
    text = describe_expression(g, parse("people > 1"), "en")
    assert text.startswith('QS.6 ("How many people have been affected by the measure in the')
    assert text.endswith('\u2026") is more than 1') and len(text) < len(long_label) + 20


def test_spanish_conjunctions_change_before_i_and_o() -> None:
    es = phrasebook("es")
    assert es.conjunction("and", "Italia") == "e"
    assert es.conjunction("and", "hielo") == "y"
    assert es.conjunction("or", "otro") == "u"
    assert es.conjunction("or", "QS.1") == "o"
    assert phrasebook("en").conjunction("and", "it") == "and"


# languages


def test_every_phrase_table_has_every_phrase_with_the_same_holes() -> None:
    def holes(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name} - {"e"}

    english = PHRASEBOOKS["en"].words
    variants = {key + suffix for key in english for suffix in ("_num", "_here")}
    for code, book in PHRASEBOOKS.items():
        assert set(english) <= set(book.words) <= set(english) | variants, code
        for key, template in book.words.items():
            base = key.removesuffix("_num").removesuffix("_here")
            if key.endswith("_here"):  # the answer itself: no question to name
                assert holes(template) == holes(english[base]) - {"q"}, (code, key)
            else:
                assert holes(template) == holes(english[base]), (code, key)


def test_language_without_phrases_falls_back_to_english_and_is_reported(test_guide: Guide) -> None:
    assert missing_phrase_languages(test_guide) == []
    g = copy.copy(test_guide)
    g.languages = [*test_guide.languages, Language("de", "Deutsch"), Language("fr-CA", "Français (Canada)")]
    assert missing_phrase_languages(g) == ["de"]
    assert skip_rule_sentence(g, item(g, "start_date"), "de") == "Answer only if QS.6 is not answered"
    assert skip_rule_sentence(g, item(g, "start_date"), "fr-CA") == "Répondre seulement si QS.6 n’a pas de réponse"


def test_serbian_keeps_quoted_labels_in_the_nominative(test_guide: Guide) -> None:
    """Serbian puts its own noun before a question, an answer or a record list, and a verb that
    is not a clitic after it, so nothing quoted would have to be declined."""
    g = test_guide
    yes = choice_label(g, "yes_no_dk", "yes", "sr-Latn")
    assert skip_rule_sentence(g, item(g, "signs"), "sr-Latn") == f"Odgovorite samo ako odgovor na pitanje QS.3 glasi „{yes}“"
    assert skip_rule_sentence(g, item(g, "start_date"), "sr-Latn") == "Odgovorite samo ako pitanje QS.6 nema odgovor"
    assert words(g, "${people} = 5", "sr-Latn", compact=True).endswith(" iznosi 5")
    assert words(g, "${people} != 5", "sr-Latn", compact=True).endswith(" ne iznosi 5")
    owner = with_constraint(g, "people", ". >= 1 and . <= 100000")
    assert constraint_sentence(g, owner, "sr-Latn") == "Između 1 i 100.000"
    assert words(g, "1000.5", "sr-Latn") == "1000,5"


def test_serbian_names_the_answer_being_checked_once() -> None:
    sr = phrasebook("sr-Latn")
    assert sr.say("not_selected_here", choice="„Ne znam“") == "odgovor ne obuhvata „Ne znam“"
    assert sr.say("count_selected_here") == "broj izabranih mogućnosti"
    # the Latin-script phrases never stand in for Serbian in Cyrillic
    assert phrasebook("sr-Cyrl") is PHRASEBOOKS["en"] and not has_phrasebook("sr-Cyrl")


def test_sentences_are_stable(test_guide: Guide) -> None:
    first = [formula_sentence(test_guide, i, "fr") for i in test_guide.walk()]
    second = [formula_sentence(test_guide, i, "fr") for i in test_guide.walk()]
    assert first == second


def test_go_to_instructions_for_paper(test_guide: Guide) -> None:
    """'If …, go to …' only for answers that make the next questions irrelevant for sure."""
    g = test_guide
    assert goto_sentences(g, item(g, "has_measure"), "en") == [
        "If 'Yes', go to QS.5",
        "If 'Don't know', go to QS.6",
    ]
    # answers that jump to the same question share one line; when all but one answer (and a
    # blank) jump there, the line names the one that does not
    assert goto_sentences(g, item(g, "direction"), "en") == ["If the answer is not 'Negative', go to 5.5"]
    assert goto_sentences(g, item(g, "direction"), "fr")[0].count("passez") == 1
    yes_fr = choice_label(g, "yes_no_dk", "yes", "fr")
    assert goto_sentences(g, item(g, "has_measure"), "fr")[0] == f"Si «{NBSP}{yes_fr}{NBSP}», passez à QS.5"
    yes_es = choice_label(g, "yes_no_dk", "yes", "es")
    assert goto_sentences(g, item(g, "has_measure"), "es")[0] == f"Si «{yes_es}», pase a QS.5"
    assert goto_sentences(g, item(g, "people"), "en") == []
    assert goto_sentences(g, item(g, "followup"), "en") == []
