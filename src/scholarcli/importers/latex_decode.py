"""LaTeX in BibTeX values to Unicode text, in bounded time and depth, losing nothing silently.

pylatexenc, which this replaces on import, has three failures on real files: `\\href` raises (a whole
file imports nothing), some inputs grow without bound (50 nested `\\"{` took 24 GB) or recurse
past Python's limit (200 nested `\\emph{`), and macros it does not know are deleted (`\\TeX`,
`\\S`, `\\pounds`: 1,048 of 2,720 TUGboat titles changed). This decoder reads a value in one pass over
regex pieces (plain runs are one piece, so long abstracts cost little), refuses nesting deeper than
`MAX_DEPTH` with a `LatexError`, and keeps any macro it cannot decode as visible text (`\\foo{bar}`),
naming it in `Decoded.unknown` so the import can report it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Deeper nesting than this is not written by people or by any bibliography tool we know of; refusing it
# bounds the decoder's recursion (and the reader's) whatever the input.
MAX_DEPTH = 40

_PIECE = re.compile(r"\\(?:[A-Za-z]+|.)|\\\Z|[{}$~]|---?|``|''|[^\\{}$~\-`']+|.", re.DOTALL)

# Accent commands -> the combining mark they put over (or under) the next character.
_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "d": "\u0323",
    "b": "\u0331", "k": "\u0328", "r": "\u030a", "t": "\u0361", "G": "\u030f", "U": "\u030e",
}  # fmt: skip
_SPACING_ACCENTS = {
    "'": "\u00b4", "`": "`", "^": "^", '"': "\u00a8", "~": "~", "=": "\u00af", ".": "\u02d9",
    "u": "\u02d8", "v": "\u02c7", "H": "\u02dd", "c": "\u00b8", "k": "\u02db", "r": "\u02da",
}  # fmt: skip
# Dotless i and j take the accent in place of the dot: \'\i is í.
_DOTLESS = {"\u0131": "i", "\u0237": "j"}

# Macros without arguments -> their text. Logos are written as they are spelled in running text.
_SYMBOLS = {
    # escapes
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ", "\n": " ",
    "\t": " ", "\r": " ", ",": " ", ";": " ", ":": " ", "!": "", "/": "", "-": "", "@": "", "\\": " ",
    "textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^", "textbraceleft": "{",
    "textbraceright": "}", "textunderscore": "_", "textbar": "|", "textless": "<", "textgreater": ">",
    "textdollar": "$", "textquotedbl": '"', "textasciigrave": "`", "textquotesingle": "'",
    "textasciiacute": "\u00b4", "textasciidieresis": "\u00a8",
    # letters
    "i": "\u0131", "j": "\u0237", "ss": "ß", "SS": "SS", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ",
    "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "dh": "ð", "DH": "Ð", "th": "þ",
    "TH": "Þ", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ", "textschwa": "ə",
    # punctuation and signs
    "S": "§", "P": "¶", "textsection": "§", "textparagraph": "¶", "copyright": "©",
    "textcopyright": "©", "pounds": "£", "textsterling": "£", "euro": "€", "texteuro": "€",
    "EUR": "€", "textregistered": "®", "texttrademark": "™", "dag": "†", "ddag": "‡",
    "textdagger": "†", "textdaggerdbl": "‡", "ldots": "…", "dots": "…", "textellipsis": "…",
    "textendash": "–", "textemdash": "—", "Dash": "—", "slash": "/", "textslash": "/",
    "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“", "textquotedblright": "”",
    "lq": "‘", "rq": "’", "guillemotleft": "«", "guillemotright": "»", "guillemetleft": "«",
    "guillemetright": "»", "guilsinglleft": "‹", "guilsinglright": "›", "quotedblbase": "„",
    "quotesinglbase": "‚", "textbullet": "•", "textdegree": "°", "textperthousand": "‰",
    "textcent": "¢", "textyen": "¥", "textexclamdown": "¡", "textquestiondown": "¿",
    "textperiodcentered": "·", "textordfeminine": "ª", "textordmasculine": "º", "textmu": "µ", "hyphen": "-",
    "textonehalf": "½", "textonequarter": "¼", "textthreequarters": "¾", "texttimes": "×",
    "textdiv": "÷", "textpm": "±", "textminus": "−", "textnumero": "№", "textcelsius": "℃",
    "hyph": "-", "ampersand": "&",
    # spacing and declarations that only change the look
    "quad": " ", "qquad": " ", "enspace": " ", "thinspace": " ", "space": " ", "newline": " ",
    "par": " ", "linebreak": " ", "break": " ", "relax": "", "protect": "", "nobreak": "",
    "xspace": "", "unskip": "", "ignorespaces": "", "noindent": "", "allowbreak": "",
    "em": "", "it": "", "bf": "", "sc": "", "rm": "", "tt": "", "sl": "", "sf": "", "itshape": "",
    "bfseries": "", "scshape": "", "upshape": "", "slshape": "", "mdseries": "", "rmfamily": "",
    "sffamily": "", "ttfamily": "", "normalfont": "", "tiny": "", "scriptsize": "", "footnotesize": "",
    "small": "", "normalsize": "", "large": "", "Large": "", "LARGE": "", "huge": "", "Huge": "",
    "nolinebreak": "", "frenchspacing": "", "null": "",
    # logos (TUGboat and friends)
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX", "BibLaTeX": "BibLaTeX",
    "AmS": "AMS", "AMS": "AMS", "AmSTeX": "AMS-TeX", "AMSTeX": "AMS-TeX", "AmSLaTeX": "AMS-LaTeX",
    "MF": "Metafont", "MP": "MetaPost", "METAFONT": "METAFONT", "METAPOST": "METAPOST",
    "ConTeXt": "ConTeXt", "XeTeX": "XeTeX", "XeLaTeX": "XeLaTeX", "LuaTeX": "LuaTeX",
    "LuaLaTeX": "LuaLaTeX", "pdfTeX": "pdfTeX", "pdfLaTeX": "pdfLaTeX", "eTeX": "e-TeX",
    "eLaTeX": "e-LaTeX", "TUB": "TUGboat", "TUG": "TUG", "PS": "PostScript", "plainTeX": "plain TeX",
    "SliTeX": "SliTeX", "LAMSTeX": "LAMS-TeX", "ExTeX": "ExTeX", "CTAN": "CTAN", "PiCTeX": "PiCTeX",
    "MFB": "The Metafontbook", "TB": "The TeXbook", "Eplain": "Eplain", "WEB": "WEB", "CWEB": "CWEB",
    "PDF": "PDF", "TeXXeT": "TeX--XeT", "OMEGA": "Omega", "Omega": "Ω", "ppp": "…",
}  # fmt: skip
_GREEK = (
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
    "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
)  # fmt: skip
_SYMBOLS.update(zip(_GREEK, "αβγδεζηθικλμνξοπρστυφχψω", strict=True))
_SYMBOLS.update(
    (letter.capitalize(), capital)
    for letter, capital in zip(_GREEK, "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ", strict=True)
    if letter.capitalize() not in _SYMBOLS
)
_SYMBOLS["varepsilon"] = "ε"
_SYMBOLS["vartheta"] = "ϑ"
_SYMBOLS["varphi"] = "φ"

# Macros whose one argument is the text (the formatting goes): \emph{x} -> x.
_KEEP_ARGUMENT = frozenset(
    """emph textbf textit textsc textrm textsf texttt textup textsl textmd textnormal mbox hbox text
    textsuperscript textsubscript ensuremath underline uline sout textsmallcaps mkbibemph mkbibbold
    mkbibitalic mkbibacro acro acronym textcase MakeTextUppercase MakeTextLowercase bibstring
    textenglish textgerman textfrench textspanish textitalian textrussian textgreek textlatin
    textnoun mkbibsuperscript mkbibsubscript NoCaseChange nocase textnohyphenation nohyphens
    lowercase uppercase MakeUppercase MakeLowercase foreignlanguagetext textsuperior textinferior
    fbox framebox cs cn url path nolinkurl doi""".split()  # noqa: SIM905 - a word list reads better
)
_UPPER = frozenset({"uppercase", "MakeUppercase", "MakeTextUppercase"})
_LOWER = frozenset({"lowercase", "MakeLowercase", "MakeTextLowercase"})
# Arguments read as written, not as LaTeX: `~` in a URL is a tilde, not a space.
_VERBATIM_ARGUMENT = frozenset({"url", "path", "nolinkurl", "doi"})
# Macros whose argument is a sort key or a hyphenation hint, printed as nothing (`{\noopsort{1973b}}1973`).
_DROP_ARGUMENT = frozenset(
    {"noopsort", "SortNoop", "sortnoop", "NOOP", "noop", "hyphenation", "label", "index"}
)
_QUOTE_ARGUMENT = {"enquote": ("“", "”"), "mkbibquote": ("“", "”"), "textquote": ("“", "”")}


class LatexError(Exception):
    """The value cannot be decoded: nested deeper than MAX_DEPTH. `offset` is where, in the value."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


