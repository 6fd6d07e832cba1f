"""The fixed words of a printed form (cover, safety reminder, page footer), per language.

Guide text comes from the guide and its translations; these are the few words the printed form
adds around it. The form is a worksheet the assessment team fills in together, not an
interview. A language is added by writing one more table with the keys of `EN` (a test checks
every table has them all) and listing it in `PRINT_PHRASES`. A guide language without a table
prints these words in English: `missing_print_phrase_languages` says which, so the build can
report it. French text uses the no-break spaces of French typography, as the guide's French
translation does: U+00A0 before ':' and inside « », U+202F before '?', '!' and ';'.
"""

from __future__ import annotations

from ..model import Guide

NBSP = "\u00a0"  # before ':' and inside « » in French
NNBSP = "\u202f"  # narrow, before '?', '!' and ';' in French

EN: dict[str, object] = {
    "colon": ":",
    "form_id": "Form",
    "version": "Version",
    "language": "Language",
    "printed": "Printed",
    "page": "Page",
    "of": "of",
    "fields": "Assessment details",
    "cover_fields": [
        "Name of the assessment",
        "Team members filling in this form",
        "Date",
        "Place",
    ],
    "safety_title": "Before you start: safety and confidentiality",
    "safety": [
        "This form is a worksheet for the assessment team. The team fills it in together, from "
        "what its members know and what they find out; it is not a questionnaire to read out to "
        "the people affected by the measure.",
        "When the team gathers information from people affected by the measure, ask for their "
        "informed consent first. They may refuse to answer, take a break or stop at any time, "
        "without any consequence. Stop if someone is distressed or unsafe, and offer the support "
        "contacts your team agreed on.",
        "Do no harm: never write names, addresses or details that could identify a person. Keep "
        "filled forms locked away and share them only with the assessment team.",
    ],
    "how_title": "How to fill in this form",
    "how": [
        "Circles (one answer): mark one circle. Boxes (several answers): tick every box that "
        "applies. The small code after each answer is the value typed in when the form is "
        "entered on a computer.",
        "Follow the instructions in italics: they say when to answer a question and when to "
        "skip to another. Questions marked * need an answer.",
    ],
    "required": "an answer is needed",
    "date_format": "DD / MM / YYYY",
    "record": "Record",
    "records_note": "This form prints {n} blank records. Copy these pages, or add pages, if "
    "you need more.",
    "records_min": "The assessment asks for at least {min} records.",
    "one_answer": "One answer",
    "all_that_apply": "Tick all that apply",
    "number": "Number",
    "decimal_number": "Number with decimals",
    "grid_skip": "Answer {column} only if the answer to {other} is {choice}.",
    "scoring_title": "Scoring: how to calculate the scores by hand",
    "scoring_intro": "Work out the scores once the form is filled in, from the answers above. "
    "Each score gives its meaning, how it is calculated, and what to do when answers are "
    "missing or 'don't know'.",
    "per_record": "Calculated for each record of",
    "how_calculated": "How it is calculated",
    "missing": "Missing or don't know",
    "results": "Possible results",
    "score_value": "Result",
    "record_score": "Score of this record, to work out from the answers above (see the scoring "
    "appendix)",
    "tables_title": "Reference tables",
    "tables_intro": "What each name in the left column covers; the scores and skip rules of the form count it so.",
    "end": "End of the form. Thank you.",
}

