"""Turns what residents type into the profile values of eligibility-rules.md.

The words live in lexicon.yml; this module holds only the matching logic. Every parser returns
None when it cannot tell, so the form asks again instead of guessing.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent

CATEGORIES = ("visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple", "autism")
HOUSEHOLDS = ("tekun", "dibao", "dibao_edge", "low_income", "none")
HUKOU = ("dazu", "chongqing", "other")
EMPLOYMENT = ("employed", "self_employed", "unemployed", "retired", "unable")
BOOL_FIELDS = (
    "residence_permit",
    "certificate",
    "long_term_care",
    "work_injury_nursing",
    "orphan",
    "incontinence",
    "lower_limb",
    "motorized_wheelchair",
    "student",
    "fixed_income",
)


@cache
def lexicon() -> dict[str, Any]:
    with open(HERE / "lexicon.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _clean(value: Any) -> str:
    return str(value).strip().lower() if value is not None else ""


def _longest_match(text: str, table: dict[Any, list[str]]) -> Any | None:
    """The key whose word occurs in `text`, preferring the longest word (低保边缘 over 低保)."""
    best: tuple[int, Any | None] = (0, None)
    for key, words in table.items():
        for word in words:
            w = str(word).lower()
            if w and w in text and len(w) > best[0]:
                best = (len(w), key)
    return best[1]


def chinese_number(token: str) -> int | None:
    """'七十二' -> 72, '十五' -> 15, '一百零五' -> 105, '二' -> 2; None if not a numeral."""
    nums = lexicon()["numerals"]
    digits: dict[str, int] = nums["digits"]
    units: dict[str, int] = nums["units"]
    if not token or any(ch not in digits and ch not in units for ch in token):
        return None
    total, current = 0, 0
    for ch in token:
        if ch in digits:
            current = digits[ch]
        else:
            unit = units[ch]
            total += (current or 1) * unit
            current = 0
    return total + current


def _numbers(text: str) -> list[int]:
    nums = lexicon()["numerals"]
    chars = "".join(list(nums["digits"]) + list(nums["units"]))
    found: list[int] = []
    for match in re.finditer(rf"\d+|[{chars}]+", text):
        token = match.group()
        value = int(token) if token.isdigit() else chinese_number(token)
        if value is not None:
            found.append(value)
    return found


def parse_age(value: Any) -> int | None:
    """An age 0-120 from 72, '72岁', '七十二', '我老汉七十二了'."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if 0 <= value <= 120 else None
    text = _clean(value)
    nums = lexicon()["numerals"]
    chars = "".join(list(nums["digits"]) + list(nums["units"]))
    suffixes = "|".join(re.escape(s) for s in lexicon()["age_suffix"])
    tagged = re.search(rf"(\d+|[{chars}]+)\s*(?:{suffixes})", text)
    if tagged:
        token = tagged.group(1)
        age = int(token) if token.isdigit() else chinese_number(token)
        return age if age is not None and 0 <= age <= 120 else None
    numbers = [n for n in _numbers(text) if 0 <= n <= 120]
    return numbers[0] if len(numbers) == 1 else None


