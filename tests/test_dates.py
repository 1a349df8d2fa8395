import datetime as dt
import time

import pytest

from geo.text.dates import find_dates, parse_published, resolve

TUESDAY = dt.date(2019, 3, 19)  # the publication date of most cases below


def only(sentence: str, published: dt.date | None = TUESDAY):
    refs = find_dates(sentence, published)
    assert len(refs) == 1, refs
    ref = refs[0]
    assert sentence[ref.start : ref.end] == ref.text
    return ref


@pytest.mark.parametrize(
    "sentence, text, date, precision",
    [
        ("Guaido said Monday that aid would come.", "Monday", dt.date(2019, 3, 18), "day"),
        # AP: in a Tuesday story "Tuesday" is that day, not a week back.
        ("The talks ended Tuesday in Lima.", "Tuesday", TUESDAY, "day"),
        ("He arrived on Sunday.", "Sunday", dt.date(2019, 3, 17), "day"),
        ("They met last Tuesday.", "last Tuesday", dt.date(2019, 3, 12), "day"),
        ("Talks resume next Friday.", "next Friday", dt.date(2019, 3, 22), "day"),
        ("Monday's blackout hit Caracas.", "Monday", dt.date(2019, 3, 18), "day"),
        ("Power came back today.", "today", TUESDAY, "day"),
        ("Crowds gathered tonight.", "tonight", TUESDAY, "day"),
        ("This morning the border opened.", "This morning", TUESDAY, "day"),
        ("Troops left yesterday.", "yesterday", dt.date(2019, 3, 18), "day"),
        ("Shots were heard last night.", "last night", dt.date(2019, 3, 18), "day"),
        ("Voting starts tomorrow.", "tomorrow", dt.date(2019, 3, 20), "day"),
        ("It failed three days ago.", "three days ago", dt.date(2019, 3, 16), "day"),
        ("Prices doubled this week.", "this week", TUESDAY, "week"),
        ("Prices doubled last week.", "last week", dt.date(2019, 3, 12), "week"),
        ("It began two weeks ago.", "two weeks ago", dt.date(2019, 3, 5), "week"),
        ("Thousands left in recent days.", "recent days", TUESDAY, "week"),
        ("Power has been out since last month.", "last month", dt.date(2019, 2, 1), "month"),
        ("Inflation rose this month.", "this month", dt.date(2019, 3, 1), "month"),
        ("Elections are due next month.", "next month", dt.date(2019, 4, 1), "month"),
        ("Output fell last year.", "last year", dt.date(2018, 1, 1), "year"),
        ("Millions have left in recent years.", "recent years", dt.date(2019, 1, 1), "year"),
        ("It was built five years ago.", "five years ago", dt.date(2014, 1, 1), "year"),
        ("It was a Feb. 23 attempt to bring in aid.", "Feb. 23", dt.date(2019, 2, 23), "day"),
        ("It happened on February 23.", "February 23", dt.date(2019, 2, 23), "day"),
        ("It happened on 23 February.", "23 February", dt.date(2019, 2, 23), "day"),
        ("The vote of March 18, 2019 was annulled.", "March 18, 2019", dt.date(2019, 3, 18), "day"),
        ("Filed 03/19/2019 in court.", "03/19/2019", TUESDAY, "day"),
        # Day first only when the first number cannot be a month.
        ("Filed 19/03/2019 in court.", "19/03/2019", TUESDAY, "day"),
        ("The decree of 2019-03-18 stands.", "2019-03-18", dt.date(2019, 3, 18), "day"),
        (
            "On Monday, March 18, the lights went out.",
            "Monday, March 18",
            dt.date(2019, 3, 18),
            "day",
        ),
        # Within a week ahead a year-less date is upcoming; beyond that it is last year's.
        ("Talks are set for March 25.", "March 25", dt.date(2019, 3, 25), "day"),
        ("Talks were held on March 30.", "March 30", dt.date(2018, 3, 30), "day"),
        ("Protests peaked in March.", "March", dt.date(2019, 3, 1), "month"),
        ("Protests peaked in May.", "May", dt.date(2018, 5, 1), "month"),
        ("The rally of March 2019 was large.", "March 2019", dt.date(2019, 3, 1), "month"),
        ("Aid was blocked in late Feb. at the border.", "late Feb.", dt.date(2019, 2, 1), "month"),
        ("The crisis began in 2015.", "2015", dt.date(2015, 1, 1), "year"),
        ("Exports collapsed in mid-2018.", "mid-2018", dt.date(2018, 1, 1), "year"),
    ],
)
def test_expression_resolves_against_publication(sentence, text, date, precision):
    ref = only(sentence)
    assert (ref.text, ref.date, ref.precision) == (text, date, precision)


