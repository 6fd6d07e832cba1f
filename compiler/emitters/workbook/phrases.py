"""The workbook's own fixed texts (sheet names, headings, instructions) in English, French,
Spanish and Serbian (Latin script). A guide language without a table here gets the English texts (`missing_languages`)."""

from __future__ import annotations

_EN = {
    "sheet_instructions": "Instructions",
    "sheet_questions": "Questions",
    "sheet_scores": "Scores",
    "sheet_dashboard": "Dashboard",
    "yes": "Yes",
    "no": "No",
    "colon": ":",  # between a label and its value
    "title": "{title}: self-assessment workbook",
    "what": (
        "This workbook is the assessment '{title}' for filling in Excel or LibreOffice, "
        "without a server or a phone. Scores are computed as you answer."
    ),
    "how_heading": "How to fill it",
    "how": [
        "Answer in the yellow cells of the '{questions}' sheet, step by step, in order.",
        "Choose answers from the drop-down lists; for questions with several answers, "
        "choose '{yes}' or '{no}' for each option.",
        "A grey row does not apply given your earlier answers: leave it blank.",
        "The column '{check}' tells you when an answer breaks a rule; correct it.",
        "Fill one row per record in the tables ({tables}); a row counts as a record as soon "
        "as one of its cells is filled.",
        "The '{scores}' and '{dashboard}' sheets update by themselves; do not edit them.",
        "Sheets are protected (no password) so that formulas are not overwritten by mistake.",
    ],
    "send_heading": "Sending it back",
    "send": (
        "Save the workbook (.xlsx) and send it to the person coordinating the assessment. "
        "They import it with: rightguide score filled.xlsx --out DIR"
    ),
    "form_id": "Form id",
    "version": "Version",
    "language": "Language",
    "col_number": "No.",
    "col_question": "Question",
    "col_answer": "Answer",
    "col_check": "Check",
    "col_help": "Help",
    "col_score": "Score",
    "col_value": "Value",
    "col_description": "Description",
    "col_formula": "How it is computed",
    "col_missing": "When answers are missing",
    "col_right": "Right",
    "col_commitment": "Commitment of the State",
    "col_worst": "Worst severity",
    "col_negative": "Negative records",
    "col_positive": "Positive records",
    "col_gap": "Gap (committed and severely harmed)",
    "col_concern": "Concern (severe harm, no gap)",
    "not_applicable": "Does not apply",
    "required": "Required.",
    "per_record": "Computed for each record in the table '{table}'.",
    "record": "Record",
    "key_results": "Key results",
    "per_right": "Results per right",
    "chart_worst": "Worst severity per right",
    "chart_records": "Negative and positive records per right",
    "no_per_right": "This guide has no per-right scores to chart.",
}

