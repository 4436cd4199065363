"""Promise 2's dialogues: where they were held, who came, what was raised, what came of it.

The promise: "trygghetsvandringar och dialoger i samverkan med medborgare,
föreningar och näringsidkare i kommunens olika områden … Dialogerna ska ligga
till grund för framtida trygghetsskapande åtgärder". The two processed tables
(``dialogues`` and ``dialogue_proposals``, :mod:`trygghet.sources.dialogues`)
answer four questions for one kommun and one year:

1. **In which of the kommun's areas?** Dialogues with citizens per config area;
   the areas with none (:func:`area_counts`, :func:`areas_without_dialogue`).
2. **Who took part?** Participants per group. A dialogue where every citizen
   group is 0 (only officials from kommun and police) is *not* a dialogue with
   citizens: it is counted apart and left out of everything else.
3. **What was raised, against what residents report?** Per theme, the dialogues
   raising it beside the residents' reports in that category (the categories
   are shared themes), with the disagreement said in words (:func:`theme_counts`).
4. **Did the proposals become measures?** The chain proposals → decided measure
   (decision "beslutad åtgärd") → done ("åtgärdad" by the judgement day) → done
   by the deadline, with Wilson intervals (:func:`chain`), and the days from
   dialogue to the decided measure (:func:`days_to_decision`).

Small numbers: participants are people and residents' reports come from
people, so their counts go through :mod:`trygghet.present.small_numbers`.
Dialogues and proposals are meetings and suggestions, counted as the walk
measures are; but no share or median is given on fewer than ``min_count``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from trygghet.config import DEFAULT_PARTIES, KommunConfig
from trygghet.present import style
from trygghet.present.gate import responsible_label
from trygghet.reports.places.walks import as_of_date
from trygghet.sources import processed
from trygghet.sources.dialogues import PARTICIPANT_GROUPS, THEMES, WHOLE_KOMMUN, walk_point_id
from trygghet.sources.resident_reports import CATEGORIES
from trygghet.stats.proportions import wilson_ci

DIALOGUES_SOURCE = "Kommunens och polisens register över medborgardialoger"

#: A proposal that became a measure, and a measure that was done.
DECIDED = "beslutad åtgärd"
DONE = "åtgärdad"
#: The groups that make a dialogue one *with citizens* (officials do not).
OFFICIALS = "tjanstepersoner"
CITIZEN_GROUPS: tuple[str, ...] = tuple(g for g in PARTICIPANT_GROUPS if g != OFFICIALS)

#: A measure decided up to this many days before the dialogue still counts as its
#: answer (EST decisions are dated by the Monday of their week).
DECISION_SLACK_DAYS = 7

#: The theme table's disagreement rule: raised in at least this share of the
#: dialogues (and in two or more) while under FEW_REPORTS_SHARE of the reports;
#: or never raised while at least MANY_REPORTS_SHARE of the reports.
RAISED_SHARE = 0.25
FEW_REPORTS_SHARE = 0.05
MANY_REPORTS_SHARE = 0.10

RAISED_FEW_REPORTS = "tas upp i dialogerna men få anmälningar"
REPORTED_NOT_RAISED = "många anmälningar men togs aldrig upp"
NO_CATEGORY = "ingen egen kategori i anmälningarna"
NO_RESPONSIBLE = "ingen angiven"

HOW_TO_ADD = (
    "Inga medborgardialoger är registrerade för kommunen, så den här delen av löftet kan "
    "inte följas upp. Kommandot `trygghet mallar` skriver mallar för dialoger och förslag; "
    "hur de fylls i står i docs/data/dialogues.md. Lägg de ifyllda filerna bland kommunens "
    "rådata och kör `trygghet ingest`."
)


# --------------------------------------------------------------------------- loading


@dataclass
class DialogueData:
    """The two processed tables (None when not built) and the dates of linkable measures."""

    dialogues: pd.DataFrame | None
    proposals: pd.DataFrame | None
    #: measure id (walk observation or EST measure) -> the day it was decided.
    measure_dates: pd.Series = field(default_factory=lambda: pd.Series(dtype="datetime64[ns]"))

    @property
    def available(self) -> bool:
        return self.dialogues is not None

    @property
    def origin(self) -> str:
        """ "example" if either table is (partly) example data; "saknas" without dialogues."""
        if self.dialogues is None:
            return "saknas"
        origins = [processed.origin(self.dialogues)]
        if self.proposals is not None and len(self.proposals):
            origins.append(processed.origin(self.proposals))
        if any(style.is_example(o) for o in origins):
            return "example"
        return origins[0] if len(set(origins)) == 1 else "blandat"


def _optional(kommun: str, table: str) -> pd.DataFrame | None:
    try:
        return processed.load_table(kommun, table)
    except processed.MissingTableError:
        return None


def measure_dates(walks: pd.DataFrame | None, est_measures: pd.DataFrame | None) -> pd.Series:
    """The day each linkable measure was decided, by every id a proposal may use for it.

    A walk observation is decided at its walk; it is named by the walk id and
    point number (:func:`trygghet.sources.dialogues.walk_point_id`, "TV-2025-1/3"),
    or the walk id alone. An EST measure is decided in the week of ``decided_week_start``.
    """
    pairs: dict[str, pd.Timestamp] = {}
    if walks is not None and len(walks):
        for walk_id, point, day in zip(
            walks["walk_id"], walks["point_no"], pd.to_datetime(walks["walk_date"]), strict=True
        ):
            pairs.setdefault(str(walk_id), day)
            if pd.notna(point):
                pairs[walk_point_id(walk_id, point)] = day
    if est_measures is not None and len(est_measures):
        for measure_id, day in zip(
            est_measures["measure_id"], pd.to_datetime(est_measures["decided_week_start"]),
            strict=True,
        ):  # fmt: skip
            pairs[str(measure_id)] = day
    return pd.Series(pairs, dtype="datetime64[ns]")


def load_dialogues(kommun: str) -> DialogueData:
    """The kommun's ``dialogues`` and ``dialogue_proposals`` (None where not built)."""
    dialogues = _optional(kommun, "dialogues")
    proposals = _optional(kommun, "dialogue_proposals") if dialogues is not None else None
    dates = measure_dates(_optional(kommun, "safety_walks"), _optional(kommun, "est_measures"))
    return DialogueData(dialogues, proposals, dates)


