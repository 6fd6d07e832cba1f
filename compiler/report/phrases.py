"""The report's own fixed words (headings, column titles, explanations), in English, French,
Spanish and Serbian (Latin script).

Guide text (title, right and group labels, score labels and descriptions) comes from the guide
and its translations; these are the words the report adds around it. A guide language without a
table here gets these words in English: `missing_report_phrase_languages` says which, and the
report itself says so in its notes.
"""

from __future__ import annotations

from ..model import Guide

EN: dict[str, str] = {
    "kind": "Human rights impact assessment: report",
    "form_id": "Form",
    "version": "Version",
    "language": "Language",
    "assessments": "Assessments",
    "date": "Latest submission",
    "page": "Page",
    "of": "of",
    "contents": "Contents",
    "decimal": ".",
    "colon": ":",  # before a value; French puts a no-break space first
    "no_value": "\u2014",
    "not_computed": "Not computable",
    "null_missing": "not computable from the answers given: {rule}",
    "yes": "Yes",
    "no": "No",
    "count": "Number of assessments",
    "assessment": "Assessment",
    "outcome_title": "Quick Scan outcome",
    "outcome_one": "The Quick Scan of this assessment concluded:",
    "outcome_many": "How many assessments reached each outcome of the Quick Scan.",
    "outcome": "Outcome",
    "outcome_chart": "Assessments per Quick Scan outcome",
    "rights_title": "Harm to each right",
    "rights_intro": "The worst severity of harm recorded for each right, on a scale of 1 (very "
    "low) to 5 (very high), across all assessments. Severities are never averaged: one severe "
    "harm is enough to put a right at the top.",
    "rights_chart": "Worst severity of harm per right (1 to 5)",
    "heat_title": "Worst severity by right and affected group",
    "heat_intro": "Each cell gives the worst severity recorded for a right and a group; an "
    "empty cell means no negative effect with a severity was recorded.",
    "right": "Right",
    "group": "Affected group",
    "worst": "Worst severity",
    "worst_actual": "Worst actual harm",
    "confidence_actual": "Confidence (actual)",
    "confidence_potential": "Confidence (potential)",
    "worst_potential": "Worst potential harm",
    "unrated": "Harm recorded, severity unknown",
    "negative": "Negative effects",
    "positive": "Positive effects",
    "committed": "Committed by the State",
    "gap": "Gap",
    "legend": "Severity",
    "level_low": "below 2",
    "level_moderate": "2 to below 3",
    "level_high": "3 to below 4",
    "level_severe": "4 or more",
    "chart_note": "Bars show values; a dash means no value.",
    "gaps_title": "Gaps between promise and practice",
    "gaps_intro": "A right is flagged when the State has committed to it (at least one ratified "
    "instrument protects it) and the measure actually harms it severely (severity 4 or more), "
    "with evidence.",
    "concerns_title": "Concerns to investigate",
    "concerns_intro": "A severe harm (severity 4 or more) that is only potential, not yet backed "
    "by evidence, or to a right the State has not committed to is not a gap: it is a concern "
    "the team should investigate.",
    "concerns_none": "No concern is recorded.",
    "base_in_brackets": "In brackets: {label}.",
    "gaps_none": "No right is flagged.",
    "flagged": "Flagged",
    "flagged_in": "Assessments flagging it",
    "accountability_title": "Accountability of the State",
    "accountability_intro": "The accountability index (0 to 100) shows whether the people "
    "affected can complain, obtain a remedy and compensation, and whether the measure is "
    "monitored independently.",
    "accountability_chart": "Accountability index per assessment (0 to 100)",
    "impacts_title": "Salient impacts and their evidence",
    "impacts_intro": "Every recorded effect on a right, the worst first, with the evidence the "
    "team gave for it.",
    "impacts_more": "{n} more records are not shown here; every record is in the scores files.",
    "rows_more": "{n} more rows are not shown here; every one is in {file}.",
    "bands_chart": "{label}: number of assessments per range of the index",
    "direction": "Direction",
    "severity": "Severity",
    "evidence": "Evidence",
    "coverage_title": "Recommendations",
    "coverage_intro": "The share of severely harmed rights for which the team made at least one "
    "recommendation.",
    "other_title": "Other scores",
    "other_intro": "Scores not shown above.",
    "score": "Score",
    "value": "Value",
    "lowest": "Lowest",
    "highest": "Highest",
    "with_value": "With a value",
    "quality_title": "Data quality",
    "quality_intro": "What the analysis could not use or found doubtful. Nothing is dropped "
    "silently: every rejected record and every problem is listed here.",
    "quality_clean": "Every record was read and scored without problems.",
    "rejected_title": "Rejected records",
    "source": "Source",
    "reason": "Reason",
    "issues_title": "Problems found in scored records",
    "field": "Field",
    "message": "Problem",
    "whole_record": "whole record",
    "nulls_title": "Scores that could not be computed",
    "nulls_count": "Assessments",
    "carried_title": "Scores taken from the export: repeat records not in this file",
    "carried_intro": "These inputs carried no impact or recommendation records (a Kobo CSV "
    "export, or an ODK Central main table alone), so these scores could not be recomputed here: "
    "they are the values the phone or web form computed and the export carried.",
    "notes_title": "Notes",
    "fallback": "The fixed text of this report is not available in {language}; it is shown in "
    "English.",
    "row": "row",
    "appendix_title": "Appendix: what each score means",
    "appendix_intro": "Each score of the guide, what it measures and how it is calculated, and "
    "what happens when answers are missing or \"don't know\".",
    "missing_rule": "Missing or don't know",
    "per_record": "One value per record",
    "results": "Possible results",
}

