"""Index pages that inform: status per kommun, generated configs marked, one folder per batch."""

from __future__ import annotations

from trygghet.kommuner import all_kommuner
from trygghet.pipeline import index_page, runner


def test_batch_folders_name_what_they_cover_and_only_all_is_the_whole_country():
    every = list(all_kommuner()["kommun_code"].astype(str))
    assert runner.batch_folder(every) == ("hela-sverige", "Hela Sverige")
    assert runner.batch_folder(every[:-1])[1] != "Hela Sverige"
    folder, label = runner.batch_folder(["1864", "1863", "1863"])
    assert folder == "kommuner-1863-1864" and label == "Urval: Hällefors och Ljusnarsberg"
    twelve = every[:12]
    big, big_label = runner.batch_folder(twelve)
    assert big.startswith("urval-12-kommuner-") and big_label == "Urval av 12 kommuner"
    assert runner.batch_folder(list(reversed(twelve)))[0] == big  # the same batch, same folder
    assert runner.batch_folder(every[1:13])[0] != big  # another batch never overwrites it


def _manifest(**extra) -> dict:
    return {"kommun": "1860", "kommun_name": "Laxå", "period": 2025, "notebooks": []} | extra


def test_kommun_index_says_status_counts_and_which_indicators_are_not_met():
    status = {"counts": {"uppfyllt": 2, "på väg": 0, "inte uppfyllt": 1, "kan inte bedömas": 3},
              "not_met": ["Löfte 4: Brottsutsatta kontaktade inom 7 dagar <b>"]}  # fmt: skip
    page = index_page.run_index_html(_manifest(promise_status=status, config="file"))
    assert "✔ 2 uppfyllt · ✘ 1 inte uppfyllt · ? 3 kan inte bedömas" in page
    assert "på väg" not in page
    assert "Inte uppfyllt: Löfte 4: Brottsutsatta kontaktade inom 7 dagar &lt;b&gt;" in page
    assert index_page.GENERATED_LABEL not in page.lower()


def test_generated_default_config_is_marked_on_both_index_pages(tmp_path):
    import json

    manifest = _manifest(config="generated")
    page = index_page.run_index_html(manifest)
    assert "Genererad standardkonfiguration" in page and "trygghet ny-kommun 1860" in page
    folder = tmp_path / "1860" / "2025"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    batch = tmp_path / "riket" / "kommuner-1860" / "2025"
    batch.mkdir(parents=True)
    national = {"kommun": "riket", "kommun_name": "Urval: Laxå", "period": 2025, "notebooks": []}
    (batch / "manifest.json").write_text(json.dumps(national), encoding="utf-8")
    root = index_page.root_index_html(tmp_path)
    assert "Genererad standardkonfiguration" in root
    assert root.index("riket/kommuner-1860/2025/index.html") < root.index("1860/2025/index.html")
    assert "Urval: Laxå" in root and "Hela Sverige" not in root
