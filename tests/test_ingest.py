"""Ingest with the real pipeline on both backends: formats, idempotence, bad inputs, crashes, scale-out."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from geo.store import Store
from geo.store.ingest import ingest, main

REPO = Path(__file__).resolve().parent.parent

BORDER = """Migrants cross into El Paso from Ciudad Juarez
EL PASO, Texas (AP) - More than 1,000 migrants crossed the Rio Grande from Ciudad Juarez into El Paso on Tuesday, \
U.S. Border Patrol agents said. Police in El Paso detained 40 people near the Bridge of the Americas.
"""

HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Floods displace thousands in Sylhet | Example News</title>
<meta property="og:title" content="Floods displace thousands in Sylhet">
<meta property="article:published_time" content="2024-06-18T08:00:00Z">
<link rel="canonical" href="https://news.example/2024/06/18/sylhet-floods">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Floods displace thousands in Sylhet</h1>
<p>DHAKA, Bangladesh - Heavy monsoon floods displaced 20,000 people in Sylhet, Bangladesh, on Monday, officials said.
Many families fled to shelters in Sunamganj as the Surma river rose above the danger level.</p>
<p>The army was deployed to help with rescue efforts, the disaster management ministry said in a statement.</p>
</article>
<footer>Copyright Example News. All rights reserved.</footer>
</body></html>
"""

RECORDS = [
    {"id": "n1", "title": "Students protest in Nairobi", "url": "https://news.example/nairobi", "published": "2024-05-03",
     "text": "NAIROBI, Kenya - Thousands of students protested in Nairobi on Thursday against tuition increases. "
             "Police fired tear gas at demonstrators near the parliament and arrested 15 people."},
    {"id": "k1", "title": "Strike in Lagos", "url": "https://news.example/lagos", "published": "2024-05-06",
     "text": "LAGOS, Nigeria - Dock workers went on strike in Lagos on Monday, halting traffic at the Apapa port, "
             "union leaders said."},
]  # fmt: skip

CSV = (
    "id,title,url,published,text\n"
    'c1,Clashes in Karachi,https://news.example/karachi,2024-02-10,"KARACHI, Pakistan - Police clashed with protesters '
    'in Karachi on Friday, officials said. At least 20 people were arrested."\n'
)

CITIES = [("Kyiv", "Ukraine"), ("Nairobi", "Kenya"), ("Lagos", "Nigeria"), ("Dhaka", "Bangladesh"), ("Lima", "Peru"),
          ("Manila", "Philippines"), ("Karachi", "Pakistan"), ("Bogota", "Colombia")]  # fmt: skip
TEMPLATES = [
    "Thousands of protesters marched in {c}, {k}, on Monday, police said. Officers arrested {n} people near the central square.",
    "Heavy flooding displaced {n} families in {c}, {k}, officials said on Tuesday. Many fled to shelters outside the city.",
    "Police in {c} detained {n} people after clashes on Wednesday, {k}'s interior ministry said.",
]


def many_articles(n: int) -> list[dict]:
    out = []
    for i in range(n):
        c, k = CITIES[i % len(CITIES)]
        out.append({"id": str(i), "title": f"Report {i} from {c}", "url": f"https://wire.example/{i}",
                    "published": f"2024-04-{1 + i % 28:02d}", "text": TEMPLATES[i % 3].format(c=c, k=k, n=i + 3)})  # fmt: skip
    return out


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    (root / "wire" / "deeper").mkdir(parents=True)
    (root / "border.txt").write_text(BORDER, encoding="utf-8")
    (root / "wire" / "sylhet.html").write_text(HTML, encoding="utf-8")
    write_jsonl(root / "wire" / "feed.jsonl", RECORDS)
    (root / "wire" / "deeper" / "karachi.csv").write_text(CSV, encoding="utf-8")
    (root / "wire" / "notes.bin").write_bytes(b"\x00\x01 not an input")  # unknown suffix in a folder: not ours
    return root


def event_keys(store: Store) -> list[tuple]:
    ev = store.events()
    return sorted(zip(ev["article_title"], ev["type"], ev["date"].astype(str), ev["place_name"].fillna("")))