FR: dict[str, str] = {
    "kind": "Évaluation de l’impact sur les droits humains\u00a0: rapport",
    "form_id": "Formulaire",
    "version": "Version",
    "language": "Langue",
    "assessments": "Évaluations",
    "date": "Dernière soumission",
    "page": "Page",
    "of": "sur",
    "contents": "Sommaire",
    "decimal": ",",
    "colon": "\u00a0:",  # before a value; French puts a no-break space first
    "no_value": "\u2014",
    "not_computed": "Non calculable",
    "null_missing": "non calculable à partir des réponses données\u00a0: {rule}",
    "yes": "Oui",
    "no": "Non",
    "count": "Nombre d’évaluations",
    "assessment": "Évaluation",
    "outcome_title": "Résultat de l’examen rapide",
    "outcome_one": "L’examen rapide de cette évaluation a conclu\u00a0:",
    "outcome_many": "Nombre d’évaluations ayant abouti à chaque résultat de l’examen rapide.",
    "outcome": "Résultat",
    "outcome_chart": "Évaluations par résultat de l’examen rapide",
    "rights_title": "Atteintes à chaque droit",
    "rights_intro": "La gravité la plus forte relevée pour chaque droit, sur une échelle de 1 "
    "(très faible) à 5 (très forte), pour l’ensemble des évaluations. Les gravités ne sont "
    "jamais moyennées\u00a0: une seule atteinte grave suffit à placer un droit en tête.",
    "rights_chart": "Gravité la plus forte par droit (1 à 5)",
    "heat_title": "Gravité la plus forte par droit et par groupe concerné",
    "heat_intro": "Chaque case donne la gravité la plus forte relevée pour un droit et un "
    "groupe\u202f; une case vide signifie qu’aucun effet négatif avec une gravité n’a été relevé.",
    "right": "Droit",
    "group": "Groupe concerné",
    "worst": "Gravité la plus forte",
    "worst_actual": "Atteinte réelle la plus grave",
    "confidence_actual": "Confiance (réelle)",
    "confidence_potential": "Confiance (potentielle)",
    "worst_potential": "Atteinte potentielle la plus grave",
    "unrated": "Atteinte constatée, gravité inconnue",
    "negative": "Effets négatifs",
    "positive": "Effets positifs",
    "committed": "Engagement de l’État",
    "gap": "Écart",
    "legend": "Gravité",
    "level_low": "moins de 2",
    "level_moderate": "de 2 à moins de 3",
    "level_high": "de 3 à moins de 4",
    "level_severe": "4 ou plus",
    "chart_note": "Les barres montrent les valeurs\u202f; un tiret signifie\u00a0: pas de valeur.",
    "gaps_title": "Écarts entre engagements et pratique",
    "gaps_intro": "Un droit est signalé quand l’État s’y est engagé (au moins un instrument "
    "ratifié le protège) et que la mesure lui porte réellement une atteinte grave (gravité 4 ou "
    "plus), preuves à l’appui.",
    "concerns_title": "Préoccupations à examiner",
    "concerns_intro": "Une atteinte grave (gravité 4 ou plus) qui n’est que potentielle, qui ne "
    "repose encore sur aucune preuve, ou qui touche un droit envers lequel l’État ne s’est pas "
    "engagé n’est pas un écart\u00a0: c’est une préoccupation que l’équipe doit examiner.",
    "concerns_none": "Aucune préoccupation n’est relevée.",
    "base_in_brackets": "Entre parenthèses : {label}.",
    "gaps_none": "Aucun droit n’est signalé.",
    "flagged": "Signalé",
    "flagged_in": "Évaluations qui le signalent",
    "accountability_title": "Redevabilité de l’État",
    "accountability_intro": "L’indice de redevabilité (0 à 100) indique si les personnes "
    "touchées peuvent porter plainte, obtenir réparation et indemnisation, et si la mesure fait "
    "l’objet d’un suivi indépendant.",
    "accountability_chart": "Indice de redevabilité par évaluation (0 à 100)",
    "impacts_title": "Impacts marquants et leurs preuves",
    "impacts_intro": "Chaque effet relevé sur un droit, le plus grave en premier, avec les "
    "preuves données par l’équipe.",
    "impacts_more": "{n} autres fiches ne sont pas montrées ici\u202f; toutes figurent dans les "
    "fichiers de scores.",
    "rows_more": "{n} autres lignes ne sont pas montrées ici\u202f; toutes figurent dans {file}.",
    "bands_chart": "{label}\u00a0: nombre d’évaluations par tranche de l’indice",
    "direction": "Sens",
    "severity": "Gravité",
    "evidence": "Preuves",
    "coverage_title": "Recommandations",
    "coverage_intro": "La part des droits gravement atteints pour lesquels l’équipe a fait au "
    "moins une recommandation.",
    "other_title": "Autres scores",
    "other_intro": "Scores non présentés plus haut.",
    "score": "Score",
    "value": "Valeur",
    "lowest": "Minimum",
    "highest": "Maximum",
    "with_value": "Avec une valeur",
    "quality_title": "Qualité des données",
    "quality_intro": "Ce que l’analyse n’a pas pu utiliser ou a trouvé douteux. Rien n’est "
    "écarté en silence\u00a0: chaque fiche rejetée et chaque problème figurent ici.",
    "quality_clean": "Toutes les fiches ont été lues et calculées sans problème.",
    "rejected_title": "Fiches rejetées",
    "source": "Source",
    "reason": "Motif",
    "issues_title": "Problèmes trouvés dans les fiches calculées",
    "field": "Champ",
    "message": "Problème",
    "whole_record": "fiche entière",
    "nulls_title": "Scores qui n’ont pas pu être calculés",
    "nulls_count": "Évaluations",
    "carried_title": "Scores repris de l’export\u00a0: fiches répétées absentes de ce fichier",
    "carried_intro": "Ces fichiers ne contenaient aucune fiche d’impact ni de recommandation "
    "(export CSV de Kobo, ou table principale d’ODK Central seule)\u00a0: ces scores n’ont donc pas pu "
    "être recalculés ici. Ce sont les valeurs calculées par le téléphone ou le formulaire web, "
    "telles que l’export les donne.",
    "notes_title": "Remarques",
    "fallback": "Le texte fixe de ce rapport n’existe pas en {language}\u202f; il est donné en "
    "anglais.",
    "row": "ligne",
    "appendix_title": "Annexe\u00a0: ce que mesure chaque score",
    "appendix_intro": "Chaque score du guide, ce qu’il mesure et comment il est calculé, et ce "
    "qui se passe quand des réponses manquent ou sont «\u00a0ne sait pas\u00a0».",
    "missing_rule": "Réponses manquantes ou «\u00a0ne sait pas\u00a0»",
    "per_record": "Une valeur par fiche",
    "results": "Résultats possibles",
}

