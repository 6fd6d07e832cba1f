"""The fixed words of the dossiers, the network overview and `rightguide compare`, in English,
French, Spanish and Serbian (Latin script); `phrases.report_phrases` adds them to the report's."""

from __future__ import annotations

EN: dict[str, str] = {
    "measure_name": "Name of the measure",
    "rights_intro_one": "The worst severity of harm recorded for each right in this assessment, on a scale of 1 (very low) to 5 (very high). Severities are never averaged: one severe harm is enough to put a right at the top.",
    "change_cell": "{old} \u2192 {new}: {change}",
    "dossier_kind": "Human rights impact assessment: dossier",
    "overview_kind": "Human rights impact assessments: network overview",
    "not_answered": "not answered",
    "no_measure_code": "Assessment {n} (no measure code)",
    "measure_code": "Measure",
    "country": "Country",
    "assessment_date": "Date",
    "guide": "Guide",
    "summary_title": "Summary",
    "summary_intro": "The main findings of this assessment of one measure; the pages that follow "
    "give the detail.",
    "finding": "Finding",
    "gaps_found": "Gaps",
    "concerns_found": "Concerns",
    "severe_actual": "Rights actually and severely harmed",
    "recommendations_made": "Recommendations",
    "overall_conclusion": "The team's conclusion",
    "left_out_title": "What this dossier leaves out, and why",
    "left_out_sensitive": "Answers to the {n} questions the guide marks as sensitive are never "
    "shown: they can identify people or sources.",
    "left_out_evidence": "The team's own descriptions of each harm are not quoted (they can "
    "identify people); only the kind of evidence and the team's confidence are shown.",
    "left_out_quoted": "Free-text evidence is quoted because this dossier was asked to quote it; "
    "each quote is cut at 300 characters.",
    "left_out_ids": "File names, row numbers and submission identifiers stay in the scores "
    "files, not in this dossier.",
    "steps_title": "Findings of each step",
    "steps_intro": "For each step of the guide: its scores and the conclusion the team wrote.",
    "step_conclusion": "The team's conclusion for this step",
    "whole_measure": "The measure as a whole",
    "mechanisms_known": "{n} of {total} mechanisms known",
    "quoted": "\u201c{text}\u201d",
    "harms_title": "Harms that matter",
    "harms_intro": "Each negative or mixed effect recorded, the most severe first. Actual harms "
    "(seen or reported) and potential harms (that could follow from the measure) are shown "
    "apart: a potential harm is never counted as an actual one.",
    "harms_none": "No negative effect is recorded.",
    "harms_actual": "Actual harms",
    "harms_potential": "Potential harms",
    "harms_unknown": "Harms not said to be actual or potential",
    "group_not_given": "group not given",
    "likelihood": "Likelihood",
    "evidence_type": "Evidence",
    "confidence": "Confidence",
    "quote": "The team's words (quoted)",
    "mechanisms_missing": "Mechanisms and remedies that do not exist for the people affected",
    "mechanisms_none_missing": "The team recorded no mechanism as missing.",
    "mechanisms_unknown": "Not known whether these exist: {names}.",
    "recommendations_title": "Recommendations and action plan",
    "recommendations_intro": "The recommendations as the team wrote them, with whom they "
    "address, the right they protect and how progress will be seen.",
    "recommendations_none": "No recommendation is recorded.",
    "action_plan_title": "Action plan",
    "since_title": "Since the previous assessment",
    "since_intro": "This measure was assessed before, on {old}; this assessment ({new}) is "
    "compared with it. Worst actual and worst potential harms are compared apart.",
    "since_rights": "Worst harm per right, before and now",
    "since_no_harm": "Neither assessment records a harm with a severity.",
    "since_no_records": "One of the two inputs carries no recommendation records, so the "
    "recommendations cannot be compared.",
    "since_recommendations": "Recommendations per right, before and now",
    "before": "Before",
    "now": "Now",
    "change": "Change",
    "change_better": "better",
    "change_worse": "worse",
    "change_new": "new",
    "change_gone": "no longer recorded",
    "change_unchanged": "unchanged",
    "change_dropped": "dropped",
    "quality_intro_words": "What the analysis found doubtful in this assessment's answers. The "
    "file issues.csv gives each problem with its place in the input.",
    "quality_clean_one": "The answers of this assessment were read and scored without problems.",
    "rejected_in_run": "Records of the input that could not be read as an assessment: {n}; "
    "rejected.csv gives each one and why.",
    "issue_required": "a required answer was left blank.",
    "issue_not_applicable": "an answer was given to a question that does not apply; it was "
    "not used.",
    "issue_recomputed": "the value the phone or web form computed differs from the value "
    "computed here; the value computed here is used.",
    "issue_not_number": "an answer that should be a number is not one; it was kept as typed "
    "and not used in the scores.",
    "issue_not_date": "an answer that should be a date is not one; it was kept as typed.",
    "issue_not_choice": "an answer is not one of the question's choices; it was kept as typed "
    "and not used in the scores.",
    "issue_formula": "a workbook formula had no saved value; it was read as blank.",
    "issue_check": "an answer does not meet the question's check.",
    "issue_other": "a problem with the answers (see issues.csv).",
    "issue_times": "({n} times)",
    "issue_record": "The record as a whole",
    "overview_title": "Assessments side by side",
    "overview_intro": "One row per assessment: one team's assessment of one measure at one date. "
    "Each row gives that assessment's own findings; severities are never added up or averaged "
    "across measures. Each measure links to its dossier.",
    "accountability_short": "Accountability (base)",
    "coverage_short": "Severe harms with a recommendation (%)",
    "dossiers_cut": "Dossiers were written for the first {n} assessments; every assessment is "
    "in the scores files.",
    "reassessments_title": "Re-assessments",
    "reassessments_intro": "These measures were assessed more than once; the later dossier shows "
    "what got better, what got worse and what is new.",
    "reassessed": "{measure}: {old}, then {new}",
    "overview_quality_intro": "Each dossier says in words what was doubtful in its answers.",
    "overview_issues": "Problems found in the answers: {n} (each in issues.csv).",
    "overview_rejected": "Input records that could not be read as an assessment: {n} (each in "
    "rejected.csv).",
    "overview_notes": "Notes on the inputs: {n} (in scores.json).",
    "compare_title": "Comparison of two assessments",
}