# --------------------------------------------------------------------------- analysis


@dataclass
class DialogueAnalysis:
    """Everything the dialogue section shows, computed once."""

    period: int
    as_of: pd.Timestamp
    available: bool
    origin: str
    areas: tuple[str, ...]
    dialogues: pd.DataFrame
    proposals: pd.DataFrame
    reports: pd.DataFrame
    min_count: int
    parties: tuple[str, ...] = DEFAULT_PARTIES
    has_proposals_table: bool = True

    @property
    def with_citizens(self) -> pd.DataFrame:
        return self.dialogues[self.dialogues["with_citizens"]]

    @property
    def officials_only(self) -> int:
        return int((~self.dialogues["with_citizens"]).sum())


def _group_counts(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for group in PARTICIPANT_GROUPS:
        values = out[group] if group in out else pd.Series(0, index=out.index)
        out[group] = pd.to_numeric(values, errors="coerce").fillna(0).astype("int64")
    out["citizens"] = out[list(CITIZEN_GROUPS)].sum(axis=1).astype("int64")
    out["with_citizens"] = out["citizens"] > 0
    return out


def dialogues_in_period(dialogues: pd.DataFrame, period: int, as_of: pd.Timestamp) -> pd.DataFrame:
    """Dialogues held in ``period`` up to ``as_of``, with participant counts as integers."""
    day = pd.to_datetime(dialogues["date"])
    held = dialogues[(day.dt.year == int(period)) & (day <= as_of)]
    return _group_counts(held).reset_index(drop=True)


def theme_lists(dialogues: pd.DataFrame) -> pd.Series:
    """Each dialogue's themes as a list (the column joins them with "|")."""
    return dialogues["themes"].map(
        lambda v: [t.strip() for t in str(v).split("|") if t.strip()] if pd.notna(v) else []
    )


#: The proposal columns the chain reads (an empty table may come without them).
_PROPOSAL_COLUMNS = ("dialogue_id", "theme", "decision", "measure_id", "responsible",
                     "deadline", "status", "completed_date")  # fmt: skip


def judge_proposals(
    proposals: pd.DataFrame, dialogues: pd.DataFrame, as_of: pd.Timestamp, dates: pd.Series
) -> pd.DataFrame:
    """The proposals of ``dialogues`` with the chain's flags and the days to a decided measure.

    ``decided``: decision "beslutad åtgärd". ``done``: decided and "åtgärdad"
    with a completion date by ``as_of``. ``judged``: decided with a deadline that
    has passed by ``as_of`` or done already (an open measure whose deadline is
    still ahead cannot be late yet). ``on_time``: done on or before the deadline.
    ``days``: from the dialogue to the day the linked measure was decided.
    """
    proposals = proposals.reindex(
        columns=list(dict.fromkeys([*proposals.columns, *_PROPOSAL_COLUMNS]))
    )
    day_of = dialogues.set_index("dialogue_id")["date"]
    out = proposals[proposals["dialogue_id"].isin(day_of.index)].copy()
    out["dialogue_date"] = pd.to_datetime(out["dialogue_id"].map(day_of))
    out["area"] = out["dialogue_id"].map(dialogues.set_index("dialogue_id")["area"]).astype(str)
    status = out["status"].astype(str)
    completed = pd.to_datetime(out["completed_date"])
    deadline = pd.to_datetime(out["deadline"])
    out["decided"] = out["decision"].astype(str) == DECIDED
    out["done"] = out["decided"] & (status == DONE) & completed.notna() & (completed <= as_of)
    out["done"] = out["done"].fillna(False).astype(bool)
    out["judged"] = out["decided"] & deadline.notna() & ((deadline <= as_of) | out["done"])
    out["judged"] = out["judged"].fillna(False).astype(bool)
    on_time = out["done"] & deadline.notna() & (completed <= deadline)
    out["on_time"] = (on_time.fillna(False) & out["judged"]).astype(bool)
    linked = out["measure_id"].map(lambda m: dates.get(str(m)) if pd.notna(m) else None)
    days = (pd.to_datetime(linked) - out["dialogue_date"]).dt.days
    usable = out["decided"] & days.notna() & (days >= -DECISION_SLACK_DAYS)
    out["days"] = days.clip(lower=0).where(usable).astype("Float64")
    return out.reset_index(drop=True)


def analyse_dialogues(
    data: DialogueData,
    config: KommunConfig,
    period: int,
    *,
    reports: pd.DataFrame | None = None,
    today: pd.Timestamp | None = None,
) -> DialogueAnalysis:
    """Run every dialogue analysis for one kommun and period.

    ``reports``: the residents' reports of the period (for the themes table);
    the proposals judged are those of the period's dialogues *with citizens*.
    """
    as_of = as_of_date(period, today)
    areas = tuple(a.name for a in config.areas)
    empty = _group_counts(pd.DataFrame(columns=["dialogue_id", "date", "area", "themes"]))
    held = dialogues_in_period(data.dialogues, period, as_of) if data.available else empty
    proposals = data.proposals
    judged = judge_proposals(
        proposals if proposals is not None else pd.DataFrame(columns=list(_PROPOSAL_COLUMNS)),
        held[held["with_citizens"]],
        as_of,
        data.measure_dates,
    )
    # Only the party as the kommun lists it, or "annan ansvarig": a person's name
    # cannot be told from an organisation's (trygghet.present.gate.responsible_label).
    judged["responsible"] = judged["responsible"].map(
        lambda v: responsible_label(v, config.parties) or NO_RESPONSIBLE
    )
    return DialogueAnalysis(
        period=int(period),
        as_of=as_of,
        available=data.available,
        origin=data.origin,
        areas=areas,
        dialogues=held,
        proposals=judged,
        reports=reports if reports is not None else pd.DataFrame(columns=["category"]),
        min_count=int(config.min_count),
        parties=tuple(config.parties),
        has_proposals_table=proposals is not None,
    )


def area_counts(d: DialogueAnalysis) -> pd.DataFrame:
    """Per config area (then "hela kommunen" and any other area named): dialogues.

    Columns: ``area``, ``dialogues`` (with citizens), ``officials_only``,
    ``citizens`` (participants from the citizen groups), ``in_config``.
    """
    frame = d.dialogues
    names = list(d.areas) + [WHOLE_KOMMUN]
    names += sorted(set(frame["area"].astype(str)) - set(names))
    rows = []
    for name in names:
        here = frame[frame["area"].astype(str) == name]
        if name not in d.areas and here.empty:
            continue
        rows.append(
            (
                name,
                int(here["with_citizens"].sum()),
                int((~here["with_citizens"]).sum()),
                int(here["citizens"].sum()),
                name in d.areas,
            )
        )
    return pd.DataFrame(
        rows, columns=["area", "dialogues", "officials_only", "citizens", "in_config"]
    )


def areas_without_dialogue(d: DialogueAnalysis) -> list[str]:
    """The kommun's config areas without a dialogue with citizens in the period."""
    table = area_counts(d)
    return table[table["in_config"] & (table["dialogues"] == 0)]["area"].tolist()


def areas_covered(d: DialogueAnalysis) -> tuple[int, int]:
    """(config areas with at least one dialogue with citizens, config areas)."""
    return len(d.areas) - len(areas_without_dialogue(d)), len(d.areas)


def participant_counts(d: DialogueAnalysis) -> pd.DataFrame:
    """Per group (Swedish label): participants and dialogues with anyone from it.

    Over the dialogues with citizens; the officials-only dialogues are left out.
    """
    frame = d.with_citizens
    rows = [
        (label, int(frame[group].sum()), int((frame[group] > 0).sum()))
        for group, label in PARTICIPANT_GROUPS.items()
    ]
    return pd.DataFrame(rows, columns=["group", "participants", "dialogues"])


def theme_counts(d: DialogueAnalysis) -> pd.DataFrame:
    """Per theme: dialogues raising it, proposals on it, residents' reports in that category.

    ``reports`` is missing (NA) for themes that are no report category. ``note``
    is the disagreement by the rule of :data:`RAISED_SHARE`,
    :data:`FEW_REPORTS_SHARE` and :data:`MANY_REPORTS_SHARE` ("annat" gets none).
    """
    lists = theme_lists(d.with_citizens)
    raised = pd.Series([t for ts in lists for t in set(ts)], dtype="string").value_counts()
    on_theme = d.proposals["theme"].astype(str).value_counts() if len(d.proposals) else {}
    reports = d.reports["category"].astype(str).value_counts()
    total_reports, total_dialogues = int(reports.sum()), len(lists)
    themes = list(THEMES) + sorted(set(raised.index) - set(THEMES))
    rows = []
    for theme in themes:
        k = int(raised.get(theme, 0))
        r = int(reports.get(theme, 0)) if theme in CATEGORIES else None
        rows.append((theme, k, int(on_theme.get(theme, 0)), r,
                     _note(theme, k, r, total_dialogues, total_reports, d.min_count)))  # fmt: skip
    out = pd.DataFrame(rows, columns=["theme", "dialogues", "proposals", "reports", "note"])
    out["reports"] = out["reports"].astype("Int64")
    return out


def _note(
    theme: str, raised: int, reports: int | None, dialogues: int, total_reports: int, min_count: int
) -> str:
    if reports is None:
        return NO_CATEGORY if raised else ""
    if theme == "annat" or dialogues == 0:
        return ""
    report_share = reports / total_reports if total_reports else 0.0
    if (
        raised >= 2
        and raised / dialogues >= RAISED_SHARE
        and (reports < min_count or report_share < FEW_REPORTS_SHARE)
    ):
        return RAISED_FEW_REPORTS
    if raised == 0 and reports >= min_count and report_share >= MANY_REPORTS_SHARE:
        return REPORTED_NOT_RAISED
    return ""


#: The chain's stages: (name, numerator flag, denominator flag or None for all proposals).
CHAIN_STAGES: tuple[tuple[str, str, str | None], ...] = (
    ("förslag", "", None),
    ("beslutad åtgärd", "decided", None),
    ("åtgärdad", "done", "decided"),
    ("klar i tid", "on_time", "judged"),
)


def chain(d: DialogueAnalysis, level: float = 0.95) -> pd.DataFrame:
    """The chain proposals → decided → done → done on time, with Wilson intervals.

    Columns: ``stage``, ``count``, ``of`` (the share's denominator), ``share``,
    ``low``, ``high``, ``shown`` (``of`` reaches ``min_count``: the share may be said).
    The first stage is the number of proposals (no share).
    """
    p = d.proposals
    rows = [("förslag", len(p), len(p), float("nan"), float("nan"), float("nan"), False)]
    for stage, num, den in CHAIN_STAGES[1:]:
        base = p[p[den]] if den else p
        k, n = int(base[num].sum()), len(base)
        low, high = wilson_ci(k, n, level) if n else (float("nan"), float("nan"))
        rows.append((stage, k, n, k / n if n else float("nan"), low, high, n >= d.min_count))
    cols = ["stage", "count", "of", "share", "low", "high", "shown"]
    return pd.DataFrame(rows, columns=cols)


def chain_by(d: DialogueAnalysis, by: str) -> pd.DataFrame:
    """The chain per ``by`` ("area" of the dialogue, or "responsible" as the kommun lists it).

    Columns: the group, ``proposals``, ``decided``, ``decided_share`` (of the
    proposals), ``judged``, ``on_time``, ``on_time_share`` (of the judged);
    a share is NaN on fewer than ``min_count``. Per responsible party only the
    decided proposals count (the others have no one responsible yet).
    """
    p = d.proposals[d.proposals["decided"]] if by == "responsible" else d.proposals
    rows = []
    for name, part in p.groupby(p[by].astype(str), sort=True) if len(p) else []:
        n, k = len(part), int(part["decided"].sum())
        judged, ok = int(part["judged"].sum()), int(part["on_time"].sum())
        rows.append((name, n, k, k / n if n >= d.min_count else float("nan"), judged, ok,
                     ok / judged if judged >= d.min_count else float("nan")))  # fmt: skip
    cols = [by, "proposals", "decided", "decided_share", "judged", "on_time", "on_time_share"]
    return pd.DataFrame(rows, columns=cols)


def days_to_decision(d: DialogueAnalysis) -> list[float]:
    """Days from dialogue to decided measure, for the decided proposals linked to a dated measure."""
    if "days" not in d.proposals or d.proposals.empty:
        return []
    return [float(x) for x in d.proposals["days"].dropna()]


def unlinked_decided(d: DialogueAnalysis) -> int:
    """Decided proposals whose measure has no decision date to measure the time by."""
    if d.proposals.empty:
        return 0
    return int((d.proposals["decided"] & d.proposals["days"].isna()).sum())


def no_deadline(d: DialogueAnalysis) -> int:
    """Decided proposals without a deadline (they cannot be judged on time)."""
    if d.proposals.empty:
        return 0
    return int((d.proposals["decided"] & pd.to_datetime(d.proposals["deadline"]).isna()).sum())