ES: dict[str, str] = {
    "kind": "Evaluación del impacto en los derechos humanos: informe",
    "form_id": "Formulario",
    "version": "Versión",
    "language": "Idioma",
    "assessments": "Evaluaciones",
    "date": "Último envío",
    "page": "Página",
    "of": "de",
    "contents": "Índice",
    "decimal": ",",
    "colon": ":",  # before a value; French puts a no-break space first
    "no_value": "\u2014",
    "not_computed": "No calculable",
    "null_missing": "no se puede calcular con las respuestas dadas: {rule}",
    "yes": "Sí",
    "no": "No",
    "count": "Número de evaluaciones",
    "assessment": "Evaluación",
    "outcome_title": "Resultado del examen rápido",
    "outcome_one": "El examen rápido de esta evaluación concluyó:",
    "outcome_many": "Cuántas evaluaciones llegaron a cada resultado del examen rápido.",
    "outcome": "Resultado",
    "outcome_chart": "Evaluaciones por resultado del examen rápido",
    "rights_title": "Daño a cada derecho",
    "rights_intro": "La gravedad más alta registrada para cada derecho, en una escala de 1 (muy "
    "baja) a 5 (muy alta), en todas las evaluaciones. Las gravedades nunca se promedian: basta "
    "un daño grave para poner un derecho en primer lugar.",
    "rights_chart": "Gravedad más alta por derecho (1 a 5)",
    "heat_title": "Gravedad más alta por derecho y grupo afectado",
    "heat_intro": "Cada celda da la gravedad más alta registrada para un derecho y un grupo; una "
    "celda vacía significa que no se registró ningún efecto negativo con gravedad.",
    "right": "Derecho",
    "group": "Grupo afectado",
    "worst": "Gravedad más alta",
    "worst_actual": "Daño real más grave",
    "confidence_actual": "Confianza (real)",
    "confidence_potential": "Confianza (potencial)",
    "worst_potential": "Daño potencial más grave",
    "unrated": "Daño registrado, gravedad desconocida",
    "negative": "Efectos negativos",
    "positive": "Efectos positivos",
    "committed": "Compromiso del Estado",
    "gap": "Brecha",
    "legend": "Gravedad",
    "level_low": "menos de 2",
    "level_moderate": "de 2 a menos de 3",
    "level_high": "de 3 a menos de 4",
    "level_severe": "4 o más",
    "chart_note": "Las barras muestran los valores; un guion significa que no hay valor.",
    "gaps_title": "Brechas entre compromisos y práctica",
    "gaps_intro": "Se señala un derecho cuando el Estado se ha comprometido con él (al menos un "
    "instrumento ratificado lo protege) y la medida le causa realmente un daño grave (gravedad 4 "
    "o más), con pruebas.",
    "concerns_title": "Motivos de preocupación a investigar",
    "concerns_intro": "Un daño grave (gravedad 4 o más) que solo es potencial, que aún no se "
    "apoya en pruebas, o que afecta a un derecho con el que el Estado no se ha comprometido no "
    "es una brecha: es un motivo de preocupación que el equipo debe investigar.",
    "concerns_none": "No se registra ningún motivo de preocupación.",
    "base_in_brackets": "Entre paréntesis: {label}.",
    "gaps_none": "No se señala ningún derecho.",
    "flagged": "Señalado",
    "flagged_in": "Evaluaciones que lo señalan",
    "accountability_title": "Rendición de cuentas del Estado",
    "accountability_intro": "El índice de rendición de cuentas (0 a 100) muestra si las personas "
    "afectadas pueden presentar quejas, obtener reparación e indemnización, y si la medida se "
    "supervisa de forma independiente.",
    "accountability_chart": "Índice de rendición de cuentas por evaluación (0 a 100)",
    "impacts_title": "Impactos destacados y sus pruebas",
    "impacts_intro": "Cada efecto registrado sobre un derecho, el más grave primero, con las "
    "pruebas que dio el equipo.",
    "impacts_more": "{n} registros más no se muestran aquí; todos están en los archivos de "
    "puntuaciones.",
    "rows_more": "{n} filas más no se muestran aquí; todas están en {file}.",
    "bands_chart": "{label}: número de evaluaciones por tramo del índice",
    "direction": "Sentido",
    "severity": "Gravedad",
    "evidence": "Pruebas",
    "coverage_title": "Recomendaciones",
    "coverage_intro": "La proporción de derechos gravemente dañados para los que el equipo hizo "
    "al menos una recomendación.",
    "other_title": "Otras puntuaciones",
    "other_intro": "Puntuaciones que no se muestran más arriba.",
    "score": "Puntuación",
    "value": "Valor",
    "lowest": "Mínimo",
    "highest": "Máximo",
    "with_value": "Con valor",
    "quality_title": "Calidad de los datos",
    "quality_intro": "Lo que el análisis no pudo usar o encontró dudoso. Nada se descarta en "
    "silencio: cada registro rechazado y cada problema figuran aquí.",
    "quality_clean": "Todos los registros se leyeron y puntuaron sin problemas.",
    "rejected_title": "Registros rechazados",
    "source": "Fuente",
    "reason": "Motivo",
    "issues_title": "Problemas encontrados en los registros puntuados",
    "field": "Campo",
    "message": "Problema",
    "whole_record": "registro completo",
    "nulls_title": "Puntuaciones que no se pudieron calcular",
    "nulls_count": "Evaluaciones",
    "carried_title": "Puntuaciones tomadas de la exportación: registros repetidos ausentes de este archivo",
    "carried_intro": "Estos archivos no contenían registros de impacto ni de recomendación "
    "(exportación CSV de Kobo, o la tabla principal de ODK Central sola), por lo que estas "
    "puntuaciones no se pudieron recalcular aquí: son los valores que calculó el teléfono o el "
    "formulario web, tal como los trae la exportación.",
    "notes_title": "Notas",
    "fallback": "El texto fijo de este informe no existe en {language}; se muestra en inglés.",
    "row": "fila",
    "appendix_title": "Anexo: qué significa cada puntuación",
    "appendix_intro": "Cada puntuación de la guía, qué mide y cómo se calcula, y qué ocurre "
    "cuando faltan respuestas o son «no sabe».",
    "missing_rule": "Respuestas que faltan o «no sabe»",
    "per_record": "Un valor por registro",
    "results": "Resultados posibles",
}