def test_year_less_date_crosses_new_year():
    assert only("A Dec. 30 raid killed six.", dt.date(2020, 1, 8)).date == dt.date(2019, 12, 30)
    assert only("Since last month it has rained.", dt.date(2019, 1, 10)).date == dt.date(
        2018, 12, 1
    )


def test_feb_29_in_a_non_leap_year_goes_back_to_a_leap_year():
    assert only("A Feb. 29 ruling stands.", dt.date(2019, 3, 1)).date == dt.date(2016, 2, 29)


@pytest.mark.parametrize(
    "sentence",
    [
        "They may leave on May Day.",
        "They may leave within a week.",
        "About 1,000 members of the guard defected.",
        "It was the second time the bridge closed.",
        "Theresa May's cabinet met to discuss it.",
        "Marchers filled the avenue as the march began.",
        "Good Friday processions were cancelled.",
        "The Sunday Times reported the deal.",
        "Prices rose 5.5 percent, and 2000 troops arrived.",
        "The Feb. 30 date is impossible.",
    ],
)
def test_not_a_date(sentence):
    assert find_dates(sentence, TUESDAY) == []


def test_an_explicit_date_is_one_expression_not_its_parts():
    refs = find_dates("The March 18, 2019 vote and the 2015 one.", TUESDAY)
    assert [r.text for r in refs] == ["March 18, 2019"]


def test_several_dates_in_reading_order_with_offset():
    sentence = "Guaido said Monday that a Feb. 23 attempt failed, and since last month more left."
    refs = find_dates(sentence, TUESDAY, offset=1000)
    assert [r.text for r in refs] == ["Monday", "Feb. 23", "last month"]
    for ref in refs:
        assert sentence[ref.start - 1000 : ref.end - 1000] == ref.text


def test_without_publication_date_only_absolute_dates_resolve():
    assert find_dates("He said Monday that the aid failed.", None) == []
    assert find_dates("It was a Feb. 23 attempt, last month.", None) == []
    ref = only("He said the March 18, 2019 vote was void.", None)
    assert (ref.date, ref.precision) == (dt.date(2019, 3, 18), "day")
    assert only("The crisis began in 2015.", None).date == dt.date(2015, 1, 1)
    assert only("The rally of March 2019.", None).precision == "month"


def test_resolve_single_expression():
    ref = resolve("since last month", TUESDAY)
    assert (ref.date, ref.precision, ref.text, ref.start) == (
        dt.date(2019, 2, 1),
        "month",
        "last month",
        6,
    )
    assert resolve("a week", TUESDAY) is None
    assert resolve("Monday", None) is None


def test_resolve_hands_unknown_absolute_formats_to_dateparser():
    ref = resolve(" 19.03.2019 ", None)
    assert (ref.date, ref.precision, ref.text, ref.start, ref.end) == (
        TUESDAY,
        "day",
        "19.03.2019",
        1,
        11,
    )
    assert resolve("the second week", TUESDAY) is None


@pytest.mark.parametrize(
    "value",
    [
        "2019-03-19",
        "March 19, 2019",
        "2019-03-19T10:00:00Z",
        "Tue, 19 Mar 2019 10:00:00 GMT",
        "19 March 2019",
        # The wall date where it was filed, not converted to UTC (that would be Mar. 20).
        "2019-03-19T23:30:00-05:00",
    ],
)
def test_parse_published(value):
    assert parse_published(value) == TUESDAY


@pytest.mark.parametrize("value", ["not-a-date", "", "yesterday", "2019", "March 2019"])
def test_parse_published_rejects_non_dates_naming_them(value):
    with pytest.raises(ValueError) as info:
        parse_published(value)
    assert repr(value) in str(info.value)


def test_thousand_sentences_well_under_a_second():
    templates = [
        "Opposition leader Juan Guaido said Monday that a Feb. 23 attempt to bring in aid failed.",
        "About 1,000 members of the National Guard have defected to Colombia since last month.",
        "The United Nations estimates 3.4 million Venezuelans have left in recent years.",
        "Hospitals across Caracas struggled to keep patients alive as generators ran dry.",
        "Colombian officials said more than 25,000 people crossed the bridge on Sunday.",
        "In 2015, the opposition won a majority in the National Assembly for the first time.",
        "The Lima Group met in Bogota on Feb. 25 to discuss the crisis.",
        "The Associated Press was unable to independently verify the reports.",
    ]
    # Distinct sentences, so the cache cannot help.
    sentences = [f"{i}: {templates[i % len(templates)]}" for i in range(1000)]
    began = time.perf_counter()
    found = sum(len(find_dates(s, TUESDAY)) for s in sentences)
    elapsed = time.perf_counter() - began
    assert found == 125 * 7
    assert elapsed < 1.0