def parse_grade(value: Any) -> int | None:
    """A grade 1-4 from 1, '一级', '2级', '重度', or a bare '一'/'3'."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if 1 <= value <= 4 else None
    text = _clean(value)
    grade = _longest_match(text, lexicon()["grade"])
    if grade is not None:
        return int(grade)
    numbers = _numbers(text)
    if len(numbers) == 1 and 1 <= numbers[0] <= 4 and len(text) <= 4:
        return numbers[0]
    return None


def parse_category(value: Any) -> str | None:
    text = _clean(value)
    if text in CATEGORIES:
        return text
    if text == "child-rehab":  # the entity synonym of 自闭症 / 孤独症
        return "autism"
    return _longest_match(text, lexicon()["category"])


def parse_categories(value: Any) -> list[str] | None:
    """Two or more categories for `multiple_includes` ('视力和肢体')."""
    if isinstance(value, list):
        found = [c for c in (parse_category(v) for v in value) if c and c != "multiple"]
    else:
        text = _clean(value)
        found = []
        for key, words in lexicon()["category"].items():
            if key != "multiple" and any(str(w).lower() in text for w in words):
                found.append(key)
    unique = sorted(set(found))
    return unique if len(unique) >= 2 else None


def parse_household(value: Any) -> str | None:
    text = _clean(value)
    if text in HOUSEHOLDS:
        return text
    return _longest_match(text, lexicon()["household"])


def parse_hukou(value: Any) -> str | None:
    text = _clean(value)
    if text in HUKOU:
        return text
    return _longest_match(text, lexicon()["hukou"])


def parse_employment(value: Any) -> str | None:
    text = _clean(value)
    if text in EMPLOYMENT:
        return text
    return _longest_match(text, lexicon()["employment"])


def parse_bool(value: Any, intent: str | None = None) -> bool | None:
    """True/False from the affirm/deny intent, or from 有/没有/是/不是 in the text."""
    if isinstance(value, bool):
        return value
    text = _clean(value)
    if text in ("/affirm", "true"):
        return True
    if text in ("/deny", "false"):
        return False
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    lex = lexicon()
    if any(str(w).lower() in text for w in lex["no_words"]):
        return False
    if any(str(w).lower() in text for w in lex["yes_words"]):
        return True
    return None


def mentions_two_subsidies(value: Any) -> bool:
    text = _clean(value)
    return any(str(w) in text for w in lexicon()["two_subsidies"])


# slot name -> (profile field, parser); the profile is what POST /api/v1/eligibility accepts
SLOT_TO_FIELD: dict[str, str] = {
    "age": "age",
    "disability_category": "category",
    "disability_grade": "grade",
    "multiple_includes": "multiple_includes",
    "household": "household",
    "hukou": "hukou",
    "employment": "employment",
    **{f: f for f in BOOL_FIELDS},
}
FIELD_TO_SLOT: dict[str, str] = {v: k for k, v in SLOT_TO_FIELD.items()}


def parse_slot(slot: str, value: Any, intent: str | None = None) -> Any:
    """Parse a profile slot's raw value; None when it cannot be understood."""
    if value is None:
        return None
    if slot == "age":
        return parse_age(value)
    if slot == "disability_grade":
        return parse_grade(value)
    if slot == "disability_category":
        return parse_category(value)
    if slot == "multiple_includes":
        return parse_categories(value)
    if slot == "household":
        return parse_household(value)
    if slot == "hukou":
        return parse_hukou(value)
    if slot == "employment":
        return parse_employment(value)
    if slot in BOOL_FIELDS:
        return parse_bool(value, intent)
    raise KeyError(slot)


def build_profile(slots: dict[str, Any]) -> dict[str, Any]:
    """The eligibility profile from the tracker's slots, leaving out what is unknown or unreadable."""
    profile: dict[str, Any] = {}
    for slot, field_name in SLOT_TO_FIELD.items():
        parsed = parse_slot(slot, slots.get(slot))
        if parsed is not None:
            profile[field_name] = parsed
    if profile.get("category") != "multiple":
        profile.pop("multiple_includes", None)
    return profile


# --- every fact from a whole sentence ----------------------------------------------------------

_CLAUSE = re.compile(r"[，,。；;！!？?\n]+")
_STRIP_BEFORE_FACTS = (
    "重度残疾人护理补贴",
    "困难残疾人生活补贴",
    "重度残疾人",
    "困难残疾人",
    "残疾学生",
    "残疾儿童",
    "孤独症儿童",
    "pension insurance",
    "legal aid",
)


def _has(text: str, phrase: str) -> bool:
    """`phrase` occurs in `text`; ASCII phrases only as whole words ('leg' is not in 'legal')."""
    p = str(phrase).lower()
    if not p:
        return False
    if p.isascii():
        return re.search(rf"(?<![a-z]){re.escape(p)}(?![a-z])", text) is not None
    return p in text


def _longest(text: str, table: dict[Any, list[str]], skip: list[str] | tuple[str, ...] = ()) -> Any | None:
    best: tuple[int, Any | None] = (0, None)
    skipped = {str(s).lower() for s in skip}
    for key, words in table.items():
        for word in words:
            w = str(word).lower()
            if w in skipped:
                continue
            if _has(text, w) and len(w) > best[0]:
                best = (len(w), key)
    return best[1]


