"""The safety survey (trygghetsundersökning): shares, indices and change, with margins of error.

Published municipal survey results almost never show a margin of error; this
report always does, and it refuses to compare or break down figures that rest
on too few answers. Its problem index 0–6 is the project's own: the police's
formula is not public, so the figures are not comparable with theirs.

The package is split by job (each module's docstring holds its definitions):

* :mod:`~trygghet.reports.survey.questions`: labels, headline phrases, direction, index items;
* :mod:`~trygghet.reports.survey.analysis`: settings, loading, rounds, weights, weighted shares;
* :mod:`~trygghet.reports.survey.index`: the 0–6 problem index and the Kish-weighted mean;
* :mod:`~trygghet.reports.survey.breakdowns`: per area, sex and age group, small cells suppressed;
* :mod:`~trygghet.reports.survey.change`: change between rounds, tests and verdicts;
* :mod:`~trygghet.reports.survey.sample`: response rate and sample composition;
* :mod:`~trygghet.reports.survey.text`: the Swedish sentences and paragraphs;
* :mod:`~trygghet.reports.survey.tables`: display tables;
* :mod:`~trygghet.reports.survey.figures`: charts.
"""

from __future__ import annotations

from trygghet.reports.survey.analysis import (
    DONT_KNOW_LABEL,
    LEVEL,
    MIN_RESPONDENTS,
    NO_ANSWER_LABEL,
    SKEW_THRESHOLD,
    SOURCE_TEXT,
    TABLE,
    Settings,
    answer_shares,
    headline_estimate,
    headline_shares,
    in_round,
    is_weighted,
    load,
    pick_rounds,
    respondents,
    rounds,
    settings_from,
)
from trygghet.reports.survey.breakdowns import (
    BY_LABELS,
    OTHER_AREAS,
    SEX_LABELS,
    SUPPRESSED,
    breakdown,
    group_label,
)
from trygghet.reports.survey.change import (
    IMPROVED,
    NO_CHANGE,
    NOT_ASKED,
    TOO_FEW,
    VERDICTS,
    WORSENED,
    MeanDifference,
    changes_for,
    compare_rounds,
    mean_difference_test,
    verdict,
)
from trygghet.reports.survey.figures import (
    ASIDE_COLOURS,
    NEGATIVE_COLOURS,
    POSITIVE_COLOURS,
    WHOLE_KOMMUN,
    plot_change,
    plot_diverging,
    plot_headline_by_group,
    plot_headline_by_round,
    plot_index,
)
from trygghet.reports.survey.index import (
    INDEX_MAX,
    MeanEstimate,
    index_estimate,
    index_scores,
    problem_index,
    respondent_problem_scores,
    total_index_estimate,
    weighted_mean,
)
from trygghet.reports.survey.questions import (
    HEADLINE_PHRASES,
    HEADLINE_SHORT,
    HIGHER_IS_BETTER_KINDS,
    KEY_QUESTION,
    TOTAL_INDEX_ID,
    TOTAL_INDEX_LABEL,
    has_index,
    headline_label,
    headline_phrase,
    higher_is_better,
    key_question_ids,
    label,
    problem_question_ids,
    question,
)
from trygghet.reports.survey.sample import (
    APPROX_SWEDEN_LABEL,
    APPROX_SWEDEN_STRUCTURE,
    Composition,
    ResponseRate,
    response_rate,
    sample_composition,
)
from trygghet.reports.survey.tables import (
    breakdown_table,
    change_table,
    composition_table,
    group_table,
    headline_table,
    index_table,
)
from trygghet.reports.survey.text import (
    breakdown_sentence,
    change_narrative,
    change_sentence,
    composition_sentence,
    coverage_text,
    headline_sentence,
    index_definition_text,
    response_rate_sentence,
    rounds_text,
)
from trygghet.sources.survey import QUESTION_BY_ID

__all__ = [
    "APPROX_SWEDEN_LABEL",
    "APPROX_SWEDEN_STRUCTURE",
    "ASIDE_COLOURS",
    "BY_LABELS",
    "Composition",
    "DONT_KNOW_LABEL",
    "HEADLINE_PHRASES",
    "HEADLINE_SHORT",
    "HIGHER_IS_BETTER_KINDS",
    "IMPROVED",
    "INDEX_MAX",
    "KEY_QUESTION",
    "LEVEL",
    "MIN_RESPONDENTS",
    "MeanDifference",
    "MeanEstimate",
    "NEGATIVE_COLOURS",
    "NOT_ASKED",
    "NO_ANSWER_LABEL",
    "NO_CHANGE",
    "OTHER_AREAS",
    "POSITIVE_COLOURS",
    "QUESTION_BY_ID",
    "ResponseRate",
    "SEX_LABELS",
    "SKEW_THRESHOLD",
    "SOURCE_TEXT",
    "SUPPRESSED",
    "Settings",
    "TABLE",
    "TOO_FEW",
    "TOTAL_INDEX_ID",
    "TOTAL_INDEX_LABEL",
    "VERDICTS",
    "WHOLE_KOMMUN",
    "WORSENED",
    "answer_shares",
    "breakdown",
    "breakdown_sentence",
    "breakdown_table",
    "change_narrative",
    "change_sentence",
    "change_table",
    "changes_for",
    "compare_rounds",
    "composition_sentence",
    "composition_table",
    "coverage_text",
    "group_label",
    "group_table",
    "has_index",
    "headline_estimate",
    "headline_label",
    "headline_phrase",
    "headline_sentence",
    "headline_shares",
    "headline_table",
    "higher_is_better",
    "in_round",
    "index_definition_text",
    "index_estimate",
    "index_scores",
    "index_table",
    "is_weighted",
    "key_question_ids",
    "label",
    "load",
    "mean_difference_test",
    "pick_rounds",
    "plot_change",
    "plot_diverging",
    "plot_headline_by_group",
    "plot_headline_by_round",
    "plot_index",
    "problem_index",
    "problem_question_ids",
    "question",
    "respondent_problem_scores",
    "respondents",
    "response_rate",
    "response_rate_sentence",
    "rounds",
    "rounds_text",
    "sample_composition",
    "settings_from",
    "total_index_estimate",
    "verdict",
    "weighted_mean",
]