FR: dict[str, str] = {
    "measure_name": "Nom de la mesure",
    "rights_intro_one": "La gravité la plus élevée des atteintes enregistrées pour chaque droit dans cette évaluation, sur une échelle de 1 (très faible) à 5 (très élevée). Les gravités ne sont jamais moyennées : une seule atteinte grave suffit à placer un droit en tête.",
    "change_cell": "{old} \u2192 {new}\u00a0: {change}",
    "dossier_kind": "Évaluation de l’impact sur les droits humains : dossier",
    "overview_kind": "Évaluations de l’impact sur les droits humains : vue d’ensemble du réseau",
    "not_answered": "sans réponse",
    "no_measure_code": "Évaluation {n} (sans code de mesure)",
    "measure_code": "Mesure",
    "country": "Pays",
    "assessment_date": "Date",
    "guide": "Guide",
    "summary_title": "Résumé",
    "summary_intro": "Les principaux constats de cette évaluation d’une mesure ; les pages "
    "suivantes donnent le détail.",
    "finding": "Constat",
    "gaps_found": "Écarts",
    "concerns_found": "Préoccupations",
    "severe_actual": "Droits atteints réellement et gravement",
    "recommendations_made": "Recommandations",
    "overall_conclusion": "La conclusion de l’équipe",
    "left_out_title": "Ce que ce dossier omet, et pourquoi",
    "left_out_sensitive": "Les réponses aux {n} questions que le guide marque comme sensibles ne "
    "sont jamais montrées : elles peuvent identifier des personnes ou des sources.",
    "left_out_evidence": "Les descriptions de chaque atteinte écrites par l’équipe ne sont pas "
    "citées (elles peuvent identifier des personnes) ; seuls le type de preuve et la confiance "
    "de l’équipe sont montrés.",
    "left_out_quoted": "Les preuves en texte libre sont citées parce que ce dossier a été demandé "
    "avec citations ; chaque citation est coupée à 300 caractères.",
    "left_out_ids": "Les noms de fichiers, numéros de ligne et identifiants de soumission restent "
    "dans les fichiers de scores, pas dans ce dossier.",
    "steps_title": "Constats de chaque étape",
    "steps_intro": "Pour chaque étape du guide : ses scores et la conclusion écrite par l’équipe.",
    "step_conclusion": "La conclusion de l’équipe pour cette étape",
    "whole_measure": "La mesure dans son ensemble",
    "mechanisms_known": "{n} mécanismes connus sur {total}",
    "quoted": "«\u00a0{text}\u00a0»",
    "harms_title": "Les atteintes qui comptent",
    "harms_intro": "Chaque effet négatif ou mixte enregistré, le plus grave d’abord. Les "
    "atteintes réelles (constatées ou rapportées) et potentielles (qui pourraient découler de "
    "la mesure) sont montrées à part : une atteinte potentielle n’est jamais comptée comme "
    "réelle.",
    "harms_none": "Aucun effet négatif n’est enregistré.",
    "harms_actual": "Atteintes réelles",
    "harms_potential": "Atteintes potentielles",
    "harms_unknown": "Atteintes dont on ne dit pas si elles sont réelles ou potentielles",
    "group_not_given": "groupe non précisé",
    "likelihood": "Probabilité",
    "evidence_type": "Preuves",
    "confidence": "Confiance",
    "quote": "Les mots de l’équipe (cités)",
    "mechanisms_missing": "Mécanismes et recours qui n’existent pas pour les personnes touchées",
    "mechanisms_none_missing": "L’équipe n’a enregistré aucun mécanisme manquant.",
    "mechanisms_unknown": "On ne sait pas si ceux-ci existent : {names}.",
    "recommendations_title": "Recommandations et plan d’action",
    "recommendations_intro": "Les recommandations telles que l’équipe les a écrites, avec leur "
    "destinataire, le droit qu’elles protègent et la façon de voir les progrès.",
    "recommendations_none": "Aucune recommandation n’est enregistrée.",
    "action_plan_title": "Plan d’action",
    "since_title": "Depuis l’évaluation précédente",
    "since_intro": "Cette mesure a déjà été évaluée, le {old} ; cette évaluation ({new}) lui est "
    "comparée. Les pires atteintes réelles et potentielles sont comparées à part.",
    "since_rights": "Pire atteinte par droit, avant et maintenant",
    "since_no_harm": "Aucune des deux évaluations n’enregistre d’atteinte avec une gravité.",
    "since_no_records": "L’une des deux entrées ne contient pas les recommandations : elles ne "
    "peuvent pas être comparées.",
    "since_recommendations": "Recommandations par droit, avant et maintenant",
    "before": "Avant",
    "now": "Maintenant",
    "change": "Évolution",
    "change_better": "mieux",
    "change_worse": "pire",
    "change_new": "nouveau",
    "change_gone": "plus enregistré",
    "change_unchanged": "inchangé",
    "change_dropped": "abandonné",
    "quality_intro_words": "Ce que l’analyse a trouvé douteux dans les réponses de cette "
    "évaluation. Le fichier issues.csv donne chaque problème avec sa place dans l’entrée.",
    "quality_clean_one": "Les réponses de cette évaluation ont été lues et notées sans problème.",
    "rejected_in_run": "Enregistrements de l’entrée qui n’ont pas pu être lus comme une "
    "évaluation : {n} ; rejected.csv donne chacun et pourquoi.",
    "issue_required": "une réponse obligatoire est restée vide.",
    "issue_not_applicable": "une réponse a été donnée à une question qui ne s’applique pas ; "
    "elle n’a pas été utilisée.",
    "issue_recomputed": "la valeur calculée par le téléphone ou le formulaire web diffère de "
    "celle calculée ici ; c’est celle calculée ici qui est utilisée.",
    "issue_not_number": "une réponse qui devrait être un nombre n’en est pas un ; elle est gardée "
    "telle quelle et n’entre pas dans les scores.",
    "issue_not_date": "une réponse qui devrait être une date n’en est pas une ; elle est gardée "
    "telle quelle.",
    "issue_not_choice": "une réponse ne fait pas partie des choix de la question ; elle est "
    "gardée telle quelle et n’entre pas dans les scores.",
    "issue_formula": "une formule du classeur n’avait pas de valeur enregistrée ; elle a été lue "
    "comme vide.",
    "issue_check": "une réponse ne respecte pas le contrôle de la question.",
    "issue_other": "un problème dans les réponses (voir issues.csv).",
    "issue_times": "({n} fois)",
    "issue_record": "L’enregistrement dans son ensemble",
    "overview_title": "Les évaluations côte à côte",
    "overview_intro": "Une ligne par évaluation : l’évaluation d’une mesure par une équipe à une "
    "date. Chaque ligne donne les constats de cette évaluation ; les gravités ne sont jamais "
    "additionnées ni moyennées entre mesures. Chaque mesure renvoie à son dossier.",
    "accountability_short": "Redevabilité (base)",
    "coverage_short": "Atteintes graves avec une recommandation (%)",
    "dossiers_cut": "Des dossiers ont été écrits pour les {n} premières évaluations ; chaque "
    "évaluation figure dans les fichiers de scores.",
    "reassessments_title": "Réévaluations",
    "reassessments_intro": "Ces mesures ont été évaluées plus d’une fois ; le dossier le plus "
    "récent montre ce qui s’est amélioré, ce qui s’est aggravé et ce qui est nouveau.",
    "reassessed": "{measure} : {old}, puis {new}",
    "overview_quality_intro": "Chaque dossier dit en mots ce qui était douteux dans ses réponses.",
    "overview_issues": "Problèmes trouvés dans les réponses : {n} (chacun dans issues.csv).",
    "overview_rejected": "Enregistrements de l’entrée non lisibles comme une évaluation : {n} "
    "(chacun dans rejected.csv).",
    "overview_notes": "Remarques sur les entrées : {n} (dans scores.json).",
    "compare_title": "Comparaison de deux évaluations",
}