_FR = {
    "sheet_instructions": "Instructions",
    "sheet_questions": "Questions",
    "sheet_scores": "Scores",
    "sheet_dashboard": "Tableau de bord",
    "yes": "Oui",
    "no": "Non",
    "colon": "\u00a0:",  # between a label and its value
    "title": "{title}\u00a0: classeur d’auto-évaluation",
    "what": (
        "Ce classeur est l’évaluation «\u00a0{title}\u00a0» à remplir dans Excel ou LibreOffice, sans "
        "serveur ni téléphone. Les scores sont calculés au fil des réponses."
    ),
    "how_heading": "Comment le remplir",
    "how": [
        "Répondez dans les cellules jaunes de la feuille «\u00a0{questions}\u00a0», étape par étape, "
        "dans l’ordre.",
        "Choisissez les réponses dans les listes déroulantes\u202f; pour les questions à plusieurs "
        "réponses, choisissez «\u00a0{yes}\u00a0» ou «\u00a0{no}\u00a0» pour chaque option.",
        "Une ligne grise ne s’applique pas, vu vos réponses précédentes\u00a0: laissez-la vide.",
        "La colonne «\u00a0{check}\u00a0» signale une réponse qui enfreint une règle\u202f; corrigez-la.",
        "Remplissez une ligne par fiche dans les tableaux ({tables})\u202f; une ligne compte comme "
        "une fiche dès qu’une de ses cellules est remplie.",
        "Les feuilles «\u00a0{scores}\u00a0» et «\u00a0{dashboard}\u00a0» se mettent à jour seules\u202f; ne les "
        "modifiez pas.",
        "Les feuilles sont protégées (sans mot de passe) pour que les formules ne soient pas "
        "effacées par erreur.",
    ],
    "send_heading": "Le renvoyer",
    "send": (
        "Enregistrez le classeur (.xlsx) et envoyez-le à la personne qui coordonne "
        "l’évaluation. Elle l’importe avec\u00a0: rightguide score filled.xlsx --out DIR"
    ),
    "form_id": "Identifiant du formulaire",
    "version": "Version",
    "language": "Langue",
    "col_number": "N°",
    "col_question": "Question",
    "col_answer": "Réponse",
    "col_check": "Contrôle",
    "col_help": "Aide",
    "col_score": "Score",
    "col_value": "Valeur",
    "col_description": "Description",
    "col_formula": "Mode de calcul",
    "col_missing": "Réponses manquantes",
    "col_right": "Droit",
    "col_commitment": "Engagement de l’État",
    "col_worst": "Gravité maximale",
    "col_negative": "Fiches négatives",
    "col_positive": "Fiches positives",
    "col_gap": "Écart (engagé et gravement atteint)",
    "col_concern": "Préoccupation (atteinte grave, sans écart)",
    "not_applicable": "Sans objet",
    "required": "Obligatoire.",
    "per_record": "Calculé pour chaque fiche du tableau «\u00a0{table}\u00a0».",
    "record": "Fiche",
    "key_results": "Résultats principaux",
    "per_right": "Résultats par droit",
    "chart_worst": "Gravité maximale par droit",
    "chart_records": "Fiches négatives et positives par droit",
    "no_per_right": "Ce guide n’a pas de scores par droit à représenter.",
}

_ES = {
    "sheet_instructions": "Instrucciones",
    "sheet_questions": "Preguntas",
    "sheet_scores": "Puntuaciones",
    "sheet_dashboard": "Panel",
    "yes": "Sí",
    "no": "No",
    "colon": ":",  # between a label and its value
    "title": "{title}: libro de autoevaluación",
    "what": (
        "Este libro es la evaluación «{title}» para rellenar en Excel o LibreOffice, sin "
        "servidor ni teléfono. Las puntuaciones se calculan a medida que responde."
    ),
    "how_heading": "Cómo rellenarlo",
    "how": [
        "Responda en las celdas amarillas de la hoja «{questions}», paso a paso, en orden.",
        "Elija las respuestas en las listas desplegables; en las preguntas con varias "
        "respuestas, elija «{yes}» o «{no}» para cada opción.",
        "Una fila gris no se aplica según sus respuestas anteriores: déjela en blanco.",
        "La columna «{check}» indica cuándo una respuesta incumple una regla; corríjala.",
        "Rellene una fila por registro en las tablas ({tables}); una fila cuenta como "
        "registro en cuanto una de sus celdas está rellena.",
        "Las hojas «{scores}» y «{dashboard}» se actualizan solas; no las modifique.",
        "Las hojas están protegidas (sin contraseña) para que las fórmulas no se borren "
        "por error.",
    ],
    "send_heading": "Cómo devolverlo",
    "send": (
        "Guarde el libro (.xlsx) y envíelo a la persona que coordina la evaluación. "
        "Lo importa con: rightguide score filled.xlsx --out DIR"
    ),
    "form_id": "Identificador del formulario",
    "version": "Versión",
    "language": "Idioma",
    "col_number": "N.º",
    "col_question": "Pregunta",
    "col_answer": "Respuesta",
    "col_check": "Control",
    "col_help": "Ayuda",
    "col_score": "Puntuación",
    "col_value": "Valor",
    "col_description": "Descripción",
    "col_formula": "Cómo se calcula",
    "col_missing": "Respuestas que faltan",
    "col_right": "Derecho",
    "col_commitment": "Compromiso del Estado",
    "col_worst": "Gravedad máxima",
    "col_negative": "Registros negativos",
    "col_positive": "Registros positivos",
    "col_gap": "Brecha (comprometido y gravemente afectado)",
    "col_concern": "Motivo de preocupación (daño grave, sin brecha)",
    "not_applicable": "No se aplica",
    "required": "Obligatoria.",
    "per_record": "Calculada para cada registro de la tabla «{table}».",
    "record": "Registro",
    "key_results": "Resultados principales",
    "per_right": "Resultados por derecho",
    "chart_worst": "Gravedad máxima por derecho",
    "chart_records": "Registros negativos y positivos por derecho",
    "no_per_right": "Esta guía no tiene puntuaciones por derecho para representar.",
}

