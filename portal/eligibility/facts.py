"""The profile schema (the facts a rule can read) and its validation.

Field order here is the order the checker asks in and the order of ``missing`` in answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

CATEGORIES: tuple[str, ...] = (
    "visual",
    "hearing",
    "speech",
    "physical",
    "intellectual",
    "mental",
    "multiple",
    "autism",
)
#: What ``multiple_includes`` may list: every category except ``multiple`` itself.
COMPONENT_CATEGORIES: tuple[str, ...] = tuple(c for c in CATEGORIES if c != "multiple")


@dataclass(frozen=True)
class Field:
    """Metadata of one profile field.

    ``type`` is ``int``, ``bool``, ``enum`` or ``list`` (a list of ``allowed`` values).
    ``default`` is the value assumed when the field is absent (only the exclusion flags have one:
    such a field is never reported as missing). ``requires`` names another field's value that must be
    given for this field to be allowed (``multiple_includes`` needs ``category == multiple``).
    """

    name: str
    type: str
    allowed: tuple[Any, ...] | None = None
    min: int | None = None
    max: int | None = None
    default: Any = None
    requires: tuple[str, str] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


_FIELD_LIST: tuple[Field, ...] = (
    Field("age", "int", min=0, max=120),
    Field("hukou", "enum", allowed=("dazu", "chongqing", "other")),
    Field("residence_permit", "bool"),
    Field("certificate", "bool"),
    Field("category", "enum", allowed=CATEGORIES),
    Field("multiple_includes", "list", allowed=COMPONENT_CATEGORIES, requires=("category", "multiple")),
    Field("grade", "int", min=1, max=4),
    Field("household", "enum", allowed=("tekun", "dibao", "dibao_edge", "low_income", "none")),
    Field("long_term_care", "bool"),
    Field("work_injury_nursing", "bool", default=False),
    Field("orphan", "bool", default=False),
    Field("incontinence", "bool"),
    Field("lower_limb", "bool"),
    Field("motorized_wheelchair", "bool"),
    Field("student", "bool"),
    Field("employment", "enum", allowed=("employed", "self_employed", "unemployed", "retired", "unable")),
    Field("fixed_income", "bool"),
)

#: Field metadata by name, in schema order.
FIELDS: Mapping[str, Field] = {f.name: f for f in _FIELD_LIST}
FIELD_ORDER: dict[str, int] = {name: i for i, name in enumerate(FIELDS)}
DEFAULTS: dict[str, Any] = {f.name: f.default for f in _FIELD_LIST if f.default is not None}


class ProfileError(ValueError):
    """A profile value violates the schema. ``code`` selects the message; ``params`` fill it."""

    def __init__(self, field_path: str, code: str, **params: Any) -> None:
        super().__init__(f"{field_path}: {code} {params}")
        self.field = field_path
        self.code = code
        self.params = params


def _is_int(value: object) -> bool:
    return type(value) is int  # bool is a subclass of int and is not accepted


def validate_profile(profile: object, prefix: str = "profile") -> dict[str, Any]:
    """Check a profile against the schema and return it normalised.

    Normalised: keys with value ``None`` are dropped (JSON ``null`` means "not given"), and
    ``multiple_includes`` becomes a ``frozenset``. Raises ``ProfileError`` on the first problem, in
    schema order after unknown keys.
    """
    if not isinstance(profile, Mapping):
        raise ProfileError(prefix, "not_object")
    for key in profile:
        if not isinstance(key, str) or key not in FIELDS:
            raise ProfileError(f"{prefix}.{key}", "unknown_field")
    out: dict[str, Any] = {}
    for name, meta in FIELDS.items():
        if name not in profile or profile[name] is None:
            continue
        value = profile[name]
        path = f"{prefix}.{name}"
        if meta.type == "int":
            if not _is_int(value):
                raise ProfileError(path, "wrong_type_int")
            assert meta.min is not None and meta.max is not None  # noqa: S101  (type narrowing of the constant FIELDS schema, which its tests check; never an input check)
            if not meta.min <= value <= meta.max:
                raise ProfileError(path, "out_of_range", min=meta.min, max=meta.max)
            out[name] = value
        elif meta.type == "bool":
            if type(value) is not bool:
                raise ProfileError(path, "wrong_type_bool")
            out[name] = value
        elif meta.type == "enum":
            if not isinstance(value, str):
                raise ProfileError(path, "wrong_type_str")
            assert meta.allowed is not None  # noqa: S101  (type narrowing of the constant FIELDS schema, which its tests check; never an input check)
            if value not in meta.allowed:
                raise ProfileError(path, "not_allowed", allowed=meta.allowed)
            out[name] = value
        else:  # list
            if not isinstance(value, list | tuple | frozenset | set):
                raise ProfileError(path, "wrong_type_list")
            assert meta.allowed is not None  # noqa: S101  (type narrowing of the constant FIELDS schema, which its tests check; never an input check)
            for i, item in enumerate(value if isinstance(value, list | tuple) else sorted(value, key=str)):
                if not isinstance(item, str) or item not in meta.allowed:
                    raise ProfileError(f"{path}[{i}]", "not_category", allowed=meta.allowed)
            out[name] = frozenset(value)
    includes = FIELDS["multiple_includes"].requires
    assert includes is not None  # noqa: S101  (type narrowing of the constant FIELDS schema, which its tests check; never an input check)
    if "multiple_includes" in out and out.get(includes[0]) != includes[1]:
        raise ProfileError(f"{prefix}.multiple_includes", "includes_without_multiple")
    return out
