"""A test guide with the constructs the real guide does not use: the `full` test guide plus
an `edge` section, written at test time (so `full` is not copied into the repository twice)."""

from __future__ import annotations

import shutil
from pathlib import Path

from compiler.loader import load_checked_guide
from compiler.model import Guide

ROOT = Path(__file__).resolve().parents[2]

# Constructs the real guide does not use, added to the test guide: number answers compared
# with each other, rounding on ties, calculations that are not relevant, guards that read
# calculations and aggregates while the form is walked, a question whose relevance reads a
# later answer (ODK Collect never shows it: an answer given to it is not reached), a repeat that is not always relevant,
# a group and a default inside it, a record calculation reading a calculation over another
# repeat, sum/mean/min, an aggregate with a filter after the repeat. The walk reads a
# calculation that is not relevant as blank (after_calc reads doubled, which is not relevant
# when people <= 5). A repeat kept by the walk can end up not relevant a few passes later:
# its records keep the calculations of the last pass they were relevant in, and their
# constraints read their own fields as they are.
EDGE = """\
name: edge
code: "9"
label: Edge cases
items:
  - {name: amount, type: decimal, label: Amount}
  - {name: early_q, type: text, label: Early, relevant: "late_yes = 'yes'"}
  - {name: count_a, type: integer, label: Count, default: "3"}
  - name: same_number
    type: score
    label: Same
    description: Number answers compared.
    missing: Never empty.
    formula: "if(amount = count_a, 1, 0) + if(amount = people, 10, 0) + if(people = 5, 100, 0)"
  - name: share
    type: score
    label: Share
    description: Eighths, rounded half up.
    missing: Empty without people.
    formula: "round(people / 8, 2)"
  - name: share0
    type: score
    label: Share0
    description: Rounded to whole and tenths.
    missing: Empty without people.
    formula: "round(-people / 4, 0) + round(amount * 3, 1)"
  - name: amount_2
    type: score
    label: Amount rounded
    description: Half up on the decimals as written (1.005 gives 1.01).
    missing: Empty without amount.
    formula: "round(amount, 2)"
  - {name: either, type: calculate, formula: "coalesce(amount, count_a)"}
  - {name: doubled, type: calculate, relevant: "people > 5", formula: "people * 2 + either"}
  - name: reads_doubled
    type: score
    label: Reads
    description: Reads a calculation that may not be relevant.
    missing: Never empty.
    formula: "if(answered(doubled), doubled, -1) + count_answered(doubled, amount)"
  - name: after_calc
    type: select_one
    list: yes_no_dk
    label: After calc
    relevant: "doubled > 2 or either = 4.5"
  - name: visits
    type: repeat
    label: Visit
    relevant: "count(impacts where direction = 'negative') > 0 or after_calc = 'yes'"
    items:
      - {name: visit_kind, type: select_one, list: direction, label: Kind, default: negative}
      - name: visit_days
        type: integer
        label: Days
        relevant: "visit_kind != 'none' and (worst_liberty >= 2 or count_a > 2)"
        constraint: ". <= 100"
      - name: visit_rate
        type: score
        label: Rate
        description: Days per quarter.
        missing: Empty without days.
        relevant: "visit_kind != 'positive'"
        formula: "if(after_calc = 'yes', visit_days, visit_days * 2) / 4"
      - {name: visit_weight, type: calculate, formula: "visit_days * negatives"}
      - name: visit_more
        type: group
        label: More
        relevant: "visit_rate > 1 or answered(amount)"
        items:
          - name: visit_note
            type: text
            label: Note
            relevant: "visit_rate > 1 or negatives > 0"
            constraint: ". != 'x' or visit_days > 1"
          - {name: visit_flag, type: select_one, list: yes_no_dk, label: Flag}
  - {name: kind_days, type: calculate, formula: "sum(visit_days from visits where visit_kind != 'none')"}
  - name: total_days
    type: score
    label: Total
    description: Sum and mean over visits.
    missing: Empty without visits.
    formula: "sum(visit_days from visits where visit_kind = 'negative') + mean(visit_rate from visits)"
  - name: min_rate
    type: score
    label: Min
    description: Lowest rate.
    missing: Empty without long visits.
    formula: "min(visit_rate from visits where visit_days > count_a)"
  - name: no_visits
    type: score
    label: No visits
    description: Max and min of no values are NaN, not infinities.
    missing: Never empty.
    formula: "if(max(visit_days from visits) < 0 or min(visit_days from visits) > 1000, 'odd', 'fine')"
  - name: flags
    type: score
    label: Flags
    description: Flagged visits.
    missing: Never empty.
    formula: "count(visits where visit_flag = 'yes' and people > 2)"
  - name: late_q
    type: select_one
    list: yes_no_dk
    label: Late
    relevant: "total_days > 4 or count(visits) > 1 or flags > 0"
  - name: late_score
    type: score
    label: Late score
    description: Text or blank.
    missing: Blank unless late or full.
    formula: "if(late_q = 'yes', 'late', if(outcome = 'full', outcome, ''))"
  - {name: late_yes, type: select_one, list: yes_no_dk, label: Answered after early_q}
"""

NESTED = """\
      - name: visit_people
        type: repeat
        label: Person met
        items:
          - {name: person_role, type: select_one, list: yes_no_dk, label: Role}
"""


def edge_guide(target: Path, edge: str = EDGE) -> Guide:
    """The full test guide with the section `edge` added, written under target."""
    shutil.copytree(ROOT / "tests" / "guides" / "full", target)
    (target / "edge.yaml").write_text(edge, encoding="utf-8")
    guide_yaml = target / "guide.yaml"
    text = guide_yaml.read_text(encoding="utf-8")
    guide_yaml.write_text(text.replace("  - impacts.yaml\n", "  - impacts.yaml\n  - edge.yaml\n"))
    return load_checked_guide(target)[0]


# Numbers the evaluators do not yet read as JavaRosa does: a division by an answer that can be
# 0 (JavaRosa stores 'Infinity') or large (results written with an exponent, which JavaRosa
# reads back as numbers in the aggregates over them).
NUMERIC = EDGE.replace(
    "if(after_calc = 'yes', visit_days, visit_days * 2) / 4",
    "if(after_calc = 'yes', visit_days, visit_days * 2) / count_a",
)
