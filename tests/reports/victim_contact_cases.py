"""Case tables for the victim-contact tests (shared by tests/reports/test_victim_contact_*.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trygghet.reports.victim_contact.text import CATEGORY_LABELS

EXTRACT = pd.Timestamp("2026-10-31")


def make_cases(rows: list[tuple[str, str, int | None, int | None]]) -> pd.DataFrame:
    """Cases from ``(category, "YYYY-MM", days_to_contact, censored_days)`` tuples."""
    frame = pd.DataFrame(rows, columns=["crime_category", "month", "days", "censored"])
    n = len(frame)
    return pd.DataFrame(
        {
            "case_id": pd.Series([f"P-{i:016x}" for i in range(n)], dtype="string"),
            "crime_category": frame["crime_category"].astype("string"),
            "area": pd.Series(["Hällefors"] * n, dtype="string"),
            "assigned_month": pd.to_datetime(frame["month"] + "-01").astype("datetime64[us]"),
            "days_to_contact": frame["days"].astype("Int64"),
            "contacted": frame["days"].notna().astype(bool),
            "censored_days": frame["censored"].astype("Int64"),
            "extract_date": pd.Series([EXTRACT] * n).astype("datetime64[us]"),
            "origin": pd.Series(["example"] * n, dtype="string"),
        }
    )


def repeat(n: int, category: str, month: str, days: int | None, censored: int | None = None):
    return [(category, month, days, censored)] * n


def example_year(seed: int = 1, n: int = 240) -> pd.DataFrame:
    """A random year of cases over two years, most on time, some open, some never contacted."""
    rng = np.random.default_rng(seed)
    rows = []
    categories = list(CATEGORY_LABELS)
    for _ in range(n):
        year = rng.choice([2024, 2025])
        month = f"{year}-{rng.integers(1, 13):02d}"
        category = str(rng.choice(categories, p=[0.2, 0.15, 0.15, 0.2, 0.2, 0.05, 0.02, 0.03]))
        if rng.random() < 0.06:
            rows.append((category, month, None, int(rng.integers(0, 400))))
        else:
            rows.append((category, month, int(rng.geometric(0.25)) - 1, None))
    return make_cases(rows)


def share_cases(on_time: int, late: int, year: str = "2025") -> pd.DataFrame:
    """January cases of ``year``: ``on_time`` contacted on day 2, ``late`` on day 12."""
    return make_cases(
        repeat(on_time, "hot", f"{year}-01", 2) + repeat(late, "hot", f"{year}-01", 12)
    )