_SR_LATN = {
    "sheet_instructions": "Uputstva",
    "sheet_questions": "Pitanja",
    "sheet_scores": "Pokazatelji",
    "sheet_dashboard": "Pregled",
    "yes": "Da",
    "no": "Ne",
    "colon": ":",  # between a label and its value
    "title": "{title}: radna sveska za samoprocenu",
    "what": (
        "Ova radna sveska je procena „{title}“ za popunjavanje u programu Excel ili "
        "LibreOffice, bez servera i telefona. Pokazatelji se izračunavaju dok odgovarate."
    ),
    "how_heading": "Kako je popuniti",
    "how": [
        "Odgovarajte u žutim ćelijama lista „{questions}“, korak po korak, redom.",
        "Odgovore birajte sa padajućih lista; kod pitanja sa više odgovora izaberite "
        "„{yes}“ ili „{no}“ za svaku mogućnost.",
        "Siv red se ne popunjava s obzirom na vaše ranije odgovore: ostavite ga praznim.",
        "Kolona „{check}“ pokazuje kada odgovor krši neko pravilo; ispravite ga.",
        "U tabelama ({tables}) popunite po jedan red za svaki zapis; red se računa kao zapis "
        "čim je popunjena bilo koja njegova ćelija.",
        "Listovi „{scores}“ i „{dashboard}“ se sami ažuriraju; ne menjajte ih.",
        "Listovi su zaštićeni (bez lozinke) da se formule ne bi greškom izbrisale.",
    ],
    "send_heading": "Kako je vratiti",
    "send": (
        "Sačuvajte radnu svesku (.xlsx) i pošaljite je osobi koja koordinira procenu. "
        "Ona je učitava komandom: rightguide score filled.xlsx --out DIR"
    ),
    "form_id": "Oznaka obrasca",
    "version": "Verzija",
    "language": "Jezik",
    "col_number": "Br.",
    "col_question": "Pitanje",
    "col_answer": "Odgovor",
    "col_check": "Provera",
    "col_help": "Pomoć",
    "col_score": "Pokazatelj",
    "col_value": "Vrednost",
    "col_meaning": "Značenje",
    "col_description": "Opis",
    "col_formula": "Kako se izračunava",
    "col_missing": "Kada odgovori nedostaju",
    "col_right": "Pravo",
    "col_worst": "Najveća ozbiljnost",
    "col_negative": "Negativni zapisi",
    "col_positive": "Pozitivni zapisi",
    "col_gap": "Jaz (preuzeta obaveza i teško ugroženo)",
    "col_concern": "Zabrinutost (teška šteta, bez jaza)",
    "col_commitment": "Obaveza države",
    "not_applicable": "Ne odnosi se",
    "required": "Obavezno.",
    "per_record": "Izračunava se za svaki zapis u tabeli „{table}“.",
    "record": "Zapis",
    "key_results": "Glavni rezultati",
    "per_right": "Rezultati po pravima",
    "chart_worst": "Najveća ozbiljnost po pravima",
    "chart_records": "Negativni i pozitivni zapisi po pravima",
    "no_per_right": "Ovaj vodič nema pokazatelje po pravima koje bi se prikazali na grafikonu.",
}

_TABLES: dict[str, dict] = {"en": _EN, "fr": _FR, "es": _ES, "sr-Latn": _SR_LATN}


class WorkbookPhrases:
    """The fixed texts of a workbook in one language (English where the language has none)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.table = _TABLES.get(lang, _EN)

    def say(self, key: str, **holes: str) -> str:
        """The text `key` with its holes filled."""
        return str(self.table[key]).format(**holes)

    def lines(self, key: str, **holes: str) -> list[str]:
        """A list of texts (e.g. the instruction steps) with holes filled."""
        return [line.format(**holes) for line in self.table[key]]


def missing_languages(codes: list[str]) -> list[str]:
    """Language codes that have no workbook texts (their workbooks use English ones)."""
    return [code for code in codes if code not in _TABLES]
