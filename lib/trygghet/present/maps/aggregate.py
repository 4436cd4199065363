"""Privacy-safe aggregation of residents' reports to H3 hexagons.

A resident's report of an unsafe place carries an exact position, often near
the reporter's home, and free text; neither may reach a published map. This
module turns reports into counts per hexagon of the H3 grid, and only those
counts are drawn.

The rule, written down (and tested):

1. Every report with a position is placed in its H3 cell at ``resolution``
   (default 9). Resolution 9 cells have an average edge of about 200 m
   (h3 4.5's ``average_hexagon_edge_length(9)`` = 201 m; H3 v3's table, often
   quoted, says 174 m) and an area of about 0.1 km²; resolution 8 cells about
   530 m (v3 table: 461 m) and 0.74 km². Only resolutions up to 9 are
   accepted, so no cell is smaller than ~100 m across an edge. 9 suits a
   tätort; 8 suits a sparsely populated kommun or a published overview.
2. A cell with at least ``min_count`` reports (default 3) is kept as it is.
3. The reports of the other cells ("sparse" cells) are pooled per parent cell
   at ``resolution - 1``: the pooled area is the parent's seven children
   *minus the kept cells*, so it never overlaps a kept cell (all of the
   parent's non-kept children are included, empty ones too: a pooled area of
   one lone sparse cell next to six kept cells would otherwise give that cell
   away). If the pool holds at least ``min_count`` reports it is drawn as one
   area with that total; otherwise its reports are **suppressed** (not drawn,
   only counted in ``attrs["n_suppressed"]`` so that the legend can say how
   many reports the map leaves out). There is one level of pooling only: a
   bigger area would say little about a place.
4. Hence every drawn unit holds at least ``min_count`` reports. Counts per
   category and per status inside a unit can be smaller; the map draws a
   category or status layer's unit only when that layer's count is at least
   ``min_count`` too, and tooltips show only counts of at least ``min_count``
   (the rest as "övriga").

Reports without a position are counted in ``attrs["n_without_position"]``.
Nothing but the cell, the category and the status of a report is read: the
description, the address and the exact coordinates never leave this function.
"""

from __future__ import annotations

from collections.abc import Sequence

import h3
import pandas as pd

from trygghet.stats.hotspots import points_to_h3

__all__ = ["MISSING_VALUE", "MIXED", "aggregate_to_h3", "layer_column", "unit_rings"]

#: Label of a missing category or status.
MISSING_VALUE = "uppgift saknas"
#: Dominant category when no category reaches ``min_count`` or there is a tie.
MIXED = "blandat"

MAX_RESOLUTION = 9


def layer_column(by: str, value: str) -> str:
    """Name of the count column for one value of ``by`` (e.g. ``"category:belysning"``)."""
    return f"{by}:{value}"