def test_every_format_from_a_folder(db_url, corpus, pipeline, capsys):
    rc = main([str(corpus), "--db", db_url, "--published", "2024-03-05"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "stored 5, skipped 0 (already stored), failed 0" in out and "articles/s" in out
    assert "articles/s" in err  # the progress bar
    with Store(db_url) as store:
        arts = store.articles().set_index("title")
        assert set(arts.index) == {
            "Migrants cross into El Paso from Ciudad Juarez", "Floods displace thousands in Sylhet",
            "Students protest in Nairobi", "Strike in Lagos", "Clashes in Karachi",
        }  # fmt: skip
        border = arts.loc["Migrants cross into El Paso from Ciudad Juarez"]
        assert border["published"] == dt.datetime(2024, 3, 5)  # --published fills in for a .txt
        assert border["source"].endswith("border.txt")
        html = arts.loc["Floods displace thousands in Sylhet"]
        assert html["url"] == "https://news.example/2024/06/18/sylhet-floods" and html["site"] == "news.example"
        assert html["published"] == dt.datetime(2024, 6, 18)  # the page's own date wins
        nairobi = arts.loc["Students protest in Nairobi"]
        assert nairobi["external_id"] == "n1" and nairobi["published"] == dt.datetime(2024, 5, 3)
        assert nairobi["source"].endswith("feed.jsonl:1")
        assert arts.loc["Clashes in Karachi"]["source"].endswith("karachi.csv:2")
        text = store.article(int(border["id"]))["text"]
        assert text.startswith("EL PASO") and "Migrants cross" not in text  # the title line is not body text
        ev = store.events()
        assert len(ev) == sum(arts["n_events"]) > 0
        assert {"El Paso", "Nairobi", "Lagos", "Karachi"} <= set(ev["place_name"].dropna())
        assert (ev["article_title"] == "Floods displace thousands in Sylhet").any()


def test_rerun_stores_nothing_new(db_url, corpus, pipeline, capsys):
    assert main([str(corpus), "--db", db_url, "-q"]) == 0
    with Store(db_url) as store:
        first = store.counts()
    assert main([str(corpus), str(corpus / "border.txt"), "--db", db_url, "-q"]) == 0
    out = capsys.readouterr().out
    assert "stored 0, skipped 6" in out
    with Store(db_url) as store:
        assert store.counts() == first


def test_bad_inputs_are_reported_and_good_ones_stored(db_url, tmp_path, pipeline, capsys):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "blank.txt").write_text("  \n\n \n")
    (bad / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (bad / "latin1.txt").write_bytes("Protest in Montréal\nHundreds marched in Montréal.".encode("latin-1"))
    with open(bad / "huge.txt", "w") as f:  # 20 MB
        f.write("Huge\n" + "Police said protesters marched in Kyiv. " * 500_000)
    good_line = json.dumps(RECORDS[0])
    lines = [
        good_line.encode(),
        b"this is not json",
        b"[1, 2, 3]",
        json.dumps({"title": "no text here"}).encode(),
        json.dumps({"text": "Protest in Lima on Monday.", "published": "next blursday"}).encode(),
        '{"text": "Caf\xe9 in Lima"}'.encode("latin-1"),
        json.dumps({"text": "x " * 1_200_000}).encode(),
        json.dumps(RECORDS[1]).encode(),
    ]
    (bad / "feed.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    (bad / "notext.csv").write_text("id,title,url,published,body\n1,A,,2024-01-01,Protest in Lima\n")
    (bad / "dates.csv").write_text(
        "id,title,url,published,text\n"
        "1,Bad date,,31/31/2024,Police detained 5 people in Lima on Monday.\n"
        "2,Good,,2024-02-10,\"Police clashed with protesters in Karachi on Friday, officials said.\"\n"
    )

    rc = main([str(bad), "--db", db_url, "-q"])
    out, err = capsys.readouterr()
    assert rc == 1
    assert "stored 3, skipped 0 (already stored), failed 13" in out
    expected = {
        ("empty.txt", None): "empty file",
        ("blank.txt", None): "empty article",
        ("binary.txt", None): "binary",
        ("latin1.txt", None): "not valid UTF-8",
        ("huge.txt", None): "size limit",
        ("feed.jsonl", 2): "not JSON",
        ("feed.jsonl", 3): "not an object",
        ("feed.jsonl", 4): "no 'text' field",
        ("feed.jsonl", 5): "blursday",
        ("feed.jsonl", 6): "not valid UTF-8",
        ("feed.jsonl", 7): "character article limit",
        ("notext.csv", 1): "no 'text' column",
    }
    with Store(db_url) as store:
        errors = store.errors()
        lines = [None if pd.isna(x) else int(x) for x in errors["line"]]
        got = {(Path(s).name, line): r for s, line, r in zip(errors["source"], lines, errors["reason"])}
        for key, words in expected.items():
            assert key in got, f"no error recorded for {key}; got {sorted(got)}"
            assert words in got[key], (key, got[key])
            where = f"{bad / key[0]}" + (f":{key[1]}" if key[1] else "")
            assert f"error: {where}: " in err
        assert "dates.csv" in {Path(s).name for s in errors["source"]}  # the bad date row (line 2)
        assert {t for t in store.articles()["title"]} == {"Students protest in Nairobi", "Strike in Lagos", "Good"}


def test_missing_path_and_bad_published(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert main([str(tmp_path / "nope.txt"), "--db", db, "-q"]) == 1
    assert "no such file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main([str(tmp_path), "--db", db, "--published", "someday"])
    assert exc.value.code == 2 and "someday" in capsys.readouterr().err


def run_geo(args, **kw):
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=REPO, capture_output=True, text=True, timeout=300, **kw)


def test_stdin_text_and_jsonl(db_url, pipeline):
    r = run_geo(["ingest", "-", "--db", db_url, "--published", "2024-03-05"], input=BORDER)
    assert r.returncode == 0, r.stderr
    assert "stored 1" in r.stdout
    r = run_geo(["ingest", "-", "--db", db_url], input="".join(json.dumps(x) + "\n" for x in RECORDS))
    assert r.returncode == 0, r.stderr
    with Store(db_url) as store:
        arts = store.articles()
        assert len(arts) == 3 and set(arts["source"]) == {"<stdin>", "<stdin>:1", "<stdin>:2"}
        assert "Migrants cross into El Paso from Ciudad Juarez" in set(arts["title"])


def test_local_workers_give_the_same_store(tmp_path, pipeline):
    src = write_jsonl(tmp_path / "many.jsonl", many_articles(24))
    with Store(f"sqlite:///{tmp_path / 'one.db'}") as one:
        r1 = ingest([str(src)], one, progress=False)
        expected = event_keys(one)
    assert main([str(src), "--db", f"sqlite:///{tmp_path / 'two.db'}", "--workers", "2", "-q"]) == 0
    with Store(f"sqlite:///{tmp_path / 'two.db'}") as two:
        assert two.counts()["articles"] == r1.stored == 24
        assert event_keys(two) == expected


@pytest.fixture(scope="module")
def dask_cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster


def test_dask_cluster_parses(db_url, tmp_path, dask_cluster, pipeline):
    src = write_jsonl(tmp_path / "many.jsonl", many_articles(12))
    with Store(f"sqlite:///{tmp_path / 'ref.db'}") as ref:
        ingest([str(src)], ref, progress=False)
        expected = event_keys(ref)
    assert main([str(src), "--db", db_url, "--dask", dask_cluster.scheduler_address, "-q"]) == 0
    with Store(db_url) as store:
        assert store.counts()["articles"] == 12
        assert event_keys(store) == expected


def test_unreachable_dask_is_a_clear_error(tmp_path, capsys):
    rc = main([str(tmp_path), "--db", f"sqlite:///{tmp_path / 'x.db'}", "--dask", "tcp://127.0.0.1:1", "-q"])
    assert rc == 2
    assert "error:" in capsys.readouterr().err


def test_kill_9_mid_run_loses_nothing_and_rerun_completes(db_url, tmp_path, pipeline):
    n = 300
    src = write_jsonl(tmp_path / "many.jsonl", many_articles(n))
    proc = subprocess.Popen([sys.executable, "-m", "geo", "ingest", str(src), "--db", db_url, "-q"], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    engine = sa.create_engine(Store(db_url, create=False).url)
    stored = 0
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with engine.connect() as conn:
                    stored = conn.execute(sa.text("SELECT count(*) FROM articles")).scalar()
            except sa.exc.DBAPIError:
                stored = 0  # the schema is not there yet
            if stored >= 20:
                break
            time.sleep(0.05)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        engine.dispose()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    assert 20 <= stored < n, "the run must be killed part-way"

    def check(store: Store) -> int:
        with store.engine.connect() as conn:
            # every stored article has exactly the rows its transaction wrote
            bad = conn.execute(sa.text(
                "SELECT count(*) FROM articles a WHERE a.n_events <> (SELECT count(*) FROM events e WHERE e.article_id = a.id) "
                "OR a.n_mentions <> (SELECT count(*) FROM mentions m WHERE m.article_id = a.id)")).scalar()  # fmt: skip
            assert bad == 0
            dups = conn.execute(sa.text("SELECT count(*) - count(DISTINCT text_hash) + count(url) - count(DISTINCT url) FROM articles")).scalar()
            assert dups == 0
            if store.dialect == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            return conn.execute(sa.text("SELECT count(*) FROM articles")).scalar()

    with Store(db_url) as store:
        after_kill = check(store)
        assert after_kill >= stored
    r = run_geo(["ingest", str(src), "--db", db_url, "-q"])
    assert r.returncode == 0, r.stderr
    assert f"stored {n - after_kill}, skipped {after_kill}" in r.stdout
    with Store(db_url) as store:
        assert check(store) == n
        assert store.counts()["events"] > n
