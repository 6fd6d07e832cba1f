"""Render expressions as plain sentences, for printed forms and workbooks.

"Answer only if QS.3 is 'Yes'", "Between 0 and 100,000", "(5.3 + 5.4) ÷ 2": every node class
has a `visit_<node>` method, as in the other targets. Questions are named by their number (and
their label at first mention unless the caller asks for the compact form), scores and
calculations by their label, answers by their label in the language. The phrases themselves
live in `phrases.py`, one table per language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Guide, Item
from .ast import (
    ARITHMETIC,
    COMPARISONS,
    Aggregate,
    Binary,
    Boolean,
    Call,
    Current,
    Node,
    Number,
    Ref,
    String,
    Unary,
)
from .generator import Generator, format_number
from .phrases import Phrasebook, has_phrasebook, phrasebook

_SYMBOLS = {"+": "+", "-": "\u2212", "*": "\u00d7", "/": "\u00f7"}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
_LOWER = (">", ">=")
_UPPER = ("<", "<=")
LABEL_LIMIT = 60  # longer labels are shortened at a word boundary
HELPER_INLINE_LIMIT = 240  # a helper calculation said in fewer characters is said where it is used
_BREAKING_SPACES = re.compile(r"[ \t\r\n]+")


@dataclass(frozen=True)
class Phrase:
    """A rendered piece of sentence and what a parent needs to know to join it.

    kind: 'atom' (a number, a name), 'neg' (a negative number), 'arith' (op holds the operator),
    'and'/'or' (joined conditions), 'cmp' (a comparison), 'if', or 'phrase' (anything in words).
    """

    text: str
    kind: str = "phrase"
    op: str = ""
    feminine: bool = False


class WordsGenerator(Generator):
    """Plain words in one language. `owner` is the item the expression belongs to (its list
    names the answers a '.' is compared with); `compact` names questions by number only."""

    def __init__(self, guide: Guide, lang: str, owner: Item | None = None, compact: bool = False) -> None:
        self.guide = guide
        self.lang = lang
        self.book: Phrasebook = phrasebook(lang)
        self.owner = owner
        self.compact = compact
        self.items = guide.items_by_name()
        self.numbered = [i.name for i in guide.walk() if i.number]
        self.value_list: str | None = None  # the answer list a string literal is read in
        self._mentioned: set[str] = set()

    # entry points

    def describe(self, node: Node, value_list: str | None = None) -> str:
        """node as words, labels given at the first mention of each question."""
        self._mentioned = set()
        self.value_list = value_list
        return self.render(node).text

    def say(self, key: str, **holes: str) -> str:
        return self.book.say(key, **holes)

    def variant(self, key: str, suffix: str, when: bool) -> str:
        """key + suffix when `when` holds and the language has that variant (Serbian says an
        answer 'glasi' but a number 'iznosi', and words 'this answer' apart), else key."""
        return key + suffix if when and key + suffix in self.book.words else key

    # leaves

    def visit_number(self, node: Number) -> Phrase:
        text = self.number(node.value)
        return Phrase(text, "neg" if text.startswith("\u2212") else "atom")

    def number(self, value: float) -> str:
        """A number written the way the language writes it: 100,000 / 100 000 / 0,5."""
        raw = format_number(abs(value))
        if "e" in raw:
            body = raw
        else:
            whole, _, fraction = raw.partition(".")
            if len(whole) >= self.book.group_from:
                groups = []
                while len(whole) > 3:
                    groups.insert(0, whole[-3:])
                    whole = whole[:-3]
                groups.insert(0, whole)
                whole = self.book.thousands.join(groups)
            body = whole + (self.book.decimal + fraction if fraction else "")
        return ("\u2212" if value < 0 else "") + body

    def visit_string(self, node: String) -> Phrase:
        return Phrase(self.choice(node.value, self.value_list), "atom")

    def choice(self, value: str, list_name: str | None) -> str:
        """An answer in quotes: its label in the language when it is a choice of list_name."""
        text = value
        choice_list = self.guide.lists.get(list_name) if list_name else None
        found = choice_list.get(value) if choice_list is not None else None
        if found is not None:
            text = self.guide.text(found.label, self.lang)
        left, right = self.book.choice_quotes
        return left + text + right

    def visit_boolean(self, node: Boolean) -> Phrase:
        return Phrase(self.say("true" if node.value else "false"), "atom")

    def visit_current(self, node: Current) -> Phrase:
        return Phrase(self.say("the_answer"), "atom", feminine="the_answer" in self.book.feminine)

    def visit_ref(self, node: Ref) -> Phrase:
        item = self.items.get(node.name)
        if item is not None and is_helper(item):
            # a helper calculation has no name a reader knows: say what it computes, or, when
            # that is long, name it after its group (its own entry explains it)
            mentioned = set(self._mentioned)
            inline = self.helper_inline(item)
            name = helper_name(self.guide, item, self.lang)
            if name is None or len(inline.text) <= HELPER_INLINE_LIMIT:
                return inline
            self._mentioned = mentioned
            return Phrase(name, "atom")
        return Phrase(self.reference(node.name), "atom")

    def helper_inline(self, item: Item) -> Phrase:
        """A helper calculation's formula in words, read where it is used."""
        assert item.formula is not None and item.formula.tree is not None
        outer, self.value_list = self.value_list, None
        try:
            return self.render(item.formula.tree)
        finally:
            self.value_list = outer

    def reference(self, name: str, compact: bool | None = None) -> str:
        """A question as its number (with its label at first mention), anything else by label."""
        item = self.items.get(name)
        if item is None:
            return name
        if item.number:
            if compact or (compact is None and self.compact) or name in self._mentioned:
                return item.number
            self._mentioned.add(name)
            if item.label is None:
                return item.number
            return f"{item.number} ({self.label(item)})"
        if item.label is not None:
            return self.label(item)
        left, right = self.book.label_quotes
        return left + item.name + right

    def label(self, item: Item) -> str:
        """The item's label in quotes, shortened at a word boundary when it is long."""
        # only breaking spaces are squeezed: a no-break space before '?' or inside « » stays
        text = _BREAKING_SPACES.sub(" ", self.guide.text(item.label, self.lang)).strip()
        if len(text) > LABEL_LIMIT:
            cut = text[: LABEL_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;:\u00a0\u202f")
            text = cut + "\u2026"
        left, right = self.book.label_quotes
        return left + text + right

    # operators

    def visit_unary(self, node: Unary) -> Phrase:
        if node.op == "not":
            return self.negate(node.operand)
        inner = self.render(node.operand)
        text = inner.text if inner.kind == "atom" else f"({inner.text})"
        return Phrase("\u2212" + text, "neg")

    def negate(self, node: Node) -> Phrase:
        """'not' said the way a person says it: 'is not answered', 'is not chosen', 'is not'."""
        if isinstance(node, Unary) and node.op == "not":
            return self.render(node.operand)
        if isinstance(node, Call) and node.func == "answered":
            return Phrase(self.say("not_answered", q=self.render(node.args[0]).text))
        if isinstance(node, Call) and node.func == "selected":
            return self.selected(node, negated=True)
        if isinstance(node, Binary) and node.op in COMPARISONS:
            return self.comparison(node, negated=True)
        if isinstance(node, Binary) and node.op in ("and", "or"):
            # De Morgan: exact in XPath's two-valued logic, and easier to read
            flipped = "or" if node.op == "and" else "and"
            return self.logic(Binary(flipped, Unary("not", node.left), Unary("not", node.right)))
        return Phrase(self.say("not", a=self.render(node).text))

    def visit_binary(self, node: Binary) -> Phrase:
        if node.op in ("and", "or"):
            return self.logic(node)
        if node.op in ARITHMETIC:
            return self.arithmetic(node)
        return self.comparison(node)

    def logic(self, node: Binary) -> Phrase:
        parts = []
        for child in (node.left, node.right):
            rendered = self.render(child)
            wrap = rendered.kind in ("and", "or", "if") and rendered.kind != node.op
            parts.append(f"({rendered.text})" if wrap else rendered.text)
        word = self.book.conjunction(node.op, parts[1])
        return Phrase(f"{parts[0]} {word} {parts[1]}", node.op)

    def arithmetic(self, node: Binary) -> Phrase:
        # '0 ÷ 0' is how a formula leaves a result empty
        if node.op == "/" and all(isinstance(n, Number) and n.value == 0 for n in (node.left, node.right)):
            return Phrase(self.say("empty"), "atom")
        # 'x + 0' only turns a blank into a number in XPath; in words it is just x
        if node.op in "+-" and isinstance(node.right, Number) and node.right.value == 0:
            return self.render(node.left)
        if node.op == "+" and isinstance(node.left, Number) and node.left.value == 0:
            return self.render(node.right)
        left = self.operand(node.left, node.op, right=False)
        right = self.operand(node.right, node.op, right=True)
        return Phrase(f"{left} {_SYMBOLS[node.op]} {right}", "arith", op=node.op)

    def operand(self, child: Node, parent_op: str, right: bool) -> str:
        rendered = self.render(child)
        if rendered.kind == "atom" or (rendered.kind == "neg" and not right):
            return rendered.text
        if rendered.kind == "arith":
            mine, theirs = _PRECEDENCE[rendered.op], _PRECEDENCE[parent_op]
            if mine > theirs or (mine == theirs and not (right and parent_op in "-/")):
                return rendered.text
        return f"({rendered.text})"

    def comparison(self, node: Binary, negated: bool = False) -> Phrase:
        left, right, op = node.left, node.right, node.op
        if isinstance(left, Number | String | Boolean) and not isinstance(right, Number | String | Boolean):
            left, right, op = right, left, _FLIP[op]
        if negated:
            op = {"=": "!=", "!=": "="}.get(op, "not" + op)
        subject = self.subject(left)
        value = self.value(right, self.list_of(left))
        e = "e" if subject.feminine else ""
        key = self.variant("cmp_" + op, "_num", isinstance(right, Number))
        return Phrase(self.say(key, a=subject.text, b=value, e=e), "cmp")

    def subject(self, node: Node) -> Phrase:
        """The thing a comparison is about: 'la réponse à QS.3' in French, 'QS.3' in English."""
        if isinstance(node, Ref):
            item = self.items.get(node.name)
            if item is not None and item.is_question:
                text = self.say("subject_question", ref=self.reference(node.name))
                return Phrase(text, "atom", feminine="subject_question" in self.book.feminine)
        rendered = self.render(node)
        if rendered.kind in ("and", "or", "cmp", "if"):
            return Phrase(f"({rendered.text})", "atom", feminine=rendered.feminine)
        return rendered

    def value(self, node: Node, list_name: str | None) -> str:
        """The other side of a comparison; answers in quotes as labels of list_name."""
        outer, self.value_list = self.value_list, list_name
        try:
            rendered = self.render(node)
        finally:
            self.value_list = outer
        if rendered.kind in ("and", "or", "cmp", "if"):
            return f"({rendered.text})"
        return rendered.text

    def list_of(self, node: Node) -> str | None:
        """The answer list whose labels a string compared with node should show."""
        if isinstance(node, Ref):
            item = self.items.get(node.name)
            if item is None:
                return None
            return item.list_name or item.result_list
        if isinstance(node, Current) and self.owner is not None:
            return self.owner.list_name or self.owner.result_list
        if isinstance(node, Call) and node.func in ("if", "coalesce"):
            for arg in node.args[1:] if node.func == "if" else node.args[:1]:
                found = self.list_of(arg)
                if found:
                    return found
        return None

    # functions

    def visit_call(self, node: Call) -> Phrase:
        f, args = node.func, node.args
        if f == "selected":
            return self.selected(node)
        if f == "count_selected":
            key = self.variant("count_selected", "_here", isinstance(args[0], Current))
            return Phrase(self.say(key, q=self.render(args[0]).text))
        if f == "answered":
            return Phrase(self.say("answered", q=self.render(args[0]).text))
        if f == "coalesce":
            q = self.render(args[0]).text
            return Phrase(self.say("coalesce", q=q, v=self.value(args[1], self.list_of(args[0]))))
        if f == "count_equal":
            first = next((a for a in args[1:] if isinstance(a, Ref)), None)
            list_name = self.list_of(first) if first is not None else None
            if isinstance(args[0], Number):
                value = self.choice(format_number(args[0].value), list_name)
            else:
                value = self.value(args[0], list_name)
            if len(args) == 1:
                return Phrase(self.number(0), "atom")
            return Phrase(self.say("count_equal", refs=self.reference_list(args[1:]), v=value))
        if f == "count_answered":
            if not args:
                return Phrase(self.number(0), "atom")
            return Phrase(self.say("count_answered", refs=self.reference_list(args)))
        if f == "round":
            return self.rounded(node)
        if f == "if":
            return self.conditional(node)
        raise NotImplementedError(f)  # pragma: no cover - the parser knows no other function

    def selected(self, node: Call, negated: bool = False) -> Phrase:
        question = self.render(node.args[0]).text
        choice = self.value(node.args[1], self.list_of(node.args[0]))
        key = self.variant("not_selected" if negated else "selected", "_here", isinstance(node.args[0], Current))
        return Phrase(self.say(key, choice=choice, q=question))

    def rounded(self, node: Call) -> Phrase:
        inner = self.render(node.args[0])
        digits = node.args[1].value if isinstance(node.args[1], Number) else 0
        key = {0: "round_0", 1: "round_1"}.get(int(digits), "round_n")
        text = inner.text if inner.kind in ("atom", "phrase", "arith") else f"({inner.text})"
        e = "e" if inner.feminine else ""
        return Phrase(self.say(key, x=text, n=self.number(digits), e=e), "phrase", feminine=inner.feminine)

    def conditional(self, node: Call) -> Phrase:
        cond, then, otherwise = node.args
        outer, self.value_list = self.value_list, None
        try:
            c = self.render(cond).text
        finally:
            self.value_list = outer
        a = self.render(then)
        b = self.render(otherwise)
        a_text = f"({a.text})" if a.kind == "if" else a.text
        return Phrase(self.say("if", c=c, a=a_text, b=b.text), "if")

    def reference_list(self, args: tuple[Node, ...]) -> str:
        """Questions by number, consecutive runs summarised: 'QS.8–QS.20 and 5.1'."""
        names = [a.name for a in args if isinstance(a, Ref)]
        positions = {name: i for i, name in enumerate(self.numbered)}
        if len(names) != len(args):
            parts = [self.render(a).text for a in args]
        else:
            parts = []
            run: list[str] = []
            for name in names:
                if run and name in positions and run[-1] in positions and positions[name] == positions[run[-1]] + 1:
                    run.append(name)
                    continue
                parts.extend(self._run_text(run))
                run = [name]
            parts.extend(self._run_text(run))
        if len(parts) == 1:
            return parts[0]
        last = parts[-1]
        return ", ".join(parts[:-1]) + f" {self.book.conjunction('and', last)} {last}"

    def _run_text(self, run: list[str]) -> list[str]:
        numbers = [self.reference(name, compact=True) for name in run]
        if len(numbers) >= 3:
            return [f"{numbers[0]}\u2013{numbers[-1]}"]
        return numbers

    # aggregates

    def visit_aggregate(self, node: Aggregate) -> Phrase:
        repeat = self.items.get(node.repeat)
        repeat_text = self.label(repeat) if repeat is not None and repeat.label else node.repeat
        where = ""
        if node.where is not None:
            outer, self.value_list = self.value_list, None
            try:
                where = self.say("where", cond=self.render(node.where).text)
            finally:
                self.value_list = outer
        key = "agg_" + node.func
        feminine = key in self.book.feminine
        if node.func == "count":
            records = self.say("records_bare", repeat=repeat_text, where=where)
            return Phrase(self.say(key, records_bare=records), feminine=feminine)
        records = self.say("records", repeat=repeat_text, where=where)
        field = self.reference(node.field or "")
        return Phrase(self.say(key, field=field, records=records), feminine=feminine)


def is_helper(item: Item) -> bool:
    """A calculation without a label or number: a step of a score that readers know no name for."""
    return (
        item.label is None
        and not item.number
        and item.is_computed
        and item.formula is not None
        and item.formula.tree is not None
    )


def helper_name(guide: Guide, item: Item, lang: str) -> str | None:
    """'the value calculated for "Free legal aid"': a long helper calculation named after the
    labelled group it sits in (not a repeat, whose label names every record); None when it
    sits in none."""
    group = next((a for a in item.ancestors() if a.label is not None and a.type == "group"), None)
    if group is None or group.parent is None:
        return None
    generator = WordsGenerator(guide, lang)
    return generator.say("helper", label=generator.label(group))


def named_helpers(guide: Guide, lang: str) -> list[Item]:
    """The helper calculations that formulas in words name rather than spell out (each needs an
    entry of its own where scores are explained)."""
    found = []
    for item in guide.walk():
        if is_helper(item) and helper_name(guide, item, lang) is not None:
            generator = WordsGenerator(guide, lang, item)
            if len(generator.helper_inline(item).text) > HELPER_INLINE_LIMIT:
                found.append(item)
    return found


def _sentence(text: str) -> str:
    """text with its first letter in capitals (text starting with a quote or digit unchanged)."""
    return text[:1].upper() + text[1:]


def describe_expression(guide: Guide, expr_tree: Node, lang: str, owner: Item | None = None, compact: bool = False) -> str:
    """Any expression in plain words, in lang (English phrases where lang has no table)."""
    generator = WordsGenerator(guide, lang, owner, compact)
    value_list = owner.result_list if owner is not None and owner.formula is not None and owner.formula.tree is expr_tree else None
    return generator.describe(expr_tree, value_list)


def skip_rule_sentence(guide: Guide, item: Item, lang: str, compact: bool = True) -> str | None:
    """'Answer only if QS.3 is 'Yes'' for item.relevant; None when the item has no skip rule."""
    if item.relevant is None or item.relevant.tree is None:
        return None
    generator = WordsGenerator(guide, lang, item, compact)
    return _sentence(generator.say("answer_only_if", condition=generator.describe(item.relevant.tree)))


def constraint_sentence(guide: Guide, item: Item, lang: str, compact: bool = True) -> str | None:
    """'Between 0 and 120', 'At least 1', 'The answer must be …' or 'Accepted only if …' for
    item.constraint; None when the item has no constraint."""
    if item.constraint is None or item.constraint.tree is None:
        return None
    generator = WordsGenerator(guide, lang, item, compact)
    tree = item.constraint.tree
    clauses = _answer_clauses(tree)
    if clauses is None:
        return _sentence(generator.say("accepted_only_if", condition=generator.describe(tree)))
    values = [(op, generator.value(other, generator.list_of(Current()))) for op, other in clauses]
    lows = [c for c in values if c[0] in _LOWER]
    highs = [c for c in values if c[0] in _UPPER]
    if len(lows) + len(highs) == len(values) and len(lows) <= 1 and len(highs) <= 1:
        if lows and highs and lows[0][0] == ">=" and highs[0][0] == "<=":
            return _sentence(generator.say("between", low=lows[0][1], high=highs[0][1]))
        parts = [generator.say("bound_" + op, v=v) for op, v in lows + highs]
        return _sentence(_join_and(generator.book, parts))
    parts = [generator.say("must_" + op, v=v) for op, v in values]
    return _sentence(generator.say("answer_must", clauses=_join_and(generator.book, parts)))


def _join_and(book: Phrasebook, parts: list[str]) -> str:
    return _join(book, parts, "and")


def _join(book: Phrasebook, parts: list[str], word: str) -> str:
    """'a, b and c' (word is 'and' or 'or', in the book's language)."""
    if len(parts) == 1:
        return parts[0]
    last = parts[-1]
    return ", ".join(parts[:-1]) + f" {book.conjunction(word, last)} {last}"


def _answer_clauses(tree: Node) -> list[tuple[str, Node]] | None:
    """A constraint made only of 'and'-joined comparisons of '.' with something without '.':
    [(op, other side)], '.' on the left; None for any other shape."""
    if isinstance(tree, Binary) and tree.op == "and":
        left, right = _answer_clauses(tree.left), _answer_clauses(tree.right)
        return None if left is None or right is None else left + right
    if isinstance(tree, Binary) and tree.op in COMPARISONS:
        if isinstance(tree.left, Current) and not _uses_current(tree.right):
            return [(tree.op, tree.right)]
        if isinstance(tree.right, Current) and not _uses_current(tree.left):
            return [(_FLIP[tree.op], tree.left)]
    return None


def is_plain_constraint(tree: Node) -> bool:
    """True when constraint_sentence says the constraint as bounds or plain values ('Between 0
    and 120'), False when it must spell out a condition ('Accepted only if …')."""
    return _answer_clauses(tree) is not None


def number_bounds(tree: Node) -> tuple[float | None, float | None]:
    """The lowest and highest number a constraint like '. >= 0 and . <= 3650' accepts; None for
    a side it leaves open (or for any constraint of another shape)."""
    clauses = _answer_clauses(tree) or []
    lows = [o.value for op, o in clauses if op in _LOWER and isinstance(o, Number)]
    highs = [o.value for op, o in clauses if op in _UPPER and isinstance(o, Number)]
    equal = [o.value for op, o in clauses if op == "=" and isinstance(o, Number)]
    low = max(lows + equal) if lows or equal else None
    high = min(highs + equal) if highs or equal else None
    return low, high


def _uses_current(node: Node) -> bool:
    return any(isinstance(n, Current) for n in node.walk())


def formula_sentence(guide: Guide, item: Item, lang: str, compact: bool = False) -> str | None:
    """The formula of a score or calculation in words; None when the item has none."""
    if item.formula is None or item.formula.tree is None:
        return None
    generator = WordsGenerator(guide, lang, item, compact)
    return _sentence(generator.describe(item.formula.tree, item.result_list))


def missing_phrase_languages(guide: Guide) -> list[str]:
    """Codes of the guide's languages that have no phrase table (their sentences are English)."""
    return [lang.code for lang in guide.languages if not has_phrasebook(lang.code)]


def goto_sentences(guide: Guide, item: Item, lang: str) -> list[str]:
    """Paper-form jumps for a single-choice question, one per target: "If 'No' or 'Don't know',
    go to QS.6" for the answers that make the questions right after it irrelevant whatever
    else was answered; "If the answer is not 'Other', go to 5.4" when that is shorter and a
    blank answer jumps there too."""
    if item.type != "select_one" or item.list_name not in guide.lists or not item.number:
        return []
    generator = WordsGenerator(guide, lang, item, compact=True)
    questions = [i for i in guide.walk() if i.is_question and i.number]
    following = questions[questions.index(item) + 1 :] if item in questions else []

    def target_of(answer: str) -> str | None:
        """The number jumped to ('' for the end of the form); None when nothing is skipped."""
        skipped = 0
        while skipped < len(following) and _skipped_when(following[skipped], item.name, answer):
            skipped += 1
        if skipped == 0:
            return None
        return "" if skipped == len(following) else following[skipped].number or ""

    choices = guide.lists[item.list_name].choices
    by_target: dict[str, list[str]] = {}  # target number ('' for the end) -> answers, in list order
    for choice in choices:
        target = target_of(choice.name)
        if target is not None:
            by_target.setdefault(target, []).append(choice.name)
    blank_target = target_of("")
    sentences = []
    for target, answers in by_target.items():
        others = [c.name for c in choices if c.name not in answers]
        unless = (
            target == blank_target
            and others
            and len(others) < len(answers)
            and len(others) <= 2
            and not any(name in other for other in by_target.values() if other is not answers for name in others)
        )
        shown = others if unless else answers
        quoted = _join(generator.book, [generator.choice(name, item.list_name) for name in shown], "or")
        if unless:
            key = "go_to_unless" if target else "go_to_end_unless"
        else:
            key = "go_to" if target else "go_to_end"
        sentences.append(generator.say(key, choice=quoted, target=target))
    return sentences


def _skipped_when(item: Item, question: str, answer: str) -> bool:
    """True when item (or a group around it) is irrelevant whenever question is answer."""
    for node in (item, *item.ancestors()):
        if node.relevant is not None and node.relevant.tree is not None:
            if _truth(node.relevant.tree, question, answer) is False:
                return True
    return False


def _truth(node: Node, question: str, answer: str) -> bool | None:
    """Kleene three-valued truth of a condition knowing only that question = answer."""
    if isinstance(node, Binary) and node.op in ("and", "or"):
        left, right = _truth(node.left, question, answer), _truth(node.right, question, answer)
        if node.op == "and":
            return False if False in (left, right) else (True if left is right is True else None)
        return True if True in (left, right) else (False if left is right is False else None)
    if isinstance(node, Unary) and node.op == "not":
        inner = _truth(node.operand, question, answer)
        return None if inner is None else not inner
    if isinstance(node, Binary) and node.op in ("=", "!="):
        sides = (node.left, node.right)
        ref = next((s for s in sides if isinstance(s, Ref) and s.name == question), None)
        literal = next((s for s in sides if isinstance(s, String)), None)
        if ref is not None and literal is not None:
            return (literal.value == answer) == (node.op == "=")
    if isinstance(node, Call) and node.func == "selected":
        target, value = node.args
        if isinstance(target, Ref) and target.name == question and isinstance(value, String):
            return value.value == answer
    if isinstance(node, Call) and node.func == "answered":
        target = node.args[0]
        if isinstance(target, Ref) and target.name == question:
            return True
    return None