ES: dict[str, str] = {
    "measure_name": "Nombre de la medida",
    "rights_intro_one": "La gravedad más alta de los daños registrados para cada derecho en esta evaluación, en una escala de 1 (muy baja) a 5 (muy alta). Las gravedades nunca se promedian: basta un daño grave para poner un derecho en primer lugar.",
    "change_cell": "{old} \u2192 {new}: {change}",
    "dossier_kind": "Evaluación del impacto en los derechos humanos: expediente",
    "overview_kind": "Evaluaciones del impacto en los derechos humanos: panorama de la red",
    "not_answered": "sin respuesta",
    "no_measure_code": "Evaluación {n} (sin código de medida)",
    "measure_code": "Medida",
    "country": "País",
    "assessment_date": "Fecha",
    "guide": "Guía",
    "summary_title": "Resumen",
    "summary_intro": "Las principales conclusiones de esta evaluación de una medida; las páginas "
    "siguientes dan el detalle.",
    "finding": "Hallazgo",
    "gaps_found": "Brechas",
    "concerns_found": "Preocupaciones",
    "severe_actual": "Derechos afectados real y gravemente",
    "recommendations_made": "Recomendaciones",
    "overall_conclusion": "La conclusión del equipo",
    "left_out_title": "Lo que este expediente omite, y por qué",
    "left_out_sensitive": "Las respuestas a las {n} preguntas que la guía marca como sensibles "
    "nunca se muestran: pueden identificar a personas o fuentes.",
    "left_out_evidence": "Las descripciones de cada daño escritas por el equipo no se citan "
    "(pueden identificar a personas); solo se muestran el tipo de prueba y la confianza del "
    "equipo.",
    "left_out_quoted": "Las pruebas en texto libre se citan porque este expediente se pidió con "
    "citas; cada cita se corta a los 300 caracteres.",
    "left_out_ids": "Los nombres de archivo, números de fila e identificadores de envío quedan en "
    "los archivos de puntuaciones, no en este expediente.",
    "steps_title": "Hallazgos de cada paso",
    "steps_intro": "Para cada paso de la guía: sus puntuaciones y la conclusión que escribió el "
    "equipo.",
    "step_conclusion": "La conclusión del equipo para este paso",
    "whole_measure": "La medida en su conjunto",
    "mechanisms_known": "{n} de {total} mecanismos conocidos",
    "quoted": "«{text}»",
    "harms_title": "Los daños que importan",
    "harms_intro": "Cada efecto negativo o mixto registrado, el más grave primero. Los daños "
    "reales (vistos o denunciados) y los potenciales (que podrían derivarse de la medida) se "
    "muestran por separado: un daño potencial nunca se cuenta como real.",
    "harms_none": "No se registra ningún efecto negativo.",
    "harms_actual": "Daños reales",
    "harms_potential": "Daños potenciales",
    "harms_unknown": "Daños sin indicar si son reales o potenciales",
    "group_not_given": "grupo no indicado",
    "likelihood": "Probabilidad",
    "evidence_type": "Pruebas",
    "confidence": "Confianza",
    "quote": "Las palabras del equipo (citadas)",
    "mechanisms_missing": "Mecanismos y recursos que no existen para las personas afectadas",
    "mechanisms_none_missing": "El equipo no registró ningún mecanismo como inexistente.",
    "mechanisms_unknown": "No se sabe si existen: {names}.",
    "recommendations_title": "Recomendaciones y plan de acción",
    "recommendations_intro": "Las recomendaciones tal como las escribió el equipo, con su "
    "destinatario, el derecho que protegen y cómo se verá el avance.",
    "recommendations_none": "No se registra ninguna recomendación.",
    "action_plan_title": "Plan de acción",
    "since_title": "Desde la evaluación anterior",
    "since_intro": "Esta medida ya se evaluó el {old}; esta evaluación ({new}) se compara con "
    "aquella. Los peores daños reales y potenciales se comparan por separado.",
    "since_rights": "Peor daño por derecho, antes y ahora",
    "since_no_harm": "Ninguna de las dos evaluaciones registra un daño con gravedad.",
    "since_no_records": "Una de las dos entradas no contiene las recomendaciones, así que no se "
    "pueden comparar.",
    "since_recommendations": "Recomendaciones por derecho, antes y ahora",
    "before": "Antes",
    "now": "Ahora",
    "change": "Cambio",
    "change_better": "mejor",
    "change_worse": "peor",
    "change_new": "nuevo",
    "change_gone": "ya no registrado",
    "change_unchanged": "sin cambios",
    "change_dropped": "retirada",
    "quality_intro_words": "Lo que el análisis encontró dudoso en las respuestas de esta "
    "evaluación. El archivo issues.csv da cada problema con su lugar en la entrada.",
    "quality_clean_one": "Las respuestas de esta evaluación se leyeron y puntuaron sin problemas.",
    "rejected_in_run": "Registros de la entrada que no se pudieron leer como una evaluación: "
    "{n}; rejected.csv da cada uno y por qué.",
    "issue_required": "una respuesta obligatoria quedó en blanco.",
    "issue_not_applicable": "se respondió a una pregunta que no corresponde; la respuesta no se "
    "usó.",
    "issue_recomputed": "el valor que calculó el teléfono o el formulario web difiere del "
    "calculado aquí; se usa el calculado aquí.",
    "issue_not_number": "una respuesta que debería ser un número no lo es; se guardó tal cual y "
    "no entra en las puntuaciones.",
    "issue_not_date": "una respuesta que debería ser una fecha no lo es; se guardó tal cual.",
    "issue_not_choice": "una respuesta no es una de las opciones de la pregunta; se guardó tal "
    "cual y no entra en las puntuaciones.",
    "issue_formula": "una fórmula del libro no tenía valor guardado; se leyó como vacía.",
    "issue_check": "una respuesta no cumple el control de la pregunta.",
    "issue_other": "un problema en las respuestas (ver issues.csv).",
    "issue_times": "({n} veces)",
    "issue_record": "El registro en su conjunto",
    "overview_title": "Las evaluaciones lado a lado",
    "overview_intro": "Una fila por evaluación: la evaluación de una medida por un equipo en una "
    "fecha. Cada fila da los hallazgos de esa evaluación; las gravedades nunca se suman ni se "
    "promedian entre medidas. Cada medida enlaza con su expediente.",
    "accountability_short": "Rendición de cuentas (base)",
    "coverage_short": "Daños graves con recomendación (%)",
    "dossiers_cut": "Se escribieron expedientes para las primeras {n} evaluaciones; todas las "
    "evaluaciones están en los archivos de puntuaciones.",
    "reassessments_title": "Reevaluaciones",
    "reassessments_intro": "Estas medidas se evaluaron más de una vez; el expediente más reciente "
    "muestra qué mejoró, qué empeoró y qué es nuevo.",
    "reassessed": "{measure}: {old}, luego {new}",
    "overview_quality_intro": "Cada expediente dice con palabras lo que era dudoso en sus "
    "respuestas.",
    "overview_issues": "Problemas encontrados en las respuestas: {n} (cada uno en issues.csv).",
    "overview_rejected": "Registros de la entrada que no se pudieron leer como una evaluación: "
    "{n} (cada uno en rejected.csv).",
    "overview_notes": "Notas sobre las entradas: {n} (en scores.json).",
    "compare_title": "Comparación de dos evaluaciones",
}