FR: dict[str, object] = {
    "colon": NBSP + ":",
    "form_id": "Formulaire",
    "version": "Version",
    "language": "Langue",
    "printed": "Imprimé le",
    "page": "Page",
    "of": "sur",
    "fields": "Informations sur l’évaluation",
    "cover_fields": [
        "Nom de l’évaluation",
        "Membres de l’équipe qui remplissent ce formulaire",
        "Date",
        "Lieu",
    ],
    "safety_title": f"Avant de commencer{NBSP}: sécurité et confidentialité",
    "safety": [
        "Ce formulaire est une fiche de travail de l’équipe d’évaluation. L’équipe le remplit "
        f"ensemble, à partir de ce que ses membres savent et de ce qu’ils découvrent{NNBSP}; ce "
        "n’est pas un questionnaire à lire aux personnes touchées par la mesure.",
        "Quand l’équipe recueille des informations auprès de personnes touchées par la mesure, "
        "demandez d’abord leur consentement éclairé. Elles peuvent refuser de répondre, faire une "
        "pause ou arrêter à tout moment, sans aucune conséquence. Arrêtez si une personne est en "
        "détresse ou en danger, et proposez les contacts de soutien convenus par votre équipe.",
        f"Ne pas nuire{NBSP}: n’écrivez jamais de nom, d’adresse ni de détail qui permettrait "
        "d’identifier une personne. Gardez les formulaires remplis sous clé et ne les partagez "
        "qu’avec l’équipe d’évaluation.",
    ],
    "how_title": "Comment remplir ce formulaire",
    "how": [
        f"Cercles (une seule réponse){NBSP}: marquez un cercle. Cases (plusieurs réponses){NBSP}: "
        "cochez chaque case qui convient. Le petit code après chaque réponse est la valeur saisie "
        "quand le formulaire est entré sur ordinateur.",
        f"Suivez les consignes en italique{NBSP}: elles disent quand répondre à une question et "
        "quand passer à une autre. Les questions marquées * demandent une réponse.",
    ],
    "required": "réponse obligatoire",
    "date_format": "JJ / MM / AAAA",
    "record": "Fiche",
    "records_note": "Ce formulaire imprime {n} fiches vierges. Photocopiez ces pages, ou "
    "ajoutez des pages, s’il vous en faut davantage.",
    "records_min": "L’évaluation demande au moins {min} fiches.",
    "one_answer": "Une seule réponse",
    "all_that_apply": "Cochez tout ce qui convient",
    "number": "Nombre",
    "decimal_number": "Nombre décimal",
    "grid_skip": "Répondre à {column} seulement si la réponse à {other} est {choice}.",
    "scoring_title": f"Scores{NBSP}: comment les calculer à la main",
    "scoring_intro": "Calculez les scores une fois le formulaire rempli, à partir des réponses "
    "ci-dessus. Chaque score donne son sens, son mode de calcul et ce qu’il faut faire quand des "
    f"réponses manquent ou sont «{NBSP}ne sait pas{NBSP}».",
    "per_record": "Calculé pour chaque fiche de",
    "how_calculated": "Mode de calcul",
    "missing": f"Réponses manquantes ou «{NBSP}ne sait pas{NBSP}»",
    "results": "Résultats possibles",
    "score_value": "Résultat",
    "record_score": "Score de cette fiche, à calculer à partir des réponses ci-dessus (voir "
    "l’annexe sur les scores)",
    "tables_title": "Tables de référence",
    "tables_intro": f"Ce que couvre chaque élément de la colonne de gauche{NNBSP}; les scores et les consignes "
    "du formulaire le comptent ainsi.",
    "end": "Fin du formulaire. Merci.",
}

ES: dict[str, object] = {
    "colon": ":",
    "form_id": "Formulario",
    "version": "Versión",
    "language": "Idioma",
    "printed": "Impreso el",
    "page": "Página",
    "of": "de",
    "fields": "Datos de la evaluación",
    "cover_fields": [
        "Nombre de la evaluación",
        "Miembros del equipo que llenan este formulario",
        "Fecha",
        "Lugar",
    ],
    "safety_title": "Antes de empezar: seguridad y confidencialidad",
    "safety": [
        "Este formulario es una hoja de trabajo del equipo de evaluación. El equipo lo llena en "
        "conjunto, a partir de lo que sus miembros saben y de lo que averiguan; no es un "
        "cuestionario para leer a las personas afectadas por la medida.",
        "Cuando el equipo recoja información de personas afectadas por la medida, pida primero su "
        "consentimiento informado. Pueden negarse a responder, hacer una pausa o parar en "
        "cualquier momento, sin ninguna consecuencia. Deténgase si alguien está angustiado o en "
        "peligro, y ofrezca los contactos de apoyo acordados por su equipo.",
        "No hacer daño: nunca escriba nombres, direcciones ni datos que permitan identificar a "
        "una persona. Guarde los formularios llenos bajo llave y compártalos solo con el equipo "
        "de evaluación.",
    ],
    "how_title": "Cómo llenar este formulario",
    "how": [
        "Círculos (una respuesta): marque un círculo. Casillas (varias respuestas): marque cada "
        "casilla que corresponda. El pequeño código después de cada respuesta es el valor que "
        "se escribe cuando el formulario se introduce en una computadora.",
        "Siga las indicaciones en cursiva: dicen cuándo responder una pregunta y cuándo pasar a "
        "otra. Las preguntas marcadas con * necesitan una respuesta.",
    ],
    "required": "respuesta obligatoria",
    "date_format": "DD / MM / AAAA",
    "record": "Ficha",
    "records_note": "Este formulario imprime {n} fichas en blanco. Fotocopie estas páginas, o "
    "añada páginas, si necesita más.",
    "records_min": "La evaluación pide al menos {min} fichas.",
    "one_answer": "Una respuesta",
    "all_that_apply": "Marque todo lo que corresponda",
    "number": "Número",
    "decimal_number": "Número con decimales",
    "grid_skip": "Responda {column} solo si la respuesta a {other} es {choice}.",
    "scoring_title": "Puntuaciones: cómo calcularlas a mano",
    "scoring_intro": "Calcule las puntuaciones una vez lleno el formulario, a partir de las "
    "respuestas anteriores. Cada puntuación indica su significado, cómo se calcula y qué hacer "
    "cuando faltan respuestas o son «no sabe».",
    "per_record": "Se calcula para cada ficha de",
    "how_calculated": "Cómo se calcula",
    "missing": "Respuestas que faltan o «no sabe»",
    "results": "Resultados posibles",
    "score_value": "Resultado",
    "record_score": "Puntuación de esta ficha, para calcular a partir de las respuestas "
    "anteriores (vea el anexo de puntuaciones)",
    "tables_title": "Tablas de referencia",
    "tables_intro": "Lo que abarca cada elemento de la columna izquierda; así lo cuentan las puntuaciones y "
    "las indicaciones del formulario.",
    "end": "Fin del formulario. Gracias.",
}

