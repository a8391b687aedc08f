"""The Terraform bridge's naming rule, for generating `preflight/tfplan/gcp_fields.json`.

pulumi-terraform-bridge names a property by camel-casing the Terraform attribute, after
pluralizing it when Terraform holds a list or set that Pulumi keeps as an array
(`lifecycle_rule` -> `lifecycleRules`). Its pluralizer is gedex/inflector (CakePHP's rules); this
is that pluralizer's `Pluralize`, rule for rule, so the generated names equal the bridge's.
"""

from __future__ import annotations

import re

_UNINFLECTED = [
    "Amoyese",
    "bison",
    "Borghese",
    "bream",
    "breeches",
    "britches",
    "buffalo",
    "cantus",
    "carp",
    "chassis",
    "clippers",
    "cod",
    "coitus",
    "Congoese",
    "contretemps",
    "corps",
    "debris",
    "diabetes",
    "djinn",
    "eland",
    "elk",
    "equipment",
    "Faroese",
    "flounder",
    "Foochowese",
    "gallows",
    "Genevese",
    "Genoese",
    "Gilbertese",
    "graffiti",
    "headquarters",
    "herpes",
    "hijinks",
    "Hottentotese",
    "information",
    "innings",
    "jackanapes",
    "Kiplingese",
    "Kongoese",
    "Lucchese",
    "mackerel",
    "Maltese",
    ".*?media",
    "mews",
    "moose",
    "mumps",
    "Nankingese",
    "news",
    "nexus",
    "Niasese",
    "Pekingese",
    "Piedmontese",
    "pincers",
    "Pistoiese",
    "pliers",
    "Portuguese",
    "proceedings",
    "rabies",
    "rice",
    "rhinoceros",
    "salmon",
    "Sarawakese",
    "scissors",
    "sea[- ]bass",
    "series",
    "Shavese",
    "shears",
    "siemens",
    "species",
    "swine",
    "testes",
    "trousers",
    "trout",
    "tuna",
    "Vermontese",
    "Wenchowese",
    "whiting",
    "wildebeest",
    "Yengeese",
]
_UNINFLECTED_PLURALS = [".*[nrlm]ese", ".*deer", ".*fish", ".*measles", ".*ois", ".*pox"]
_UNINFLECTED_PLURALS += [".*sheep", "people"]
_IRREGULAR = {
    "atlas": "atlases",
    "beef": "beefs",
    "brother": "brothers",
    "cafe": "cafes",
    "child": "children",
    "cookie": "cookies",
    "corpus": "corpuses",
    "cow": "cows",
    "ganglion": "ganglions",
    "genie": "genies",
    "genus": "genera",
    "graffito": "graffiti",
    "hoof": "hoofs",
    "loaf": "loaves",
    "man": "men",
    "money": "monies",
    "mongoose": "mongooses",
    "move": "moves",
    "mythos": "mythoi",
    "niche": "niches",
    "numen": "numina",
    "occiput": "occiputs",
    "octopus": "octopuses",
    "opus": "opuses",
    "ox": "oxen",
    "penis": "penises",
    "person": "people",
    "sex": "sexes",
    "soliloquy": "soliloquies",
    "testis": "testes",
    "trilby": "trilbys",
    "turf": "turfs",
    "potato": "potatoes",
    "hero": "heroes",
    "tooth": "teeth",
    "goose": "geese",
    "foot": "feet",
}
# (pattern, replacement); Go's `${n}` for a group that did not take part is empty, as in Python.
_RULES: list[tuple[str, str]] = [
    (r"(?i)(s)tatus$", r"\1tatuses"),
    (r"(?i)(quiz)$", r"\1zes"),
    (r"(?i)^(ox)$", r"\1en"),
    (r"(?i)([m|l])ouse$", r"\1ice"),
    (r"(?i)(matr|vert|ind)(ix|ex)$", r"\1ices"),
    (r"(?i)(x|ch|ss|sh)$", r"\1es"),
    (r"(?i)([^aeiouy]|qu)y$", r"\1ies"),
    (r"(?i)(hive)$", r"\1s"),
    (r"(?i)(?:([^f])fe|([lre])f)$", r"\1\2ves"),
    (r"(?i)sis$", "ses"),
    (r"(?i)([ti])um$", r"\1a"),
    (r"(?i)(p)erson$", r"\1eople"),
    (r"(?i)(m)an$", r"\1en"),
    (r"(?i)(c)hild$", r"\1hildren"),
    (r"(?i)(buffal|tomat)o$", r"\1oes"),
    (
        r"(?i)(alumn|bacill|cact|foc|fung|nucle|radi|stimul|syllab|termin|vir)us$",
        r"\1i",
    ),
    (r"(?i)us$", "uses"),
    (r"(?i)(alias)$", r"\1es"),
    (r"(?i)(ax|cris|test)is$", r"\1es"),
    (r"s$", "s"),
    (r"^$", ""),
    (r"$", "s"),
]
_UNINFLECTED_RE = re.compile(
    r"(?i)(^(?:%s))$" % "|".join(_UNINFLECTED + _UNINFLECTED_PLURALS)  # noqa: UP031
)
_IRREGULAR_RE = re.compile(r"(?i)(.*)\b((?:%s))$" % "|".join(_IRREGULAR))  # noqa: UP031
_COMPILED = [(re.compile(pattern), replacement) for pattern, replacement in _RULES]


def pluralize(word: str) -> str:
    """gedex/inflector's Pluralize."""
    irregular = _IRREGULAR_RE.match(word)
    if irregular:
        # As the Go code does: the first letter comes from the whole word.
        return irregular.group(1) + word[0:1] + _IRREGULAR[irregular.group(2).lower()][1:]
    if _UNINFLECTED_RE.match(word):
        return word
    for pattern, replacement in _COMPILED:
        if pattern.search(word):
            # Go's ReplaceAllString: `$` matches once at the end, as re.sub does with count=1.
            return pattern.sub(replacement, word, count=1)
    return word


def camel_case(name: str) -> str:
    """The bridge's camel-casing of a Terraform attribute name (`ip_configuration` -> ...)."""
    result, next_cap, started = "", False, False
    for char in name:
        if char == "_" and started:
            next_cap = True
            continue
        started = started or char != "_"
        result += char.upper() if next_cap and "a" <= char <= "z" else char
        next_cap = False
    return result + ("_" if name.endswith("_") and started else "")


def pulumi_names(tf_name: str, max_items_one: bool) -> list[str]:
    """The Pulumi property names a Terraform list attribute may carry, most likely first.

    A list Pulumi keeps as an array is pluralized, unless Terraform caps it at one item, which
    the metadata does not say: both spellings are returned for arrays.
    """
    if max_items_one:
        return [camel_case(tf_name)]
    names = [camel_case(pluralize(tf_name)), camel_case(tf_name)]
    return list(dict.fromkeys(names))