SR_LATN: dict[str, str] = {
    "measure_name": "Naziv mere",
    "rights_intro_one": "Najveća ozbiljnost štete zabeležene za svako pravo u ovoj proceni, na skali od 1 (veoma niska) do 5 (veoma visoka). Ozbiljnosti se nikada ne proseče: jedna ozbiljna šteta dovoljna je da pravo stavi na vrh.",
    "change_cell": "{old} \u2192 {new}: {change}",
    "dossier_kind": "Procena uticaja na ljudska prava: dosije",
    "overview_kind": "Procene uticaja na ljudska prava: pregled mreže",
    "not_answered": "bez odgovora",
    "no_measure_code": "Procena {n} (bez šifre mere)",
    "measure_code": "Mera",
    "country": "Zemlja",
    "assessment_date": "Datum",
    "guide": "Vodič",
    "summary_title": "Sažetak",
    "summary_intro": "Glavni nalazi ove procene jedne mere; stranice koje slede daju pojedinosti.",
    "finding": "Nalaz",
    "gaps_found": "Jazovi",
    "concerns_found": "Zabrinutosti",
    "severe_actual": "Prava stvarno i ozbiljno povređena",
    "recommendations_made": "Preporuke",
    "overall_conclusion": "Zaključak tima",
    "left_out_title": "Šta ovaj dosije izostavlja, i zašto",
    "left_out_sensitive": "Odgovori na {n} pitanja koja vodič označava kao osetljiva nikada se "
    "ne prikazuju: mogu da otkriju identitet ljudi ili izvora.",
    "left_out_evidence": "Opisi svake štete koje je napisao tim se ne citiraju (mogu da otkriju "
    "identitet ljudi); prikazuju se samo vrsta dokaza i pouzdanost tima.",
    "left_out_quoted": "Dokazi u slobodnom tekstu se citiraju jer je ovaj dosije zatražen sa "
    "citatima; svaki citat je skraćen na 300 znakova.",
    "left_out_ids": "Nazivi datoteka, brojevi redova i identifikatori podnesaka ostaju u "
    "datotekama sa rezultatima, ne u ovom dosijeu.",
    "steps_title": "Nalazi svakog koraka",
    "steps_intro": "Za svaki korak vodiča: njegovi pokazatelji i zaključak koji je napisao tim.",
    "step_conclusion": "Zaključak tima za ovaj korak",
    "whole_measure": "Mera u celini",
    "mechanisms_known": "poznato {n} od {total} mehanizama",
    "quoted": "„{text}“",
    "harms_title": "Štete koje su važne",
    "harms_intro": "Svaki zabeleženi negativni ili mešoviti uticaj, najteži prvi. Stvarne štete "
    "(viđene ili prijavljene) i potencijalne štete (koje bi mogle da proisteknu iz mere) prikazane su "
    "odvojeno: potencijalna šteta se nikada ne računa kao stvarna.",
    "harms_none": "Nije zabeležen nijedan negativan uticaj.",
    "harms_actual": "Stvarne štete",
    "harms_potential": "Potencijalne štete",
    "harms_unknown": "Štete za koje nije rečeno da li su stvarne ili potencijalne",
    "group_not_given": "grupa nije navedena",
    "likelihood": "Verovatnoća",
    "evidence_type": "Dokazi",
    "confidence": "Pouzdanost",
    "quote": "Reči tima (citirane)",
    "mechanisms_missing": "Mehanizmi i pravni lekovi koji ne postoje za pogođene ljude",
    "mechanisms_none_missing": "Tim nije zabeležio nijedan mehanizam kao nepostojeći.",
    "mechanisms_unknown": "Nije poznato da li postoje: {names}.",
    "recommendations_title": "Preporuke i akcioni plan",
    "recommendations_intro": "Preporuke onako kako ih je tim napisao, sa onima kojima su upućene, "
    "pravom koje štite i načinom na koji će se videti napredak.",
    "recommendations_none": "Nije zabeležena nijedna preporuka.",
    "action_plan_title": "Akcioni plan",
    "since_title": "Od prethodne procene",
    "since_intro": "Ova mera je već procenjena {old}; ova procena ({new}) se poredi sa njom. "
    "Najteže stvarne i najteže potencijalne štete porede se odvojeno.",
    "since_rights": "Najteža šteta po pravu, ranije i sada",
    "since_no_harm": "Nijedna od dve procene ne beleži štetu sa ozbiljnošću.",
    "since_no_records": "Jedan od dva ulaza ne sadrži preporuke, pa se one ne mogu porediti.",
    "since_recommendations": "Preporuke po pravu, ranije i sada",
    "before": "Ranije",
    "now": "Sada",
    "change": "Promena",
    "change_better": "bolje",
    "change_worse": "gore",
    "change_new": "novo",
    "change_gone": "više nije zabeleženo",
    "change_unchanged": "bez promene",
    "change_dropped": "napušteno",
    "quality_intro_words": "Šta je analiza našla sumnjivim u odgovorima ove procene. Datoteka "
    "issues.csv daje svaki problem sa njegovim mestom u ulazu.",
    "quality_clean_one": "Odgovori ove procene su pročitani i ocenjeni bez problema.",
    "rejected_in_run": "Zapisi iz ulaza koji nisu mogli da se pročitaju kao procena: {n}; "
    "rejected.csv daje svaki i razlog.",
    "issue_required": "obavezan odgovor je ostao prazan.",
    "issue_not_applicable": "dat je odgovor na pitanje koje se ne primenjuje; nije korišćen.",
    "issue_recomputed": "vrednost koju je izračunao telefon ili veb-obrazac razlikuje se od "
    "vrednosti izračunate ovde; koristi se vrednost izračunata ovde.",
    "issue_not_number": "odgovor koji bi trebalo da bude broj nije broj; zadržan je onako kako "
    "je unet i ne ulazi u pokazatelje.",
    "issue_not_date": "odgovor koji bi trebalo da bude datum nije datum; zadržan je onako kako "
    "je unet.",
    "issue_not_choice": "odgovor nije jedan od ponuđenih izbora pitanja; zadržan je onako kako je "
    "unet i ne ulazi u pokazatelje.",
    "issue_formula": "formula radne sveske nije imala sačuvanu vrednost; pročitana je kao prazna.",
    "issue_check": "odgovor ne ispunjava proveru pitanja.",
    "issue_other": "problem u odgovorima (vidi issues.csv).",
    "issue_times": "({n} puta)",
    "issue_record": "Zapis u celini",
    "overview_title": "Procene jedna pored druge",
    "overview_intro": "Jedan red po proceni: procena jedne mere koju je jedan tim uradio jednog "
    "datuma. Svaki red daje nalaze te procene; ozbiljnosti se nikada ne sabiraju niti proseče "
    "između mera. Svaka mera vodi do svog dosijea.",
    "accountability_short": "Odgovornost (osnova)",
    "coverage_short": "Ozbiljne štete sa preporukom (%)",
    "dossiers_cut": "Dosijei su napisani za prvih {n} procena; svaka procena je u datotekama sa "
    "rezultatima.",
    "reassessments_title": "Ponovne procene",
    "reassessments_intro": "Ove mere su procenjene više puta; kasniji dosije pokazuje šta je bolje, "
    "šta je gore i šta je novo.",
    "reassessed": "{measure}: {old}, zatim {new}",
    "overview_quality_intro": "Svaki dosije rečima kaže šta je bilo sumnjivo u njegovim "
    "odgovorima.",
    "overview_issues": "Problemi nađeni u odgovorima: {n} (svaki u issues.csv).",
    "overview_rejected": "Zapisi iz ulaza koji nisu mogli da se pročitaju kao procena: {n} "
    "(svaki u rejected.csv).",
    "overview_notes": "Napomene o ulazima: {n} (u scores.json).",
    "compare_title": "Poređenje dve procene",
}

DOSSIER_PHRASES: dict[str, dict[str, str]] = {"en": EN, "fr": FR, "es": ES, "sr-Latn": SR_LATN}