SR_LATN = {
    "colon": ":",
    "form_id": "Obrazac",
    "version": "Verzija",
    "language": "Jezik",
    "printed": "Odštampano",
    "page": "Strana",
    "of": "od",
    "fields": "Podaci o proceni",
    "cover_fields": [
        "Naziv procene",
        "Članice i članovi tima koji popunjavaju obrazac",
        "Datum",
        "Mesto",
    ],
    "safety_title": "Pre početka: bezbednost i poverljivost",
    "safety": [
        "Ovaj obrazac je radni list tima za procenu. Tim ga popunjava zajedno, na osnovu onoga "
        "što njegovi članovi znaju i što saznaju; to nije upitnik koji se čita osobama na koje "
        "mera utiče.",
        "Kada tim prikuplja informacije od osoba na koje mera utiče, najpre zatražite njihov "
        "informisani pristanak. One mogu da odbiju da odgovore, da naprave pauzu ili da prekinu "
        "u bilo kom trenutku, bez ikakvih posledica. Prekinite ako je osoba uznemirena ili nije "
        "bezbedna i ponudite kontakte za podršku o kojima se vaš tim dogovorio.",
        "Ne naneti štetu: nikada ne zapisujte imena, adrese ni podatke po kojima se neka osoba "
        "može prepoznati. Popunjene obrasce držite pod ključem i delite ih samo sa timom za "
        "procenu.",
    ],
    "how_title": "Kako popuniti ovaj obrazac",
    "how": [
        "Kružići (jedan odgovor): označite jedan kružić. Kvadratići (više odgovora): štiklirajte "
        "svaki kvadratić koji važi. Mala šifra posle svakog odgovora je vrednost koja se upisuje "
        "kada se obrazac unosi u računar.",
        "Pratite uputstva u kurzivu: ona govore kada treba odgovoriti na pitanje, a kada preći "
        "na drugo. Pitanja označena sa * zahtevaju odgovor.",
    ],
    "required": "odgovor je obavezan",
    "date_format": "DD / MM / GGGG",
    "record": "Zapis",
    "records_note": "Ovaj obrazac štampa {n} praznih zapisa. Fotokopirajte ove strane ili "
    "dodajte nove ako vam treba više.",
    "records_min": "Procena traži najmanje {min} zapisa.",
    "one_answer": "Jedan odgovor",
    "all_that_apply": "Štiklirajte sve što važi",
    "number": "Broj",
    "decimal_number": "Broj sa decimalama",
    "grid_skip": "Odgovorite na {column} samo ako odgovor na {other} glasi {choice}.",
    "scoring_title": "Pokazatelji: kako ih izračunati ručno",
    "scoring_intro": "Izračunajte pokazatelje kada je obrazac popunjen, na osnovu odgovora iznad. Za svaki "
    "pokazatelj navedeno je šta znači, kako se izračunava i šta uraditi kada odgovori nedostaju "
    "ili glase „ne znam“.",
    "per_record": "Izračunava se za svaki zapis",
    "how_calculated": "Kako se izračunava",
    "missing": "Odgovori nedostaju ili glase „ne znam“",
    "results": "Mogući rezultati",
    "score_value": "Rezultat",
    "record_score": "Pokazatelj ovog zapisa, izračunava se na osnovu odgovora iznad (vidi "
    "dodatak o pokazateljima)",
    "tables_title": "Referentne tabele",
    "tables_intro": "Šta obuhvata svaki naziv u levoj koloni; pokazatelji i pravila preskakanja u "
    "obrascu ga tako računaju.",
    "end": "Kraj obrasca. Hvala.",
}

PRINT_PHRASES: dict[str, dict[str, object]] = {"en": EN, "fr": FR, "es": ES, "sr-Latn": SR_LATN}


def print_phrases(lang: str) -> dict[str, object]:
    """The fixed words of a printed form in lang; English when lang has no table, and English
    for any word its table lacks (a test requires every table to have every word)."""
    return {**EN, **PRINT_PHRASES.get(lang, EN)}


def missing_print_phrase_languages(guide: Guide) -> list[str]:
    """Codes of the guide's languages whose printed forms use the English fixed words."""
    return [lang.code for lang in guide.languages if lang.code not in PRINT_PHRASES]