def _age_in(text: str) -> int | None:
    nums = lexicon()["numerals"]
    chars = "".join(list(nums["digits"]) + list(nums["units"]))
    number = rf"(\d{{1,3}}|[{chars}]+)"
    patterns = (
        rf"{number}\s*[多几来]?\s*(?:周岁|岁)",
        rf"今年\s*{number}",
        rf"{number}\s*多?\s*了",
        r"(?<![a-z])(?:is|am|i'm|im|aged|age|turned)\s+(\d{1,3})(?![\d%])(?!\s*(?:km|yuan|rmb|kg|percent))",
        r"(\d{1,3})\s*(?:-|\s)?(?:years?|yrs?)(?:\s*-?\s*old)?",
        r"(\d{1,3})\s*(?:yo|y/o)(?![a-z])",
    )
    for pattern in patterns:
        match = re.search(pattern, text)
        if match:
            token = match.group(1)
            age = int(token) if token.isdigit() else chinese_number(token)
            if age is not None and 0 <= age <= 120:
                return age
    return None


def _categories_in(text: str) -> list[str]:
    facts = lexicon()["facts"]
    table: dict[str, list[str]] = {}
    for key, words in lexicon()["category"].items():
        table.setdefault(key, []).extend(words)
    for key, words in facts["category_extra"].items():
        table.setdefault(key, []).extend(words)
    found: list[str] = []
    for clause in _CLAUSE.split(text):
        remaining = clause
        while True:  # longest word first, then look again in what is left (视力和肢体)
            best: tuple[int, str | None, str] = (0, None, "")
            for key, words in table.items():
                for word in words:
                    w = str(word).lower()
                    if w and _has(remaining, w) and len(w) > best[0]:
                        best = (len(w), key, w)
            if best[1] is None:
                break
            if best[1] not in found:
                found.append(best[1])
            remaining = remaining.replace(best[2], " ")
    return found


def extract_facts(value: Any) -> dict[str, Any]:
    """Every profile fact a message states, as slot -> profile value (72, "physical", 2, True ...).

    Only phrases that name the fact count (有证, 长期有人照顾, 户口在大足), never a bare 有/没有, so a sentence
    answering one question can also fill the others without guessing."""
    text = _clean(value)
    if not text or text.startswith("/"):
        return {}
    for phrase in _STRIP_BEFORE_FACTS:
        text = text.replace(phrase, " ")
    lex = lexicon()
    facts_lex = lex["facts"]
    found: dict[str, Any] = {}
    age = _age_in(text)
    if age is not None:
        found["age"] = age
    categories = [c for c in _categories_in(text) if c != "multiple"]
    if len(categories) >= 2:
        found["disability_category"] = "multiple"
        found["multiple_includes"] = sorted(categories)
    elif categories:
        found["disability_category"] = categories[0]
    elif _longest(text, {"multiple": lex["category"]["multiple"]}):
        found["disability_category"] = "multiple"
    grade = _longest(text, lex["grade"])
    if grade is not None:
        found["disability_grade"] = int(grade)
    # 莫得低保, 不是特困: a household it is not; what is left says which it is (不是特困户，是低保)
    negated = sorted(
        {
            f"{neg}{w}"
            for neg in facts_lex["negations"]
            for k, ws in lex["household"].items()
            if k != "none"
            for w in ws
        },
        key=len,
        reverse=True,
    )
    unnegated = text
    for phrase in negated:
        unnegated = unnegated.replace(phrase, " ")
    household = _longest(unnegated, lex["household"], facts_lex["skip"]["household"])
    if household is None and unnegated != text:
        household = "none"
    if household is not None:
        found["household"] = household
    hukou = _longest(text, facts_lex["hukou_phrases"])
    if hukou is None:
        for clause in _CLAUSE.split(text):
            if any(_has(clause, m) for m in facts_lex["hukou_markers"]):
                hukou = _longest(clause, lex["hukou"], facts_lex["skip"]["hukou"])
                if hukou is not None:
                    break
    bare = re.sub(r"[\s，,。！!？?的人呀嘛哦噻]+", "", text)
    if hukou is None and bare:  # "大足的" on its own answers where the hukou is
        hukou = next((k for k, words in lex["hukou"].items() if bare in [str(w).lower() for w in words]), None)
    if hukou is not None:
        found["hukou"] = hukou
    employment = _longest(text, lex["employment"], facts_lex["skip"]["employment"])
    if employment is not None:
        found["employment"] = employment
    for slot in BOOL_FIELDS:
        words = facts_lex.get(slot)
        if not words:
            continue
        no_words = [*(words.get("no") or []), *(_negated_certificate() if slot == "certificate" else ())]
        if any(_has(text, w) for w in no_words):
            found[slot] = False
        elif any(_has(text, w) for w in words.get("yes") or []):
            found[slot] = True
    return found


