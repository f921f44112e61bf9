"""Property tests of the eligibility engine against a brute-force oracle.

The oracle is independent of the engine: a plain-Python reading of each rule of eligibility-rules.md on
*complete* profiles (``REFERENCE``), and exhaustive enumeration of completions over small domains that
contain every boundary of the spec. It checks that the engine's status and ``missing`` are exactly what
the definitions say.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations, product
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.eligibility import FIELDS, RULE_IDS, RequestError, evaluate, parse_request
from portal.eligibility.rules import RULES_BY_ID

SETTINGS = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

E, NE, R, MORE = "eligible", "not_eligible", "needs_review", "need_more_info"
POOR = {"tekun", "dibao", "dibao_edge", "low_income"}


# --- the reference reading of the spec, on complete profiles -------------------------------------
def has(p: dict, c: str) -> bool:
    return p["category"] == c or (p["category"] == "multiple" and c in p["multiple_includes"])


def severe(p: dict) -> bool:
    return p["grade"] in (1, 2)


def poor(p: dict) -> bool:
    return p["household"] in POOR


def _base(p: dict, cert: bool = True) -> str | None:
    """Cash benefits and social insurance: a Dazu hukou, then (where needed) a certificate."""
    if p["hukou"] != "dazu":
        return NE
    if cert and not p["certificate"]:
        return NE
    return None


def resident(p: dict) -> bool:
    """Services: a Dazu hukou or a Dazu residence permit counts as living in Dazu."""
    return p["hukou"] == "dazu" or p["residence_permit"]


def service(rule: Callable[[dict], str]) -> Callable[[dict], str]:
    """The revised spec's residence for services: whoever would qualify (or be reviewed) without living
    in Dazu is reviewed; residence alone never makes an answer not_eligible."""

    def decide(p: dict) -> str:
        status = rule(p)
        return R if status in (E, R) and not resident(p) else status

    return decide


def living(p: dict) -> str:
    if _base(p) or p["orphan"] or p["household"] == "tekun":
        return NE
    if p["household"] == "dibao":
        return E
    return R if p["household"] in ("dibao_edge", "low_income") else NE


def nursing(p: dict) -> str:
    if _base(p) or p["work_injury_nursing"] or not p["long_term_care"]:
        return NE
    widened = p["grade"] in (3, 4) and (has(p, "intellectual") or has(p, "mental"))
    if p["household"] == "tekun":  # whether 特困供养 and the allowance combine is reviewed
        return R if severe(p) or widened else NE
    if severe(p):
        return E
    return R if widened else NE


def dibao(p: dict) -> str:
    if _base(p) or p["household"] in ("dibao", "tekun"):
        return NE
    return E if severe(p) and p["household"] == "dibao_edge" else R


@service
def sunshine(p: dict) -> str:
    if not p["certificate"] or not 16 <= p["age"] <= 59:
        return NE
    ok = has(p, "intellectual") or has(p, "mental") or (has(p, "physical") and severe(p))
    return E if ok else NE


@service
def care(p: dict) -> str:
    if not p["certificate"] or not severe(p):
        return NE
    if p["household"] == "tekun":
        return R
    return E if p["household"] in ("dibao", "dibao_edge", "low_income") else NE


def pension(p: dict) -> str:
    if _base(p) or not 16 <= p["age"] <= 59 or p["student"] or p["employment"] == "employed":
        return NE
    return E if severe(p) or p["household"] in ("tekun", "dibao") else NE


def fuel(p: dict) -> str:
    if _base(p):
        return NE
    return E if has(p, "physical") and p["lower_limb"] and p["motorized_wheelchair"] else NE


def startup(p: dict) -> str:
    if _base(p) or p["age"] < 16:
        return NE
    return {"self_employed": E, "unemployed": R}.get(p["employment"], NE)


@service
def vocational(p: dict) -> str:
    return NE if not p["certificate"] or p["age"] < 16 else E


@service
def precision(p: dict) -> str:
    return E if p["certificate"] else NE


def child(p: dict) -> str:
    if p["age"] >= 16:
        return NE
    if p["age"] >= 7:
        return E if p["hukou"] == "dazu" and p["certificate"] else NE
    if not (p["hukou"] == "dazu" or p["residence_permit"]) or p["category"] is None:
        return NE
    if poor(p) or p["orphan"]:
        return E
    return R  # household == none


@service
def assistive(p: dict) -> str:
    return E if p["certificate"] and (severe(p) or poor(p)) else NE


@service
def incontinence(p: dict) -> str:
    if not p["certificate"] or not p["incontinence"]:
        return NE
    return E if severe(p) else R


@service
def education(p: dict) -> str:
    if not p["student"] or not poor(p):
        return NE
    return E if p["certificate"] else R  # no certificate: what proof 区教委 accepts is reviewed


@service
def home(p: dict) -> str:
    return E if p["certificate"] and severe(p) and poor(p) else NE


def legal(p: dict) -> str:  # no residence condition
    if not p["certificate"]:
        return NE
    return E if not p["fixed_income"] or p["household"] in ("tekun", "dibao") else R


@service
def assessment(p: dict) -> str:
    return E if poor(p) else R  # 重度 is known only after the assessment


REFERENCE: dict[str, Callable[[dict], str]] = {
    "living-subsidy": living, "nursing-subsidy": nursing, "dibao": dibao, "sunshine-home": sunshine,
    "care-services": care, "pension-insurance": pension, "fuel-subsidy": fuel, "startup-subsidy": startup,
    "vocational-training": vocational, "precision-rehab": precision, "child-rehab": child,
    "assistive-devices": assistive, "incontinence-supplies": incontinence, "education-aid": education,
    "home-accessibility": home, "legal-aid": legal, "assessment-subsidy": assessment,
}  # fmt: skip

# --- oracle domains: small, but containing every boundary the spec names --------------------------
INCLUDES_ITEMS = ("physical", "intellectual", "mental", "visual")
ORACLE_DOMAINS: dict[str, tuple[Any, ...]] = {
    "age": (0, 3, 6, 7, 10, 15, 16, 30, 59, 60, 85, 120),
    "grade": (1, 2, 3, 4),
    # None: no category at all (no diagnosis); multiple_includes is enumerated only with `multiple`
    "category": (*FIELDS["category"].allowed, None),
    "multiple_includes": tuple(
        frozenset(c) for k in range(len(INCLUDES_ITEMS) + 1) for c in combinations(INCLUDES_ITEMS, k)
    ),
}
for _name, _meta in FIELDS.items():
    if _meta.type == "bool":
        ORACLE_DOMAINS[_name] = (False, True)
    elif _meta.type == "enum" and _name != "category":
        ORACLE_DOMAINS[_name] = tuple(_meta.allowed)
DEFAULTS = {"orphan": False, "work_injury_nursing": False}


def completions(rule_id: str, profile: dict) -> list[dict]:
    """Every complete assignment of the rule's fields consistent with ``profile`` (valid ones only:
    ``multiple_includes`` exists exactly when ``category == multiple``)."""
    reads = RULES_BY_ID[rule_id].reads
    fixed = {k: v for k, v in profile.items() if k in reads}
    for k, v in DEFAULTS.items():
        if k in reads:
            fixed.setdefault(k, v)
    free = [f for f in reads if f not in fixed and f != "multiple_includes"]
    out = []
    for values in product(*(ORACLE_DOMAINS[f] for f in free)):
        full = {**fixed, **dict(zip(free, values, strict=True))}
        if "multiple_includes" in reads:
            if full.get("category") != "multiple":
                out.append({**full, "multiple_includes": None})
            elif "multiple_includes" in fixed:
                out.append(full)
            else:
                out += [{**full, "multiple_includes": inc} for inc in ORACLE_DOMAINS["multiple_includes"]]
        else:
            out.append(full)
    return out


def oracle(rule_id: str, profile: dict) -> tuple[str, list[str]]:
    """(status, missing) by definition: decided iff every completion agrees; a field is missing iff two
    completions that differ only in it get different statuses."""
    reads = RULES_BY_ID[rule_id].reads
    ref = REFERENCE[rule_id]
    rows = [(c, ref(c)) for c in completions(rule_id, profile)]
    statuses = {s for _, s in rows}
    if len(statuses) == 1:
        return statuses.pop(), []
    askable = [f for f in reads if f not in profile and f not in DEFAULTS]
    missing = []
    for f in askable:
        seen: dict[tuple, set[str]] = {}
        for c, s in rows:
            key = tuple((g, c[g]) for g in askable if g != f)
            seen.setdefault(key, set()).add(s)
        if any(len(v) > 1 for v in seen.values()):
            missing.append(f)
    order = list(FIELDS)
    return MORE, sorted(missing, key=order.index)


def engine(rule_id: str, profile: dict) -> tuple[str, list[str]]:
    (result,) = evaluate(profile, [rule_id])
    return result["status"], result["missing"]


# --- strategies ----------------------------------------------------------------------------------
def value_of(name: str) -> st.SearchStrategy:
    meta = FIELDS[name]
    if meta.type == "int":
        return st.integers(meta.min, meta.max)
    if meta.type == "bool":
        return st.booleans()
    if meta.type == "enum":
        return st.sampled_from(meta.allowed)
    return st.lists(st.sampled_from(meta.allowed), max_size=4, unique=True)


@st.composite
def profiles(draw, fields: tuple[str, ...] | None = None) -> dict:
    names = fields or tuple(FIELDS)
    chosen = draw(st.sets(st.sampled_from(names)))
    profile = {n: draw(value_of(n)) for n in names if n in chosen}
    if profile.get("category") != "multiple":
        profile.pop("multiple_includes", None)
    return profile


rule_ids = st.sampled_from(RULE_IDS)


@st.composite
def rule_and_profile(draw) -> tuple[str, dict]:
    rule_id = draw(rule_ids)
    return rule_id, draw(profiles(RULES_BY_ID[rule_id].reads))


# --- properties ----------------------------------------------------------------------------------
@SETTINGS
@given(rule_and_profile())
def test_engine_matches_brute_force_oracle(case: tuple[str, dict]) -> None:
    rule_id, profile = case
    assert engine(rule_id, profile) == oracle(rule_id, profile)


def test_engine_matches_oracle_on_empty_and_single_fact_profiles() -> None:
    for rule_id in RULE_IDS:
        assert engine(rule_id, {}) == oracle(rule_id, {}), rule_id
        for name in RULES_BY_ID[rule_id].reads:
            if name == "multiple_includes":
                continue
            for value in ORACLE_DOMAINS[name]:
                if value is None:
                    continue
                profile = {name: value}
                assert engine(rule_id, profile) == oracle(rule_id, profile), (rule_id, profile)


@SETTINGS
@given(rule_ids, profiles(), st.data())
def test_adding_a_fact_never_undecides(rule_id: str, profile: dict, data: st.DataObject) -> None:
    before = engine(rule_id, profile)
    absent = [n for n in FIELDS if n not in profile]
    if profile.get("category") != "multiple":
        absent = [n for n in absent if n != "multiple_includes"]
    if not absent:
        return
    name = data.draw(st.sampled_from(absent))
    # the exclusion flags are already known (false) when absent: "adding" them means stating false
    value = False if name in DEFAULTS else data.draw(value_of(name))
    after = engine(rule_id, {**profile, name: value})
    if before[0] != MORE:
        assert after == (before[0], [])
    else:
        assert set(after[1]) <= set(before[1])


@SETTINGS
@given(rule_ids, profiles(), profiles(), st.sampled_from(["zh", "en"]))
def test_answer_depends_only_on_declared_facts(rule_id: str, mine: dict, other: dict, lang: str) -> None:
    reads = set(RULES_BY_ID[rule_id].reads)
    own = {k: v for k, v in mine.items() if k in reads}
    mixed = {**own, **{k: v for k, v in other.items() if k not in reads}}
    if mixed.get("category") != "multiple":
        mixed.pop("multiple_includes", None)
    assert evaluate(mixed, [rule_id], lang) == evaluate(own, [rule_id], lang)


@SETTINGS
@given(profiles(), st.sampled_from(["zh", "en"]))
def test_every_answer_is_well_formed(profile: dict, lang: str) -> None:
    results = evaluate(profile, lang=lang)
    assert [r["benefit"] for r in results] == list(RULE_IDS)
    for r in results:
        assert r["status"] in (E, NE, R, MORE)
        assert (r["status"] == MORE) == bool(r["missing"])
        assert set(r["missing"]) <= set(RULES_BY_ID[r["benefit"]].reads) - set(profile) - set(DEFAULTS)
        assert r["reasons"] and all(isinstance(x, str) and x for x in r["reasons"])
        assert "{" not in "".join(r["reasons"]) + r["next_step"]


# --- parse_request never fails with anything but RequestError -------------------------------------
json_scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=12)
json_values = st.recursive(
    json_scalars | st.sampled_from(["dazu", "multiple", "physical", "zh", "en", *RULE_IDS]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
near_profiles = st.dictionaries(
    st.sampled_from([*FIELDS, "nope"]), json_values | st.one_of(*(value_of(n) for n in FIELDS)), max_size=6
)
near_bodies = st.fixed_dictionaries(
    {},
    optional={
        "profile": near_profiles | json_values,
        "benefits": st.lists(st.sampled_from(RULE_IDS) | json_scalars, max_size=4) | json_values,
        "lang": st.sampled_from(["zh", "en", "fr", None]) | json_values,
        "extra": json_values,
    },
)


@SETTINGS
@given(json_values | near_bodies, st.sampled_from(["zh", "en", "xx"]))
def test_parse_request_raises_only_request_error(body: object, lang: str) -> None:
    try:
        request = parse_request(body, lang)
    except RequestError as exc:
        assert isinstance(exc.field, str) and exc.message
        return
    results = evaluate(request.profile, request.benefits, request.lang)
    assert len(results) == (len(RULE_IDS) if request.benefits is None else len(set(request.benefits)))
