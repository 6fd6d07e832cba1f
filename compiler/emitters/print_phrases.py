"""The fixed words of a printed form (cover, consent and safety reminder, page footer), per language.

Guide text comes from the guide and its translations; these are the few words the printed form
adds around it. A guide language without a table here prints these words in English:
`missing_print_phrase_languages` says which, so the build can report it.
"""

from __future__ import annotations

from ..model import Guide

EN = {
    "colon": ":",
    "form_id": "Form",
    "version": "Version",
    "language": "Language",
    "printed": "Printed",
    "page": "Page",
    "of": "of",
    "fields": "Assessment details",
    "assessment_name": "Name of the assessment",
    "interviewer": "Interviewer",
    "date": "Date",
    "place": "Place",
    "respondent": "Respondent code",
    "consent_title": "Before you start: consent and safety",
    "consent": [
        "Explain who you are, why you ask these questions and how the answers will be used. "
        "Ask for consent before the first question. Every person may refuse to answer any "
        "question, take a break or stop at any time, without any consequence.",
        "Do no harm: never write names, addresses or details that could identify a person. "
        "Use the respondent code only. Keep filled forms locked away and share them only with "
        "the assessment team.",
        "Stop the interview if the person is distressed or unsafe, and offer the support "
        "contacts your team agreed on.",
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
    "scoring_title": "Scoring: how to calculate the scores by hand",
    "scoring_intro": "Fill in the scores after the interview, from the answers above. Each "
    "score gives its meaning, how it is calculated, and what to do when answers are missing "
    "or 'don't know'.",
    "per_record": "Calculated for each record of",
    "how_calculated": "How it is calculated",
    "missing": "Missing or don't know",
    "results": "Possible results",
    "score_value": "Result",
    "record_score": "Score of this record, to fill in after the interview (see the scoring "
    "appendix)",
    "end": "End of the form. Thank you.",
}

FR = {
    "colon": "\u00a0:",
    "form_id": "Formulaire",
    "version": "Version",
    "language": "Langue",
    "printed": "Imprimé le",
    "page": "Page",
    "of": "sur",
    "fields": "Informations sur l’évaluation",
    "assessment_name": "Nom de l’évaluation",
    "interviewer": "Enquêteur ou enquêtrice",
    "date": "Date",
    "place": "Lieu",
    "respondent": "Code de la personne interrogée",
    "consent_title": "Avant de commencer : consentement et sécurité",
    "consent": [
        "Présentez-vous, expliquez pourquoi vous posez ces questions et comment les réponses "
        "seront utilisées. Demandez le consentement avant la première question. Chaque personne "
        "peut refuser de répondre à une question, faire une pause ou arrêter à tout moment, "
        "sans aucune conséquence.",
        "Ne pas nuire : n’écrivez jamais de nom, d’adresse ni de détail qui permettrait "
        "d’identifier une personne. Utilisez seulement le code de la personne. Gardez les "
        "formulaires remplis sous clé et ne les partagez qu’avec l’équipe d’évaluation.",
        "Arrêtez l’entretien si la personne est en détresse ou en danger, et proposez les "
        "contacts de soutien convenus par votre équipe.",
    ],
    "how_title": "Comment remplir ce formulaire",
    "how": [
        "Cercles (une seule réponse) : marquez un cercle. Cases (plusieurs réponses) : cochez "
        "chaque case qui convient. Le petit code après chaque réponse est la valeur saisie "
        "quand le formulaire est entré sur ordinateur.",
        "Suivez les consignes en italique : elles disent quand répondre à une question et quand "
        "passer à une autre. Les questions marquées * demandent une réponse.",
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
    "scoring_title": "Scores : comment les calculer à la main",
    "scoring_intro": "Calculez les scores après l’entretien, à partir des réponses ci-dessus. "
    "Chaque score donne son sens, son mode de calcul et ce qu’il faut faire quand des réponses "
    "manquent ou sont « ne sait pas ».",
    "per_record": "Calculé pour chaque fiche de",
    "how_calculated": "Mode de calcul",
    "missing": "Réponses manquantes ou « ne sait pas »",
    "results": "Résultats possibles",
    "score_value": "Résultat",
    "record_score": "Score de cette fiche, à remplir après l’entretien (voir l’annexe sur "
    "les scores)",
    "end": "Fin du formulaire. Merci.",
}

ES = {
    "colon": ":",
    "form_id": "Formulario",
    "version": "Versión",
    "language": "Idioma",
    "printed": "Impreso el",
    "page": "Página",
    "of": "de",
    "fields": "Datos de la evaluación",
    "assessment_name": "Nombre de la evaluación",
    "interviewer": "Entrevistador o entrevistadora",
    "date": "Fecha",
    "place": "Lugar",
    "respondent": "Código de la persona entrevistada",
    "consent_title": "Antes de empezar: consentimiento y seguridad",
    "consent": [
        "Preséntese, explique por qué hace estas preguntas y cómo se usarán las respuestas. "
        "Pida el consentimiento antes de la primera pregunta. Toda persona puede negarse a "
        "responder cualquier pregunta, hacer una pausa o parar en cualquier momento, sin "
        "ninguna consecuencia.",
        "No hacer daño: nunca escriba nombres, direcciones ni datos que permitan identificar a "
        "una persona. Use solo el código de la persona. Guarde los formularios llenos bajo llave "
        "y compártalos solo con el equipo de evaluación.",
        "Detenga la entrevista si la persona está angustiada o en peligro, y ofrezca los "
        "contactos de apoyo acordados por su equipo.",
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
    "scoring_title": "Puntuaciones: cómo calcularlas a mano",
    "scoring_intro": "Calcule las puntuaciones después de la entrevista, a partir de las "
    "respuestas anteriores. Cada puntuación indica su significado, cómo se calcula y qué hacer "
    "cuando faltan respuestas o son «no sabe».",
    "per_record": "Se calcula para cada ficha de",
    "how_calculated": "Cómo se calcula",
    "missing": "Respuestas que faltan o «no sabe»",
    "results": "Resultados posibles",
    "score_value": "Resultado",
    "record_score": "Puntuación de esta ficha, para llenar después de la entrevista (vea el "
    "anexo de puntuaciones)",
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
    "assessment_name": "Naziv procene",
    "interviewer": "Anketarka ili anketar",
    "date": "Datum",
    "place": "Mesto",
    "respondent": "Šifra sagovornice ili sagovornika",
    "consent_title": "Pre početka: pristanak i bezbednost",
    "consent": [
        "Predstavite se, objasnite zašto postavljate ova pitanja i kako će se odgovori koristiti. "
        "Zatražite pristanak pre prvog pitanja. Svaka osoba može da odbije da odgovori na bilo "
        "koje pitanje, da napravi pauzu ili da prekine u bilo kom trenutku, bez ikakvih posledica.",
        "Ne naneti štetu: nikada ne zapisujte imena, adrese ni podatke po kojima se neka osoba "
        "može prepoznati. Koristite samo šifru sagovornice ili "
        "sagovornika. Popunjene obrasce držite pod ključem "
        "i delite ih samo sa timom za procenu.",
        "Prekinite razgovor ako je osoba uznemirena ili nije bezbedna i ponudite kontakte za "
        "podršku o kojima se vaš tim dogovorio.",
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
    "scoring_title": "Pokazatelji: kako ih izračunati ručno",
    "scoring_intro": "Popunite pokazatelje posle razgovora, na osnovu odgovora iznad. Za svaki "
    "pokazatelj navedeno je šta znači, kako se izračunava i šta uraditi kada odgovori nedostaju "
    "ili glase „ne znam“.",
    "per_record": "Izračunava se za svaki zapis",
    "how_calculated": "Kako se izračunava",
    "missing": "Odgovori nedostaju ili glase „ne znam“",
    "results": "Mogući rezultati",
    "score_value": "Rezultat",
    "record_score": "Pokazatelj ovog zapisa, popunjava se posle razgovora (vidi dodatak o "
    "pokazateljima)",
    "end": "Kraj obrasca. Hvala.",
}

PRINT_PHRASES: dict[str, dict[str, object]] = {"en": EN, "fr": FR, "es": ES, "sr-Latn": SR_LATN}


def print_phrases(lang: str) -> dict[str, object]:
    """The fixed words of a printed form in lang; English when lang has no table."""
    return PRINT_PHRASES.get(lang, EN)


def missing_print_phrase_languages(guide: Guide) -> list[str]:
    """Codes of the guide's languages whose printed forms use the English fixed words."""
    return [lang.code for lang in guide.languages if lang.code not in PRINT_PHRASES]