def is_correction(value: Any) -> bool:
    """The message corrects something said before (不对，是二级 / no wait, grade 2)."""
    text = _clean(value)
    return any(_has(text, w) for w in lexicon()["facts"]["corrections"])


def asks_for_all_benefits(value: Any) -> bool:
    """我能领哪些补贴 / what can I get: the question is about every benefit, not one."""
    text = _clean(value)
    return any(_has(text, w) for w in lexicon()["all_benefits"])


def strip_question(value: Any) -> str:
    """The message without its "what can I get" words: what is left names the need (瘫痪在床)."""
    text = _clean(value)
    for phrase in sorted(lexicon()["all_benefits"], key=len, reverse=True):
        text = text.replace(str(phrase).lower(), " ")
    return re.sub(r"[\s，,。？?！!]+", " ", text).strip()


@cache
def benefit_names() -> dict[str, str]:
    """What residents call a benefit -> its policy id, from the NLU synonyms (data/nlu/synonyms.yml): the same
    words, read deterministically when the NLU model has not tagged them."""
    with open(HERE.parent / "data" / "nlu" / "synonyms.yml", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    names: dict[str, str] = {}
    for entry in data.get("nlu") or []:
        pid = str(entry.get("synonym") or "")
        if "-" not in pid and pid != "veterans":
            continue  # the profile values (visual, dibao as a household ...) are not benefit names
        for line in str(entry.get("examples") or "").splitlines():
            word = line.strip().removeprefix("- ").strip().lower()
            if word:
                names.setdefault(word, pid)
    return names


@cache
def _fact_phrases() -> tuple[str, ...]:
    facts = lexicon()["facts"]
    words = [*facts["certificate"]["yes"], *facts["certificate"]["no"], *_negated_certificate()]
    for table in (lexicon()["household"],):
        words += [w for ws in table.values() for w in ws]
    return tuple(str(w).lower() for w in words if len(str(w)) > 1)


@cache
def _negated_certificate() -> tuple[str, ...]:
    """没得残疾证, 还莫得证 ...: every way the lexicon says "not" before every name of the certificate."""
    facts = lexicon()["facts"]
    return tuple(f"{neg}{name}" for neg in facts["negations"] for name in facts["certificate_names"])


def benefit_named(value: Any) -> str | None:
    """The policy id whose name occurs in the message, the longest name first (康复救助 over 康复)."""
    text = _clean(value)
    if not text or text.startswith("/"):
        return None
    for phrase in sorted(_fact_phrases(), key=len, reverse=True):  # 有残疾证 states a fact, names no benefit
        text = text.replace(phrase, " ")
    found = [w for w in benefit_names() if _has(text, w)]
    # the longest name; of two as long, the later one (残疾评定补贴 is a 补贴: the head comes last)
    best = max(found, key=lambda w: (len(w), text.rfind(w)), default=None)
    return benefit_names()[best] if best else None


# --- references and ID numbers in a status question ----------------------------------------------------------

_CODE = re.compile(r"(?<![A-Za-z0-9])([2-9A-HJ-NP-Za-hj-np-z]{4})([\s-]?)([2-9A-HJ-NP-Za-hj-np-z]{4})(?![A-Za-z0-9])")
_ID_NUMBER = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?![\dA-Za-z])")


def status_codes(value: Any) -> tuple[str | None, str | None, str | None]:
    """(reference, access code, ID number) found in a message; the reference is the code starting with the
    kind letter (A application, C complaint), the access code the other one."""
    text = str(value or "")
    id_match = _ID_NUMBER.search(text)
    id_number = id_match.group(1).upper() if id_match else None
    if id_match:
        text = text[: id_match.start()] + " " + text[id_match.end() :]
    # One code in twelve has no digit (22 letters of 30 characters, eight times over: ABCD-EFGH), but English
    # words match the pattern too ("when will", "standard"): a code counts when it has a digit, its hyphen or
    # the capitals the portal shows it in.
    codes = [
        f"{a}-{b}".upper()
        for a, sep, b in _CODE.findall(text)
        if sep == "-" or (a + b).isupper() or any(ch.isdigit() for ch in a + b)
    ]
    reference = next((c for c in codes if c[0] in "AC"), None)
    code = next((c for c in codes if c != reference), None)
    return reference, code, id_number
