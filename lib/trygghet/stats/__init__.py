"""Stage 2, statistics: methods that know no report.

Rates and exact intervals, proportions, trends, hotspots, baselines and the
indicator status rule. They take numbers and frames and return numbers and
frames: no Swedish sentences, no display tables, no figures. They import only
the house and ``sources`` (never ``present``, ``reports`` or ``pipeline``).
"""
