"""Parse expression text into a syntax tree (recursive descent, one token of look-ahead).

Grammar, loosest first:
    expr       := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum (("=" | "!=" | "<" | "<=" | ">" | ">=") sum)?
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | primary
    primary    := NUMBER | STRING | "true" | "false" | "." | NAME | "${" NAME "}"
                | NAME "(" args ")" | AGG "(" [NAME "from"] NAME ["where" expr] ")" | "(" expr ")"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .ast import (
    AGGREGATES,
    FUNCTIONS,
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


class ExpressionError(Exception):
    """A syntax error, with the 1-based column where it was found."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return f"column {self.column}: {self.message}"


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, name, op, end
    text: str
    column: int


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<dollar>\$\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\})
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|!=|<>|==|[=<>+\-*/(),.])
    """,
    re.VERBOSE,
)

KEYWORDS = {"and", "or", "not", "true", "false", "from", "where"}


def tokenize(text: str) -> list[Token]:
    """Split text into tokens; raise ExpressionError at the first character that fits none."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            char = text[pos]
            if char in "'\"":
                raise ExpressionError("text in quotes is not closed", pos + 1)
            raise ExpressionError(f"unexpected character {char!r}", pos + 1)
        kind = match.lastgroup or ""
        value = match.group()
        if kind == "dollar":
            tokens.append(Token("name", value[2:-1].strip(), pos + 1))
        elif kind == "op":
            tokens.append(Token("op", {"==": "=", "<>": "!="}.get(value, value), pos + 1))
        elif kind != "space":
            tokens.append(Token(kind, value, pos + 1))
        pos = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        token = self.token
        return token.kind == kind and (text is None or token.text == text)

    def at_word(self, word: str) -> bool:
        return self.at("name", word)

    def expect(self, kind: str, text: str, what: str) -> Token:
        if not self.at(kind, text):
            raise ExpressionError(f"expected {what}, found {self.describe(self.token)}", self.token.column)
        return self.advance()

    @staticmethod
    def describe(token: Token) -> str:
        return "the end of the expression" if token.kind == "end" else repr(token.text)

    def parse(self) -> Node:
        node = self.parse_or()
        if not self.at("end"):
            raise ExpressionError(f"unexpected {self.describe(self.token)}", self.token.column)
        return node

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.at_word("or"):
            column = self.advance().column
            node = Binary("or", node, self.parse_and(), column=column)
        return node

    def parse_and(self) -> Node:
        node = self.parse_not()
        while self.at_word("and"):
            column = self.advance().column
            node = Binary("and", node, self.parse_not(), column=column)
        return node

    def parse_not(self) -> Node:
        if self.at_word("not") and not self.tokens[self.index + 1].text == "(":
            column = self.advance().column
            return Unary("not", self.parse_not(), column=column)
        if self.at_word("not"):
            # not(...) reads as a function call but means the same
            column = self.advance().column
            return Unary("not", self.parse_primary_paren(), column=column)
        return self.parse_comparison()

    def parse_primary_paren(self) -> Node:
        self.expect("op", "(", "'('")
        node = self.parse_or()
        self.expect("op", ")", "')'")
        return node

    def parse_comparison(self) -> Node:
        node = self.parse_sum()
        if self.token.kind == "op" and self.token.text in ("=", "!=", "<", "<=", ">", ">="):
            token = self.advance()
            node = Binary(token.text, node, self.parse_sum(), column=token.column)
            if self.token.kind == "op" and self.token.text in ("=", "!=", "<", "<=", ">", ">="):
                raise ExpressionError(
                    "comparisons cannot be chained; join them with 'and'", self.token.column
                )
        return node

    def parse_sum(self) -> Node:
        node = self.parse_product()
        while self.token.kind == "op" and self.token.text in ("+", "-"):
            token = self.advance()
            node = Binary(token.text, node, self.parse_product(), column=token.column)
        return node

    def parse_product(self) -> Node:
        node = self.parse_unary()
        while self.token.kind == "op" and self.token.text in ("*", "/"):
            token = self.advance()
            node = Binary(token.text, node, self.parse_unary(), column=token.column)
        return node

    def parse_unary(self) -> Node:
        if self.at("op", "-"):
            column = self.advance().column
            return Unary("-", self.parse_unary(), column=column)
        return self.parse_primary()

    def parse_primary(self) -> Node:
        token = self.token
        if token.kind == "number":
            self.advance()
            return Number(float(token.text), column=token.column)
        if token.kind == "string":
            self.advance()
            return String(token.text[1:-1], column=token.column)
        if token.kind == "op" and token.text == "(":
            return self.parse_primary_paren()
        if token.kind == "op" and token.text == ".":
            self.advance()
            return Current(column=token.column)
        if token.kind == "name":
            if token.text in ("true", "false"):
                self.advance()
                return Boolean(token.text == "true", column=token.column)
            if token.text in KEYWORDS:
                raise ExpressionError(f"'{token.text}' cannot stand here", token.column)
            self.advance()
            if self.at("op", "("):
                if token.text in AGGREGATES:
                    return self.parse_aggregate(token)
                return self.parse_call(token)
            return Ref(token.text, column=token.column)
        raise ExpressionError(f"expected a value, found {self.describe(token)}", token.column)

    def parse_call(self, name: Token) -> Node:
        if name.text not in FUNCTIONS:
            known = ", ".join(sorted(set(FUNCTIONS) | set(AGGREGATES)))
            raise ExpressionError(f"unknown function '{name.text}' (known: {known})", name.column)
        self.advance()  # (
        args: list[Node] = []
        if not self.at("op", ")"):
            args.append(self.parse_or())
            while self.at("op", ","):
                self.advance()
                if self.at("op", ")"):
                    break  # a trailing comma, left by an empty table expansion
                args.append(self.parse_or())
        self.expect("op", ")", "',' or ')'")
        low, high = FUNCTIONS[name.text]
        if len(args) < low or (high is not None and len(args) > high):
            wanted = str(low) if low == high else (f"at least {low}" if high is None else f"{low} to {high}")
            raise ExpressionError(
                f"{name.text}() takes {wanted} argument(s), got {len(args)}", name.column
            )
        return Call(name.text, tuple(args), column=name.column)

    def parse_aggregate(self, name: Token) -> Node:
        self.advance()  # (
        first = self.expect_name("a repeat name")
        field: str | None = None
        repeat = first
        if self.at_word("from"):
            self.advance()
            field = first
            repeat = self.expect_name("a repeat name after 'from'")
        if name.text == "count" and field is not None:
            raise ExpressionError("count() counts records: write count(REPEAT where ...)", name.column)
        if name.text != "count" and field is None:
            raise ExpressionError(
                f"{name.text}() needs a field: {name.text}(FIELD from REPEAT where ...)", name.column
            )
        where = None
        if self.at_word("where"):
            self.advance()
            where = self.parse_or()
        self.expect("op", ")", "')' or 'where'")
        return Aggregate(name.text, repeat, field, where, column=name.column)

    def expect_name(self, what: str) -> str:
        token = self.token
        if token.kind != "name" or token.text in KEYWORDS:
            raise ExpressionError(f"expected {what}, found {self.describe(token)}", token.column)
        self.advance()
        return token.text


def parse(text: str) -> Node:
    """Parse expression text; raise ExpressionError with the column of the problem."""
    if not text or not text.strip():
        raise ExpressionError("the expression is empty", 1)
    return _Parser(text).parse()
