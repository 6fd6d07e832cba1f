"""Phrase tables of the plain-words target (`words.py`), one per language.

Each table holds sentence templates with named holes (`{a}`, `{b}`, `{q}`...) and the
typography of the language: quotation marks, thousands and decimal separators. French templates
use `{e}` where an adjective agrees with a feminine subject ("la réponse ... est supérieure").
A table may add variants that `WordsGenerator.variant` picks when they exist: `cmp_=_num` and
`cmp_!=_num` for a comparison with a number, `selected_here`, `not_selected_here` and
`count_selected_here` for the answer being checked ('.').
A guide language without a table falls back to English: `missing_phrase_languages` says which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NBSP = "\u00a0"


@dataclass(frozen=True)
class Phrasebook:
    """The phrases and typography of one language."""

    code: str
    words: dict[str, str]
    choice_quotes: tuple[str, str]  # around an answer: 'Yes' / « Oui »
    label_quotes: tuple[str, str]  # around a question label or score name
    thousands: str
    decimal: str
    group_from: int  # numbers with at least this many integer digits get thousands separators
    feminine: frozenset[str] = frozenset()  # phrase keys whose noun phrase is feminine

    def say(self, key: str, **holes: str) -> str:
        """The template `key` with its holes filled (the English one when this table lacks it)."""
        template = self.words[key] if key in self.words else _EN[key]  # a variant may be its own
        return template.format(**holes)

    def conjunction(self, key: str, following: str) -> str:
        """'and' / 'or' as it must be written before `following` (Spanish y -> e, o -> u)."""
        word = self.words[key]
        if self.code == "es":
            lowered = following.lower()
            if key == "and" and re.match(r"h?i(?![aeouáéóú])", lowered):
                return "e"
            if key == "or" and re.match(r"h?o", lowered):
                return "u"
        return word


_EN = {
    # sentences
    "answer_only_if": "Answer only if {condition}",
    "accepted_only_if": "Accepted only if {condition}",
    "go_to": "If {choice}, go to {target}",
    "go_to_end": "If {choice}, go to the end of the form",
    "go_to_unless": "If the answer is not {choice}, go to {target}",
    "go_to_end_unless": "If the answer is not {choice}, go to the end of the form",
    "answer_must": "The answer must {clauses}",
    "between": "between {low} and {high}",
    "bound_>=": "at least {v}",
    "bound_>": "more than {v}",
    "bound_<=": "at most {v}",
    "bound_<": "less than {v}",
    "must_=": "be {v}",
    "must_!=": "not be {v}",
    "must_>": "be more than {v}",
    "must_>=": "be at least {v}",
    "must_<": "be less than {v}",
    "must_<=": "be at most {v}",
    # subjects
    "the_answer": "the answer",
    "subject_question": "{ref}",
    # comparisons
    "cmp_=": "{a} is {b}",
    "cmp_!=": "{a} is not {b}",
    "cmp_>": "{a} is more than {b}",
    "cmp_>=": "{a} is at least {b}",
    "cmp_<": "{a} is less than {b}",
    "cmp_<=": "{a} is at most {b}",
    "cmp_not>": "{a} is not more than {b}",
    "cmp_not>=": "{a} is not at least {b}",
    "cmp_not<": "{a} is not less than {b}",
    "cmp_not<=": "{a} is not at most {b}",
    # logic
    "and": "and",
    "or": "or",
    "not": "it is not true that {a}",
    "true": "true",
    "false": "false",
    # functions
    "selected": "{choice} is chosen in {q}",
    "not_selected": "{choice} is not chosen in {q}",
    "count_selected": "the number of options chosen in {q}",
    "answered": "{q} is answered",
    "not_answered": "{q} is not answered",
    "coalesce": "{q}, or {v} if not answered",
    "count_equal": "the number of {v} answers in {refs}",
    "count_answered": "the number of questions answered among {refs}",
    "round_0": "{x}, rounded to a whole number",
    "round_1": "{x}, rounded to 1 decimal place",
    "round_n": "{x}, rounded to {n} decimal places",
    "if": "if {c}, then {a}, otherwise {b}",
    # aggregates over the records of a repeat
    "agg_max": "the highest {field} among {records}",
    "agg_min": "the lowest {field} among {records}",
    "agg_sum": "the total of {field} over {records}",
    "agg_mean": "the average of {field} over {records}",
    "agg_count": "the number of {records_bare}",
    "records": "{repeat} records{where}",
    "records_bare": "{repeat} records{where}",
    "where": " where {cond}",
    "helper": "the value calculated for {label}",
    "empty": "empty (no result)",
}

_FR = {
    "answer_only_if": "Répondre seulement si {condition}",
    "accepted_only_if": "Accepté seulement si {condition}",
    "go_to": "Si {choice}, passez à {target}",
    "go_to_end": "Si {choice}, passez à la fin du formulaire",
    "go_to_unless": "Si la réponse n’est pas {choice}, passez à {target}",
    "go_to_end_unless": "Si la réponse n’est pas {choice}, passez à la fin du formulaire",
    "answer_must": "La réponse doit {clauses}",
    "between": "entre {low} et {high}",
    "bound_>=": "au moins {v}",
    "bound_>": "plus de {v}",
    "bound_<=": "au plus {v}",
    "bound_<": "moins de {v}",
    "must_=": "être égale à {v}",
    "must_!=": "être différente de {v}",
    "must_>": "être supérieure à {v}",
    "must_>=": "être supérieure ou égale à {v}",
    "must_<": "être inférieure à {v}",
    "must_<=": "être inférieure ou égale à {v}",
    "the_answer": "la réponse",
    "subject_question": "la réponse à {ref}",
    "cmp_=": "{a} est {b}",
    "cmp_!=": "{a} n’est pas {b}",
    "cmp_>": "{a} est supérieur{e} à {b}",
    "cmp_>=": "{a} est supérieur{e} ou égal{e} à {b}",
    "cmp_<": "{a} est inférieur{e} à {b}",
    "cmp_<=": "{a} est inférieur{e} ou égal{e} à {b}",
    "cmp_not>": "{a} n’est pas supérieur{e} à {b}",
    "cmp_not>=": "{a} n’est pas supérieur{e} ou égal{e} à {b}",
    "cmp_not<": "{a} n’est pas inférieur{e} à {b}",
    "cmp_not<=": "{a} n’est pas inférieur{e} ou égal{e} à {b}",
    "and": "et",
    "or": "ou",
    "not": f"la condition suivante n’est pas remplie{NBSP}: {{a}}",
    "true": "vrai",
    "false": "faux",
    "selected": "{choice} est coché dans {q}",
    "not_selected": "{choice} n’est pas coché dans {q}",
    "count_selected": "le nombre d’options cochées dans {q}",
    "answered": "{q} a une réponse",
    "not_answered": "{q} n’a pas de réponse",
    "coalesce": "{q}, ou {v} en l’absence de réponse",
    "count_equal": "le nombre de réponses {v} dans {refs}",
    "count_answered": "le nombre de questions ayant une réponse parmi {refs}",
    "round_0": "{x}, arrondi{e} à l’unité",
    "round_1": "{x}, arrondi{e} à 1 décimale",
    "round_n": "{x}, arrondi{e} à {n} décimales",
    "if": "si {c}, alors {a}, sinon {b}",
    "agg_max": "la valeur la plus haute de {field} parmi {records}",
    "agg_min": "la valeur la plus basse de {field} parmi {records}",
    "agg_sum": "la somme de {field} sur {records}",
    "agg_mean": "la moyenne de {field} sur {records}",
    "agg_count": "le nombre de {records_bare}",
    "records": "les fiches {repeat}{where}",
    "records_bare": "fiches {repeat}{where}",
    "where": " où {cond}",
    "helper": "la valeur calculée pour {label}",
    "empty": "vide (aucun résultat)",
}

_ES = {
    "answer_only_if": "Responder solo si {condition}",
    "accepted_only_if": "Se acepta solo si {condition}",
    "go_to": "Si {choice}, pase a {target}",
    "go_to_end": "Si {choice}, pase al final del formulario",
    "go_to_unless": "Si la respuesta no es {choice}, pase a {target}",
    "go_to_end_unless": "Si la respuesta no es {choice}, pase al final del formulario",
    "answer_must": "La respuesta debe {clauses}",
    "between": "entre {low} y {high}",
    "bound_>=": "como mínimo {v}",
    "bound_>": "más de {v}",
    "bound_<=": "como máximo {v}",
    "bound_<": "menos de {v}",
    "must_=": "ser igual a {v}",
    "must_!=": "ser distinta de {v}",
    "must_>": "ser mayor que {v}",
    "must_>=": "ser mayor o igual que {v}",
    "must_<": "ser menor que {v}",
    "must_<=": "ser menor o igual que {v}",
    "the_answer": "la respuesta",
    "subject_question": "la respuesta a {ref}",
    "cmp_=": "{a} es {b}",
    "cmp_!=": "{a} no es {b}",
    "cmp_>": "{a} es mayor que {b}",
    "cmp_>=": "{a} es mayor o igual que {b}",
    "cmp_<": "{a} es menor que {b}",
    "cmp_<=": "{a} es menor o igual que {b}",
    "cmp_not>": "{a} no es mayor que {b}",
    "cmp_not>=": "{a} no es mayor o igual que {b}",
    "cmp_not<": "{a} no es menor que {b}",
    "cmp_not<=": "{a} no es menor o igual que {b}",
    "and": "y",
    "or": "o",
    "not": "no se cumple la condición: {a}",
    "true": "verdadero",
    "false": "falso",
    "selected": "se ha marcado {choice} en {q}",
    "not_selected": "no se ha marcado {choice} en {q}",
    "count_selected": "el número de opciones marcadas en {q}",
    "answered": "{q} tiene respuesta",
    "not_answered": "{q} no tiene respuesta",
    "coalesce": "{q}, o {v} si no tiene respuesta",
    "count_equal": "el número de respuestas {v} en {refs}",
    "count_answered": "el número de preguntas con respuesta entre {refs}",
    "round_0": "{x}, redondeado a la unidad",
    "round_1": "{x}, redondeado a 1 decimal",
    "round_n": "{x}, redondeado a {n} decimales",
    "if": "si {c}, entonces {a}; si no, {b}",
    "agg_max": "el valor más alto de {field} entre {records}",
    "agg_min": "el valor más bajo de {field} entre {records}",
    "agg_sum": "la suma de {field} en {records}",
    "agg_mean": "el promedio de {field} en {records}",
    "agg_count": "el número de {records_bare}",
    "records": "los registros {repeat}{where}",
    "records_bare": "registros {repeat}{where}",
    "where": " en los que {cond}",
    "helper": "el valor calculado para {label}",
    "empty": "vacío (sin resultado)",
}

_SR_LATN = {
    # Serbian declines nouns, but quoted labels, answers and question numbers cannot be
    # declined: every template puts a noun of its own before them (odgovor na pitanje {ref},
    # u zapisima {repeat}), so the quoted text stays in the nominative. Verbs that are not
    # clitics (glasi, iznosi, obuhvata) keep the word order right after 'ako'.
    "answer_only_if": "Odgovorite samo ako {condition}",
    "accepted_only_if": "Prihvata se samo ako {condition}",
    "go_to": "Ako je odgovor {choice}, pređite na {target}",
    "go_to_end": "Ako je odgovor {choice}, pređite na kraj obrasca",
    "go_to_unless": "Ako odgovor nije {choice}, pređite na {target}",
    "go_to_end_unless": "Ako odgovor nije {choice}, pređite na kraj obrasca",
    "helper": "vrednost izračunata za {label}",
    "empty": "prazno (nema rezultata)",
    "answer_must": "Odgovor mora {clauses}",
    "between": "između {low} i {high}",
    "bound_>=": "najmanje {v}",
    "bound_>": "više od {v}",
    "bound_<=": "najviše {v}",
    "bound_<": "manje od {v}",
    "must_=": "biti {v}",
    "must_!=": "biti različit od {v}",
    "must_>": "biti veći od {v}",
    "must_>=": "biti najmanje {v}",
    "must_<": "biti manji od {v}",
    "must_<=": "biti najviše {v}",
    "the_answer": "odgovor",
    "subject_question": "odgovor na pitanje {ref}",
    "cmp_=": "{a} glasi {b}",
    "cmp_!=": "{a} ne glasi {b}",
    "cmp_=_num": "{a} iznosi {b}",
    "cmp_!=_num": "{a} ne iznosi {b}",
    "cmp_>": "{a} iznosi više od {b}",
    "cmp_>=": "{a} iznosi najmanje {b}",
    "cmp_<": "{a} iznosi manje od {b}",
    "cmp_<=": "{a} iznosi najviše {b}",
    "cmp_not>": "{a} ne iznosi više od {b}",
    "cmp_not>=": "{a} ne iznosi najmanje {b}",
    "cmp_not<": "{a} ne iznosi manje od {b}",
    "cmp_not<=": "{a} ne iznosi najviše {b}",
    "and": "i",
    "or": "ili",
    "not": "nije tačno da {a}",
    "true": "tačno",
    "false": "netačno",
    "selected": "odgovor na pitanje {q} obuhvata {choice}",
    "not_selected": "odgovor na pitanje {q} ne obuhvata {choice}",
    "selected_here": "odgovor obuhvata {choice}",
    "not_selected_here": "odgovor ne obuhvata {choice}",
    "count_selected": "broj mogućnosti izabranih u pitanju {q}",
    "count_selected_here": "broj izabranih mogućnosti",
    "answered": "pitanje {q} ima odgovor",
    "not_answered": "pitanje {q} nema odgovor",
    "coalesce": "{q}, ili {v} ako nema odgovora",
    "count_equal": "broj odgovora {v} u pitanjima {refs}",
    "count_answered": "broj pitanja sa odgovorom među pitanjima {refs}",
    "round_0": "{x}, zaokruženo na ceo broj",
    "round_1": "{x}, zaokruženo na 1 decimalu",
    "round_n": "{x}, zaokruženo na broj decimala: {n}",
    "if": "ako {c}, onda {a}, inače {b}",
    "agg_max": "najveća vrednost za {field} među {records}",
    "agg_min": "najmanja vrednost za {field} među {records}",
    "agg_sum": "zbir vrednosti za {field} u {records}",
    "agg_mean": "prosek vrednosti za {field} u {records}",
    "agg_count": "broj {records_bare}",
    "records": "zapisima {repeat}{where}",
    "records_bare": "zapisa {repeat}{where}",
    "where": " u kojima {cond}",
}

PHRASEBOOKS: dict[str, Phrasebook] = {
    "en": Phrasebook(
        code="en",
        words=_EN,
        choice_quotes=("'", "'"),
        label_quotes=('"', '"'),
        thousands=",",
        decimal=".",
        group_from=4,
    ),
    "fr": Phrasebook(
        code="fr",
        words=_FR,
        choice_quotes=("«" + NBSP, NBSP + "»"),
        label_quotes=("«" + NBSP, NBSP + "»"),
        thousands=NBSP,
        decimal=",",
        group_from=4,
        feminine=frozenset({"the_answer", "subject_question", "agg_max", "agg_min", "agg_sum", "agg_mean"}),
    ),
    "es": Phrasebook(
        code="es",
        words=_ES,
        choice_quotes=("«", "»"),
        label_quotes=("«", "»"),
        thousands=NBSP,
        decimal=",",
        group_from=5,  # the RAE writes 2024 and 1000 without a separator
    ),
    "sr-Latn": Phrasebook(
        code="sr-Latn",
        words=_SR_LATN,
        choice_quotes=("„", "“"),
        label_quotes=("„", "“"),
        thousands=".",
        decimal=",",
        group_from=5,  # as in Spanish: 3650 days, not 3.650
    ),
}


def phrasebook(lang: str) -> Phrasebook:
    """The phrase table of lang ('fr-CA' uses 'fr'), English when there is none."""
    base = lang.split("-")[0].split("_")[0].lower()
    return PHRASEBOOKS.get(lang) or PHRASEBOOKS.get(base) or PHRASEBOOKS["en"]


def has_phrasebook(lang: str) -> bool:
    """True when lang (or its base language) has its own phrase table."""
    base = lang.split("-")[0].split("_")[0].lower()
    return lang in PHRASEBOOKS or base in PHRASEBOOKS