@dataclass(frozen=True)
class Decoded:
    """A value's text, and the macros in it that could not be decoded (kept visible in `text`)."""

    text: str
    unknown: tuple[str, ...] = ()


class _Decoder:
    __slots__ = ("pieces", "position", "unknown")

    def __init__(self, value: str) -> None:
        self.pieces: list[str] = _PIECE.findall(value)
        self.position = 0
        self.unknown: dict[str, None] = {}

    def offset(self) -> int:
        return sum(len(piece) for piece in self.pieces[: self.position])

    def sequence(self, depth: int, in_group: bool) -> str:
        if depth > MAX_DEPTH:
            raise LatexError(self.offset(), f"LaTeX nested deeper than {MAX_DEPTH} levels")
        pieces = self.pieces
        out: list[str] = []
        while self.position < len(pieces):
            piece = pieces[self.position]
            self.position += 1
            first = piece[0]
            if first == "\\":
                out.append(self.command(piece[1:], depth))
            elif piece == "{":
                out.append(self.sequence(depth + 1, True))
            elif piece == "}":
                if in_group:
                    return "".join(out)
                continue  # a stray closing brace: the reader has checked the balance already
            elif piece == "$":
                out.append(self.math())
            elif piece == "~":
                out.append(" ")
            elif piece == "--":
                out.append("–")
            elif piece == "---":
                out.append("—")
            elif piece == "``":
                out.append("“")
            elif piece == "''":
                out.append("”")
            else:
                out.append(piece)
        return "".join(out)

    def math(self) -> str:
        """`$...$` kept as written (with its dollars): math has no faithful plain-text form."""
        pieces = self.pieces
        start = self.position
        double = start < len(pieces) and pieces[start] == "$"
        end = start + double
        while end < len(pieces) and pieces[end] != "$":
            end += 1
        if end >= len(pieces):
            return "$"  # an unmatched dollar is a dollar
        inner = "".join(pieces[start + double : end])
        self.position = end + 1
        if double and self.position < len(pieces) and pieces[self.position] == "$":
            self.position += 1
            return f"$${inner}$$"
        return f"${inner}$"

    def skip_spaces(self) -> None:
        pieces = self.pieces
        while self.position < len(pieces):
            piece = pieces[self.position]
            if piece.isspace():
                self.position += 1
            elif piece[0].isspace():  # a run of text after the spaces: only the spaces go
                pieces[self.position] = piece.lstrip()
                return
            else:
                return

    def argument(self, depth: int, *, verbatim: bool = False) -> str | None:
        """The next argument: a braced group, a command, or one character; None at the end."""
        self.skip_spaces()
        pieces = self.pieces
        if self.position >= len(pieces):
            return None
        piece = pieces[self.position]
        if piece == "{":
            self.position += 1
            if verbatim:
                return self.raw_group(depth + 1)
            return self.sequence(depth + 1, True)
        if piece == "}":
            return None
        self.position += 1
        if piece[0] == "\\":
            return self.command(piece[1:], depth + 1)
        if len(piece) > 1 and not piece.startswith(("--", "``", "''")):
            # A run of text: the argument is its first character; the rest stays to be read (rewritten
            # in place, not spliced, so a value of many `\"ab` stays linear).
            self.position -= 1
            self.pieces[self.position] = piece[1:]
            return piece[0]
        return piece

    def raw_group(self, depth: int) -> str:
        if depth > MAX_DEPTH:
            raise LatexError(self.offset(), f"LaTeX nested deeper than {MAX_DEPTH} levels")
        pieces = self.pieces
        level = 1
        out: list[str] = []
        while self.position < len(pieces):
            piece = pieces[self.position]
            self.position += 1
            if piece == "{":
                level += 1
                if level > MAX_DEPTH:
                    raise LatexError(self.offset(), f"LaTeX nested deeper than {MAX_DEPTH} levels")
            elif piece == "}":
                level -= 1
                if level == 0:
                    break
            out.append(piece)
        text = "".join(out)
        return re.sub(r"\\([_%&#$~{}])", r"\1", text)

    def command(self, name: str, depth: int) -> str:
        if depth > MAX_DEPTH:  # `\"\"\"...x` or `\emph\emph...`: arguments nested without braces
            raise LatexError(self.offset(), f"LaTeX nested deeper than {MAX_DEPTH} levels")
        if not name:
            return "\\"
        if name in _ACCENTS:
            mark = _ACCENTS[name]
            if name.isalpha():
                self.skip_spaces()
            base = self.argument(depth)
            if not base:  # `\"{}`: the accent alone, as a spacing mark
                return _SPACING_ACCENTS.get(name, "")
            head = _DOTLESS.get(base[0], base[0])
            return unicodedata.normalize("NFC", head + mark) + base[1:]
        symbol = _SYMBOLS.get(name)
        if symbol is not None:
            if name[0].isalpha():
                self.skip_spaces()  # TeX ends a control word at the first non-letter and eats spaces
                self.empty_group()
            return symbol
        if name in _KEEP_ARGUMENT:
            text = self.argument(depth, verbatim=name in _VERBATIM_ARGUMENT) or ""
            if name == "cs":
                return "\\" + text
            if name in _UPPER:
                return text.upper()
            if name in _LOWER:
                return text.lower()
            return text
        if name in _DROP_ARGUMENT:
            self.argument(depth, verbatim=True)
            return ""
        if name in _QUOTE_ARGUMENT:
            opening, closing = _QUOTE_ARGUMENT[name]
            return opening + (self.argument(depth) or "") + closing
        if name == "href":
            self.argument(depth, verbatim=True)  # the address: kept where the field is a URL (see urls)
            return self.argument(depth) or ""
        if name in ("foreignlanguage", "textlang", "hyphenrules", "otherlanguage"):
            self.argument(depth, verbatim=True)  # the language name
            return self.argument(depth) or ""
        if name == "meta":
            return "⟨" + (self.argument(depth) or "") + "⟩"
        return self.unknown_command(name, depth)

    def empty_group(self) -> None:
        pieces = self.pieces
        if (
            self.position + 1 < len(pieces)
            and pieces[self.position] == "{"
            and pieces[self.position + 1] == "}"
        ):
            self.position += 2

    def unknown_command(self, name: str, depth: int) -> str:
        """`\\foo{bar}` kept as visible text (arguments decoded), and named for the report."""
        self.unknown[f"\\{name}"] = None
        parts = [f"\\{name}"]
        pieces = self.pieces
        while self.position < len(pieces) and pieces[self.position] == "{":
            self.position += 1
            parts.append("{" + self.sequence(depth + 1, True) + "}")
        # TeX would eat the spaces after a control word; keeping one keeps the text readable.
        if (
            len(parts) == 1
            and name[0].isalpha()
            and self.position < len(pieces)
            and pieces[self.position][0].isspace()
        ):
            parts.append(" ")
        return "".join(parts)


def decode(value: str) -> Decoded:
    """A BibTeX value (LaTeX) as one line of Unicode text; raises LatexError for nesting too deep."""
    decoder = _Decoder(value)
    text = decoder.sequence(0, False)
    return Decoded(" ".join(text.replace("\xa0", " ").split()), tuple(decoder.unknown))


def collapse(value: str) -> str:
    """Spacing collapsed to single spaces: a value with nothing to decode."""
    return " ".join(value.split())