def aggregate_to_h3(
    reports: pd.DataFrame,
    resolution: int = 9,
    min_count: int = 3,
    *,
    by: Sequence[str] = ("category", "status"),
) -> pd.DataFrame:
    """Count reports per H3 cell, pooling or suppressing sparse cells (see the module doc).

    ``reports`` needs ``lat``, ``lon`` (WGS 84) and the columns in ``by``
    (default ``category`` and ``status``; missing values become
    :data:`MISSING_VALUE`). Other columns are ignored.

    Returns one row per drawn unit, sorted by ``h3``, with columns ``h3``
    (the cell, or the parent cell for a pooled area), ``resolution``,
    ``pooled`` (bool), ``members`` (tuple of the ``resolution`` cells that
    make up the drawn area), ``count``, one ``"{by}:{value}"`` count column
    per value of each ``by`` column, and ``dominant_category`` (the category
    with most reports if it has at least ``min_count`` and no tie, else
    :data:`MIXED`; only when ``"category"`` is in ``by``). ``attrs`` holds
    ``resolution``, ``min_count``, ``by``, ``n_input``, ``n_without_position``,
    ``n_pooled`` (reports drawn in pooled areas) and ``n_suppressed``.
    """
    res = int(resolution)
    if res != resolution or not 1 <= res <= MAX_RESOLUTION:
        raise ValueError(
            f"resolution must be an integer 1..{MAX_RESOLUTION} (cells of at least ~100 m "
            f"edge), got {resolution!r}"
        )
    k = int(min_count)
    if k != min_count or k < 1:
        raise ValueError(f"min_count must be a positive integer, got {min_count!r}")
    by = tuple(by)
    missing_cols = {"lat", "lon", *by} - set(reports.columns)
    if missing_cols:
        raise ValueError(f"reports lack the columns {sorted(missing_cols)}")

    lat = pd.to_numeric(reports["lat"], errors="coerce").astype(float)
    lon = pd.to_numeric(reports["lon"], errors="coerce").astype(float)
    has_pos = lat.notna() & lon.notna()
    df = pd.DataFrame(
        {col: reports.loc[has_pos, col].astype("string").fillna(MISSING_VALUE) for col in by},
        index=reports.index[has_pos],
    )
    df["cell"] = points_to_h3(lat[has_pos], lon[has_pos], res)

    cell_counts = df["cell"].value_counts()
    kept = set(cell_counts.index[cell_counts >= k])
    sparse = ~df["cell"].isin(kept)
    parents = {c: h3.cell_to_parent(c, res - 1) for c in df.loc[sparse, "cell"].unique()}
    df["unit"] = df["cell"]
    df.loc[sparse, "unit"] = df.loc[sparse, "cell"].map(parents)

    unit_counts = df["unit"].value_counts()
    drawn_units = unit_counts.index[unit_counts >= k]
    suppressed = int(unit_counts[unit_counts < k].sum())  # only pools can be below k
    df = df[df["unit"].isin(drawn_units)]

    out = pd.DataFrame(index=pd.Index(sorted(drawn_units), name="h3"))
    out["count"] = unit_counts.reindex(out.index).astype("int64")
    out["pooled"] = ~out.index.isin(list(kept))
    out["resolution"] = [res if not p else res - 1 for p in out["pooled"]]
    out["members"] = [
        (u,) if not p else tuple(sorted(c for c in h3.cell_to_children(u, res) if c not in kept))
        for u, p in zip(out.index, out["pooled"], strict=True)
    ]
    for col in by:
        table = df.groupby(["unit", col]).size().unstack(fill_value=0)
        for value in sorted(table.columns):
            out[layer_column(col, value)] = (
                table[value].reindex(out.index, fill_value=0).astype("int64")
            )
    if "category" in by:
        out["dominant_category"] = _dominant(out, "category", k)

    out = out.reset_index()
    out.attrs.update(
        {
            "resolution": res,
            "min_count": k,
            "by": by,
            "n_input": int(len(reports)),
            "n_without_position": int((~has_pos).sum()),
            "n_pooled": int(out.loc[out["pooled"], "count"].sum()),
            "n_suppressed": suppressed,
        }
    )
    return out


def _dominant(out: pd.DataFrame, by: str, min_count: int) -> list[str]:
    cols = [c for c in out.columns if isinstance(c, str) and c.startswith(f"{by}:")]
    if not cols:
        return [MIXED] * len(out)
    values = out[cols].to_numpy()
    names = [c.split(":", 1)[1] for c in cols]
    result = []
    for row in values:
        order = row.argsort()[::-1]
        top = row[order[0]]
        second = row[order[1]] if len(order) > 1 else -1
        result.append(names[order[0]] if top >= min_count and top > second else MIXED)
    return result


def unit_rings(members: Sequence[str], decimals: int = 4) -> list:
    """Leaflet polygon coordinates (``[[lat, lon], …]`` rings) of the area of ``members``.

    One cell gives one ring; several cells give their outline as a Leaflet
    multi-polygon (a list of polygons, each a list of rings: outer then holes).
    """
    if len(members) == 1:
        return [
            [round(a, decimals), round(b, decimals)] for a, b in h3.cell_to_boundary(members[0])
        ]
    shape = h3.cells_to_h3shape(list(members))
    polys = getattr(shape, "polys", None) or [shape]
    return [
        [
            [[round(a, decimals), round(b, decimals)] for a, b in ring]
            for ring in (p.outer, *p.holes)
        ]
        for p in polys
    ]