SR_LATN: dict[str, str] = {
    "kind": "Procena uticaja na ljudska prava: izveštaj",
    "form_id": "Obrazac",
    "version": "Verzija",
    "language": "Jezik",
    "assessments": "Procene",
    "date": "Poslednji podnesak",
    "page": "Strana",
    "of": "od",
    "contents": "Sadržaj",
    "decimal": ",",
    "colon": ":",  # before a value; French puts a no-break space first
    "no_value": "\u2014",
    "base_in_brackets": "U zagradi: {label}.",
    "not_computed": "Ne može se izračunati",
    "null_missing": "ne može se izračunati iz datih odgovora: {rule}",
    "yes": "Da",
    "no": "Ne",
    "count": "Broj procena",
    "assessment": "Procena",
    "outcome_title": "Ishod brze provere",
    "outcome_one": "Brza provera u ovoj proceni došla je do zaključka:",
    "outcome_many": "Koliko je procena došlo do svakog od ishoda brze provere.",
    "outcome": "Ishod",
    "outcome_chart": "Procene po ishodu brze provere",
    "rights_title": "Šteta po svako pravo",
    "rights_intro": "Najveća ozbiljnost štete zabeležena za svako pravo, na lestvici od 1 (veoma "
    "niska) do 5 (veoma visoka), u svim procenama. Ozbiljnosti se nikada ne usrednjavaju: jedna "
    "ozbiljna šteta dovoljna je da pravo stavi na vrh.",
    "rights_chart": "Najveća ozbiljnost štete po pravima (1 do 5)",
    "heat_title": "Najveća ozbiljnost po pravu i pogođenoj grupi",
    "heat_intro": "Svako polje daje najveću ozbiljnost zabeleženu za jedno pravo i jednu grupu; "
    "prazno polje znači da nije zabeležen nijedan negativan uticaj sa ozbiljnošću.",
    "right": "Pravo",
    "group": "Pogođena grupa",
    "worst": "Najveća ozbiljnost",
    "worst_actual": "Najteža stvarna šteta",
    "confidence_actual": "Pouzdanost (stvarna)",
    "confidence_potential": "Pouzdanost (potencijalna)",
    "worst_potential": "Najteža potencijalna šteta",
    "unrated": "Šteta zabeležena, ozbiljnost nepoznata",
    "negative": "Negativni uticaji",
    "positive": "Pozitivni uticaji",
    "committed": "Obaveza države",
    "gap": "Jaz",
    "legend": "Ozbiljnost",
    "level_low": "ispod 2",
    "level_moderate": "od 2 do ispod 3",
    "level_high": "od 3 do ispod 4",
    "level_severe": "4 ili više",
    "chart_note": "Stubići prikazuju vrednosti; crtica znači da vrednosti nema.",
    "gaps_title": "Jazovi između obećanja i prakse",
    "gaps_intro": "Pravo je označeno kada je država preuzela obavezu prema njemu (štiti ga bar "
    "jedan ratifikovan instrument), a mera mu stvarno nanosi ozbiljnu štetu (ozbiljnost 4 ili "
    "više), potkrepljenu dokazima.",
    "concerns_title": "Zabrinutosti koje treba ispitati",
    "concerns_intro": "Ozbiljna šteta (ozbiljnost 4 ili više) koja je samo potencijalna, koja "
    "još nije potkrepljena dokazima ili koja pogađa pravo prema kojem država nije preuzela "
    "obavezu nije jaz: to je zabrinutost koju tim treba da ispita.",
    "concerns_none": "Nije zabeležena nijedna zabrinutost.",
    "gaps_none": "Nijedno pravo nije označeno.",
    "flagged": "Označeno",
    "flagged_in": "Procene koje ga označavaju",
    "accountability_title": "Odgovornost države",
    "accountability_intro": "Indeks odgovornosti (0 do 100) pokazuje da li pogođene osobe mogu "
    "da se žale, da dobiju pravni lek i naknadu štete i da li meru nezavisno prati neko telo.",
    "accountability_chart": "Indeks odgovornosti po proceni (0 do 100)",
    "impacts_title": "Najvažniji uticaji i dokazi za njih",
    "impacts_intro": "Svaki zabeleženi uticaj na neko pravo, počev od najtežeg, sa dokazima "
    "koje je tim naveo.",
    "impacts_more": "Još {n} zapisa nije prikazano ovde; svi zapisi su u datotekama sa "
    "pokazateljima.",
    "rows_more": "Još {n} redova nije prikazano ovde; svi su u datoteci {file}.",
    "bands_chart": "{label}: broj procena po rasponu indeksa",
    "direction": "Smer",
    "severity": "Ozbiljnost",
    "evidence": "Dokazi",
    "coverage_title": "Preporuke",
    "coverage_intro": "Udeo teško ugroženih prava za koja je tim dao bar jednu preporuku.",
    "other_title": "Ostali pokazatelji",
    "other_intro": "Pokazatelji koji nisu prikazani iznad.",
    "score": "Pokazatelj",
    "value": "Vrednost",
    "lowest": "Najniža",
    "highest": "Najviša",
    "with_value": "Sa vrednošću",
    "quality_title": "Kvalitet podataka",
    "quality_intro": "Ono što analiza nije mogla da iskoristi ili što je ocenila kao sumnjivo. "
    "Ništa se ne odbacuje prećutno: svaki odbijeni zapis i svaki problem navedeni su ovde.",
    "quality_clean": "Svi zapisi su pročitani i obrađeni bez problema.",
    "rejected_title": "Odbijeni zapisi",
    "source": "Izvor",
    "reason": "Razlog",
    "issues_title": "Problemi pronađeni u obrađenim zapisima",
    "field": "Polje",
    "message": "Problem",
    "whole_record": "ceo zapis",
    "nulls_title": "Pokazatelji koji nisu mogli da se izračunaju",
    "nulls_count": "Procene",
    "carried_title": "Pokazatelji preuzeti iz izvoza: ponovljeni zapisi nisu u ovoj datoteci",
    "carried_intro": "Ove ulazne datoteke nisu sadržale zapise o uticaju ni o preporukama (CSV "
    "izvoz iz Koboa ili samo glavna tabela iz ODK Central), pa ovi pokazatelji nisu mogli ovde "
    "ponovo da se izračunaju: to su vrednosti koje je izračunao telefon ili veb-obrazac, onako "
    "kako ih izvoz donosi.",
    "notes_title": "Napomene",
    "fallback": "Stalni tekst ovog izveštaja ne postoji na jeziku {language}; prikazan je na "
    "engleskom.",
    "row": "red",
    "appendix_title": "Dodatak: šta znači svaki pokazatelj",
    "appendix_intro": "Svaki pokazatelj vodiča, šta meri i kako se izračunava, i šta se dešava "
    "kada odgovori nedostaju ili glase „ne znam“.",
    "missing_rule": "Odgovori nedostaju ili glase „ne znam“",
    "per_record": "Jedna vrednost po zapisu",
    "results": "Mogući rezultati",
}

PHRASES: dict[str, dict[str, str]] = {"en": EN, "fr": FR, "es": ES, "sr-Latn": SR_LATN}


def report_phrases(lang: str) -> dict[str, str]:
    """The report's fixed words in lang (the dossiers' and overview's too), English where lang
    has no table."""
    from .dossier_phrases import DOSSIER_PHRASES

    return PHRASES.get(lang, EN) | DOSSIER_PHRASES.get(lang, DOSSIER_PHRASES["en"])


def has_report_phrases(lang: str) -> bool:
    """True when the report's fixed words exist in lang."""
    return lang in PHRASES


def missing_report_phrase_languages(guide: Guide) -> list[str]:
    """Codes of the guide's languages whose reports fall back to English fixed words."""
    return [lang.code for lang in guide.languages if lang.code not in PHRASES]
