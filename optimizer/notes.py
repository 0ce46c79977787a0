"""Assumptions behind a result as structured notes: a key and its figures, rendered in English here and in
Danish by ui_text.NOTES, so the committee workbook and the app never show an English sentence."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from optimizer.formats import format_kr, format_number

# English templates; every key has a Danish twin in ui_text.NOTES (a test checks that they match).
TEMPLATES: Mapping[str, str] = MappingProxyType(
    {
        "range_read": "Reach of {id} read as {value} ({policy} of the stated {stated}).",
        "assumed_reach": "Assumed reach of {id}: {value} per year (user assumption{why}).",
        "assumed_cost": "Assumed cost of {id}: {kr} per year (user assumption{why}).",
        "assumed_intensity": "Intensity of {id}: {value}, one person reached counts {value} times "
        "(user assumption{why}).",
        "udvalg_split": "Udvalg split of {id}: {parts} (user assumption).",
        "extended_ask": "{id} may be funded up to {kr} in {year}, counted as full funding that year, "
        "instead of its ask ({ask}) (user assumption{why}).",
        "asks_by_year": "{count} indsats(er) state what they ask for in each year: each gets at most its ask in a "
        "year, and nothing in a year it asks for nothing (the allocation lists the asks).",
        "prerequisite_only": "{id} reaches no one by itself: it is valued through what requires it.",
        "unstated_scalable": "Scalability is not stated for {count} indsats(er) ({ids}): each is funded at its "
        "full cost or not at all. Scalable(id) (CLI: --scalable ID) allows partial funding.",
        "scalable_all": "Every indsats may be funded partly (Scalable for all): reach scales with the amount.",
        "fixed_line": "Fixed line {name}: {kr} off the top of the pulje.",
        "no_goals_file": "No goals file: each goal key is its own title.",
        "over_budget": "The allocation{year} spends {spent}, above the pulje of {pulje}.",
        "drawn_weights": "goal weights × lognormal factor with mean 1 and relative sd {sd}",
        "drawn_reach": "reach drawn from a triangular distribution within the stated or assumed range for {count} "
        "indsats(er), peaking at the value the scenario reads",
    }
)


@dataclass(frozen=True)
class Note:
    """One assumption behind the numbers: a template key and the figures that fill it (already formatted)."""

    key: str
    params: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in TEMPLATES:
            raise KeyError(f"no template for note {self.key!r}")
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __str__(self) -> str:
        return TEMPLATES[self.key].format(**self.params)

    def render(self, templates: Mapping[str, str], words: Mapping[str, str] | None = None) -> str:
        """The note in another language, from that language's templates (same keys and fields); `words`
        translates figures that are words (the range reading "low", "mid", "high")."""
        params = {key: (words or {}).get(value, value) for key, value in self.params.items()}
        return templates[self.key].format(**params)

    def __reduce__(self) -> tuple[type, tuple[str, dict[str, str]]]:
        return (Note, (self.key, dict(self.params)))


def why(reason: str | None) -> str:
    """The ': reason' suffix of a user assumption (empty without a reason)."""
    return f": {reason}" if reason else ""


def number(value: float) -> str:
    """A figure in a note, the Danish way: whole numbers without decimals (1.234), others as needed (2,5)."""
    return format_number(value, 0) if float(value).is_integer() else format_number(value, 2, trim=True)


def kroner(value: float) -> str:
    """An amount in a note."""
    return format_kr(value)
