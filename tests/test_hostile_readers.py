"""The input readers given broken CSV and JSONL: every bad record named by its line, and no good
record lost or merged into another. Then the same files through `ingest`, into a real store."""

from __future__ import annotations

import io

import pytest

from geo.store.readers import Item, ReadError, read_csv, read_file, read_jsonl

HEADER = b"id,title,url,published,text\r\n"


def csv_rows(*rows: bytes) -> bytes:
    return HEADER + b"".join(r + b"\r\n" for r in rows)


def read(data: bytes, reader=read_csv) -> list[Item | ReadError]:
    return list(reader(io.BytesIO(data), "in.csv"))


def summary(out) -> list[tuple[int | None, str]]:
    """(line, id or 'ERROR: reason') per result."""
    return [(x.line, x.external_id) if isinstance(x, Item) else (x.line, "ERROR: " + x.reason) for x in out]


def test_an_unterminated_quote_is_reported_and_the_rows_after_it_are_read():
    out = read(csv_rows(
        b'1,One,,2019-01-01,"Rain in Lima."',
        b'2,Two,,2019-01-02,"An open quote in Quito, never closed.',
        b"3,Three,,2019-01-03,Snow in Oslo.",
        b'4,Four,,2019-01-04,"Quoted ""Berlin"" text."',
        b"5,Five,,2019-01-05,Sun in Rome.",
    ))  # fmt: skip
    got = summary(out)
    assert got[0] == (2, "1")
    assert got[1][0] == 3 and "quote is not closed" in got[1][1]
    assert got[2:] == [(4, "3"), (5, "4"), (6, "5")]
    assert out[3].text == 'Quoted "Berlin" text.'
    assert all("Snow in Oslo" not in x.text for x in out if isinstance(x, Item) and x.external_id != "3")


def test_an_unterminated_quote_at_the_end_of_the_file():
    out = read(csv_rows(b"1,One,,,Rain in Lima.", b'2,Two,,,"Never closed'))
    assert summary(out)[0] == (2, "1")
    assert summary(out)[1][0] == 3 and "quote is not closed" in summary(out)[1][1]


def test_a_stray_quote_inside_a_quoted_field_costs_its_row_only():
    out = read(csv_rows(b'1,One,,,"He said "no" in Kyiv"', b"2,Two,,,Rain in Lima."))
    assert summary(out)[0][0] == 2 and "must be doubled" in summary(out)[0][1]
    assert summary(out)[1] == (3, "2")


def test_multi_line_quoted_text_is_one_record_with_its_first_line():
    out = read(csv_rows(b'1,One,,,"First paragraph in Lima.\r\n\r\nSecond, in Cusco."', b"2,Two,,,Rain in Oslo."))
    assert summary(out) == [(2, "1"), (5, "2")]
    assert out[0].text == "First paragraph in Lima.\r\n\r\nSecond, in Cusco."


def test_bad_bytes_wrong_widths_and_empty_text_are_each_one_error():
    out = read(csv_rows(
        b"1,One,,,Caf\xe9 in Lyon",
        b"2,Two,,,Rain,in,Lima",
        b"3,Three,,,   ",
        b"4,Four,,not-a-date,Rain in Oslo.",
        b"5,Five,,,Sun in Rome.",
    ))  # fmt: skip
    got = summary(out)
    assert [line for line, _ in got] == [2, 3, 4, 5, 6]
    assert "UTF-8" in got[0][1] and "fields where the header has 5" in got[1][1]
    assert "empty article" in got[2][1] and "not-a-date" in got[3][1] and got[4] == (6, "5")


def test_a_byte_order_mark_and_odd_header_case():
    out = read(b"\xef\xbb\xbfID,Title,TEXT\n1,One,Rain in Lima.\n")
    assert summary(out) == [(2, "1")]


def test_jsonl_line_numbers_hold_after_bad_bytes():
    data = b'{"text": "Rain in Lima."}\n' + b"\xff" * 10_000 + b"\n\n" + b'{"text": "Snow in Oslo."}\n'
    out = list(read_jsonl(io.BytesIO(data), "in.jsonl"))
    assert [(x.line, type(x).__name__) for x in out] == [(1, "Item"), (2, "ReadError"), (4, "Item")]


@pytest.fixture
def broken_folder(tmp_path):
    (tmp_path / "news.csv").write_bytes(csv_rows(
        b'1,Floods,https://example.org/1,2019-03-01,"Floods hit Dhaka, Bangladesh."',
        b'2,Open quote,https://example.org/2,2019-03-02,"Protesters marched in Nairobi',
        b"3,Border,https://example.org/3,2019-03-03,Hundreds crossed from Ciudad Juarez into El Paso.",
        b"4,Talks,https://example.org/4,2019-03-04,Ministers met in Geneva for talks.",
    ))  # fmt: skip
    return tmp_path


def test_ingest_stores_every_good_row_of_a_broken_csv(broken_folder, tmp_path, pipeline):
    from geo.store import Store
    from geo.store.ingest import ingest

    with Store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        report = ingest([str(broken_folder)], store, progress=False, pipeline=pipeline)
        assert report.stored == 3 and report.failed == 1
        (err,) = report.errors
        assert err.where == f"{broken_folder / 'news.csv'}:3" and "quote is not closed" in err.reason
        assert set(store.articles()["title"]) == {"Floods", "Border", "Talks"}
        texts = list(store.articles()["title"])
        assert "Open quote" not in texts


def test_read_file_refuses_binary_and_utf16(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"\xff\xfei\x00d\x00")
    (tmp_path / "b.csv").write_bytes(HEADER + b"1,x,,,\x00\x01")
    assert "UTF-16" in next(read_file(tmp_path / "a.csv")).reason
    assert "NUL" in next(read_file(tmp_path / "b.csv")).reason


def test_a_jsonl_article_at_the_limit_fits_its_line_even_written_with_escapes():
    import json

    from geo.text.inputs import MAX_CHARS

    text = "\u041a\u0438\u0457\u0432 \u041b\u044c\u0432\u0456\u0432 " * (MAX_CHARS // 11)  # "Київ Львів ": \uXXXX is 6 bytes a letter
    line = json.dumps({"text": text}).encode()  # ensure_ascii, as most JSON writers do
    assert len(line) > 4 * MAX_CHARS and len(text) <= MAX_CHARS
    (item,) = read_jsonl(io.BytesIO(line + b"\n"), "in.jsonl")
    assert isinstance(item, Item) and item.text == text
