"""Find place mentions in a spaCy Doc: the NER's places, checked and completed by the gazetteer.

The statistical NER finds most toponyms but mislabels surnames as places ("Buhari"), misses
places it has not seen, and hides places inside organisation names ("Toronto Police"). So:
  1. GPE/LOC/FAC entities are kept, trimmed to the name ("the United States" -> "United States");
     one whose words appear in a person's name elsewhere in the article is dropped unless the
     gazetteer knows it as a country or state.
  2. NORP entities are kept only when they are demonyms of a country ("Venezuelan").
  3. Inside ORG entities, well-known places and demonyms are found by the gazetteer
     ("U.S. State Department" -> "U.S.").
  4. Outside any entity, capitalised words the gazetteer knows well are added.
  5. Wire datelines ("CARACAS, Venezuela --") are recognised as such.
  6. A name the NER took for a person or an organisation, or left unlabelled, is a place where
     only places stand (label ending in POSITION): "the town of Rawa", "recaptured Kon Tum",
     "from Al-Bab", "the siege on Manbij", each next name of a list that stands there; with a
     settlement noun even a name the gazetteer lacks ("Dubuwa village").
  7. Other capitalised names the gazetteer knows as a town or county, even inside a person's or
     an organisation's name the NER gave them, become tentative mentions (label ending in
     LOCAL): the resolver keeps them only near the places the article certainly names.
  8. A name the NER calls a place somewhere in the article is that place wherever else it stands
     on its own ("Douma is surrounded", label ending in ECHO), unless it reads as a person's there.
Tokens inside PERSON entities never become places, except through 6, 7, 8 or a locative preposition.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc, Span

from geo.gazetteer import Gazetteer
from geo.model import Mention

from .docs import clause_subject, doc_text, list_first, names_a_kin_group, peoples_plural
from .qualifiers import ABBREVIATION_AFTER, abbreviation
from .vocabulary import ABDUCTORS, AREA_NOUNS, ARTICLES, COARSE_AREA_WORDS, DASHES, DATE_WORDS, DIRECTION_ADJECTIVES, DIRECTION_NOUNS, EVENT_HEADS, FINE_NOUNS, GENERIC_PLACE_NOUNS, GROUND_OBJECT_VERBS, GROUND_ONLY_VERBS, KIN_NOUNS, NAME_LINK_WORDS, NAME_PREFIXES, NO_POINT_HEADS, NOT_NAMES, PEOPLE_GROUP_NOUNS, PERSON_NOUNS, PLACE_OFFICE_NOUNS, RELATIONAL_NOUNS, ROMANCE_ARTICLES, SITE_HEADS, STREET_NAME_HEADS

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Organisation names often embed a place ("Boston Globe", "Bank of England") that a reader maps.
EMBEDDING_LABELS = {"ORG", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
# Determiners and possessives are not part of a place's name; the scorer and users expect bare names.
LEADING_DROP = {"the", "The", "THE"}
TRAILING_DROP = {"'s", "’s", "'", "’"}
# Words after which a capitalised name is very likely a place.
LOCATIVE_PREPS = {"in", "at", "from", "to", "near", "outside", "into", "across", "toward", "towards", "via", "around", "across", "through", "between"}
# A city found by the gazetteer alone, with no NER label, must be this big (or follow a locative
# preposition) to count: smaller namesakes are mostly surnames and common words.
GAZ_ONLY_MIN_POP = 100_000
EMBEDDED_MIN_POP = 100_000

# A bracket right after a name: "Tripoli (North Lebanon)", "Kiwanja (Rutshuru territory, North Kivu)".
BRACKET_AFTER = re.compile(r"[ \t]*\(([^()\n]{2,100})\)")

DATELINE = re.compile(
    r"(?m)^(?P<city>[A-Z][A-Z'’.\- ]{2,40}?)"
    r"(?:,\s*(?P<qual>[A-Z][A-Za-z.'’ ]{1,30}?))?"
    r"\s*(?:\((?:AP|AFP|Reuters|UPI|IANS|PTI|Xinhua|dpa)\)\s*)?(?:--|—|–|-|:)\s"
)


def _trim(span: Span) -> tuple[int, int] | None:
    """Token bounds of the name inside an entity span, without determiners and possessives."""
    start, end = span.start, span.end
    doc = span.doc
    # "east Jerusalem", "northern Syria": a lowercase compass word is no part of the name
    while start < end and (doc[start].text in LEADING_DROP or (doc[start].text in DIRECTION_ADJECTIVES and end - start > 1)):
        start += 1
    # "in Homs - 6 times; in Hama province - 4 times": the NER runs a tally into the name; a
    # dash written apart before a number ends it (a hyphen inside a name is written glued: "T-4")
    for k in range(start + 1, end - 1):
        if (doc[k].text in DASHES or doc[k].text == "-") and doc[k - 1].whitespace_ and doc[k + 1].like_num:
            end = k
            break
    while end > start and (doc[end - 1].text in TRAILING_DROP or doc[end - 1].is_punct):
        end -= 1
    if start >= end:
        return None
    return start, end


def _person_words(doc: Doc, besides: Span | None = None) -> set[str]:
    """Words of the article's full names of people (other than the entity `besides`)."""
    words: set[str] = set()
    for start, names in _token_table(doc).persons:
        if besides is None or start != besides.start:
            words |= names
    return words


class _TokenTable:
    """Plain lists of what the scans read per token: spaCy's Token objects are costly to make."""

    __slots__ = ("text", "cap", "lower", "start", "end", "sent_start", "in_ent", "persons")

    def __init__(self, doc: Doc):
        self.text = doc_text(doc)
        self.cap = [_is_capitalised(t) for t in doc]
        self.lower = [t.lower_ for t in doc]
        self.start = [t.idx for t in doc]
        self.end = [t.idx + len(t.text) for t in doc]
        self.sent_start = [bool(t.is_sent_start) for t in doc]
        ents = doc.ents
        self.in_ent = {i for ent in ents for i in range(ent.start, ent.end)}
        # the full names of people, by their first token: `_person_words` reads them per name
        self.persons = [(ent.start, _name_words(ent)) for ent in ents if ent.label_ == "PERSON" and len(ent) > 1]


def _name_words(ent: Span) -> frozenset[str]:
    """The capitalised words of a person's full name, less the Arabic article: "Al" of "Al-Sham"
    is no one's name, and "Al-Raqqa" shares it."""
    return frozenset(t.text for t in ent if t.is_alpha and t.is_title and t.lower_ not in ARTICLES)


_HYPHENS = {"-", "\u2010", "\u2011"}


def _runs_on(toks: _TokenTable, j: int) -> bool:
    """Whether the name ending at token `j` runs on into an Arabic article glued to the next
    word ("Marj Al-Zawiyah", "Tall Battal ash-Shamali"): the words so far are only the start of
    a longer name."""
    k = j + 1
    return (k + 2 < len(toks.lower) and toks.lower[k] in ARTICLES and toks.end[k] == toks.start[k + 1]
            and toks.text[toks.start[k + 1] : toks.end[k + 1]] in _HYPHENS and toks.end[k + 1] == toks.start[k + 2])  # fmt: skip


def _glued_end(toks: _TokenTable, j: int) -> int:
    """The last token of the capitalised words glued by hyphens to token `j` ("Nord" "-" "Kivu"),
    or `j`."""
    n = len(toks.lower)
    while (j + 2 < n and toks.text[toks.start[j + 1] : toks.end[j + 1]] in _HYPHENS and toks.end[j] == toks.start[j + 1]
           and toks.end[j + 1] == toks.start[j + 2] and toks.cap[j + 2]):  # fmt: skip
        j += 2
    return j


def _after_prefix(toks: _TokenTable, i: int) -> bool:
    """Whether token `i` follows a capitalised word that begins place names ("Kafr", "Tal",
    "Deir"), written with one space: the rest of that name ("Kafr Batna")."""
    return i > 0 and toks.cap[i - 1] and toks.lower[i - 1] in NAME_PREFIXES and toks.end[i - 1] + 1 == toks.start[i]


def _token_table(doc: Doc) -> _TokenTable:
    # One table per Doc: the scans run once over the whole text and once per organisation name.
    table = doc.user_data.get("dateline_tokens")
    if table is None:
        table = doc.user_data["dateline_tokens"] = _TokenTable(doc)
    return table


def _proper(name: str) -> bool:
    """Whether a name is written as a proper name: capitalised, or an Arabic article joined to
    a capitalised word ("al-Zaytouniyah", "al-‘Arfi"), which English text leaves lowercase."""
    if name[:1].isupper():
        return True
    article, hyphen, rest = name.replace("\u2010", "-").partition("-")
    return bool(hyphen) and article.lower() in ARTICLES and rest.lstrip("'\u2018\u2019")[:1].isupper()


_INNER_APOSTROPHES = str.maketrans("", "", "'\u2018\u2019\u02bb\u02bf")


def _is_capitalised(token) -> bool:
    # an apostrophe inside a word writes a transliterated consonant ("Rifa’at", "Ma'arat")
    text = token.text
    return text[:1].isupper() and (
        token.is_alpha or text in {"U.S.", "U.K.", "D.C."} or "." in text or (text[-1:].isalpha() and text.translate(_INNER_APOSTROPHES).isalpha())
    )


class MentionFinder:
    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        # tokens, not words: "Democratic People's Republic of Korea" is five words and six tokens
        self.max_words = min(gazetteer.max_name_words(), 5) + 1

    # --- gazetteer judgements -------------------------------------------------------------
    def _well_known(self, name: str, min_pop: int) -> str | None:
        """'demonym' or 'toponym' when the gazetteer knows the name as a major place."""
        if name.lower() in GENERIC_NAMES:
            # "the Gulf": a reviewed alias gives some generic words their news meaning
            return "toponym" if any(p.level == "region" for p in self.gaz.lookup(name)) else None
        if self.gaz.demonym(name):
            return "demonym"
        for p in self.gaz.lookup(name):
            if p.level in ("continent", "region", "country", "admin1"):
                return "toponym"
            if p.population >= min_pop and self.gaz.name_matches_primary(p, name):
                return "toponym"
        return None

    def _country(self, name: str) -> bool:
        return name.lower() not in GENERIC_NAMES and any(
            p.level == "country" and self.gaz.name_matches_primary(p, name) for p in self.gaz.lookup(name)
        )

    def _major_level(self, name: str) -> bool:
        return any(p.level in ("continent", "region", "country", "admin1") for p in self.gaz.lookup(name))

    def _major_place(self, name: str) -> bool:
        """A name that outweighs what the text says of a person: a country, a state or a city of
        100,000 ("Abuja", "Manchester"), not a hamlet that shares a surname."""
        return self._major_level(name) or self._well_known(name, 100_000) is not None

    # --- the passes -----------------------------------------------------------------------
    def find(self, doc: Doc) -> list[Mention]:
        text = _token_table(doc).text
        mentions: list[Mention] = []
        taken = [False] * len(text)  # characters already inside a mention or a person's name
        in_mention = [False] * len(text)

        def add(start: int, end: int, kind: str, label: str, over_person: bool = False, over_parts: bool = False) -> None:
            # The NER takes "Ont" of "London, Ont." for a person; a state abbreviation after a
            # place may override that, never another mention nor what the text itself says
            # is no place.
            if over_parts:
                # ... and the NER's "Tex" of "Garland, Tex." (Tegh, Armenia) gives way to "Tex."
                for m in [m for m in mentions if start <= m.start and m.end <= end and m.end - m.start < end - start]:
                    mentions.remove(m)
                    in_mention[m.start : m.end] = [False] * (m.end - m.start)
            if start >= end or any((in_mention if over_person else taken)[start:end]) or any(refused[start:end]):
                return
            for i in range(start, end):
                taken[i] = in_mention[i] = True
            mentions.append(Mention(text=text[start:end], start=start, end=end, kind=kind, label=label))

        person_words = _person_words(doc)
        for ent in doc.ents:
            if ent.label_ == "PERSON" and not self._place_labelled_person(ent, person_words):
                for i in range(ent.start_char, ent.end_char):
                    taken[i] = True
        refused = [False] * len(text)
        for start, end in [*self._named_by_kin(doc), *self._defined_abbreviations(doc)]:
            for i in range(start, end):
                refused[i] = True

        self._datelines(doc, add)

        for ent in doc.ents:
            site = ent.label_ == "ORG" and len(ent) > 1 and ent[-1].lower_ in SITE_HEADS and ent[-1].text[:1].isupper()
            if ent.label_ in PLACE_LABELS or site:
                bounds = _trim(ent)
                if bounds is None:
                    continue
                span = doc[bounds[0] : bounds[1]]
                name = span.text
                if not (_proper(name) or name[:1].isdigit()):
                    continue  # "veranda", "downtown": the NER's lowercase places are common nouns
                if name.lower() in NOT_NAMES:
                    continue  # "taken on Easter", "in Congress": a feast or an institution
                if span[-1].lower_ in NO_POINT_HEADS and ent.label_ != "FAC" and not self.gaz.is_name(name):
                    continue  # "the busiest crossing in the Western Hemisphere": no place to pin
                if len(span) == 1 and _people_noun(name) and not self.gaz.is_name(name):
                    continue  # "NAIROBI, Kenya -- Gunmen stormed ...": a capitalised word for people
                words = {t.text for t in span if t.is_alpha}
                # "Buhari" is a surname the NER may call a place; "Abuja", also in "Abuja
                # Chamber of Commerce" that it calls a person, is a capital.
                if words and words <= person_words and not self._major_place(name):
                    continue
                # "Burundi's Tutsi minority", "the Krahn community": a name the gazetteer lacks
                # that says which people a group is, is a people's name; before "tribe" or "clan"
                # any name but a major place's is
                if (span.root.dep_ in ("compound", "amod") and span.root.head.lemma_.lower() in PEOPLE_GROUP_NOUNS
                        and not self.gaz.is_name(name)) or self._kin_group(span):
                    continue
                # "in support of Kibaki, who has been accused": a name a "who" clause follows is a
                # person's, unless it is a major place (a hamlet sharing it is no evidence)
                if span.end + 1 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].lower_ in ("who", "whom", "whose") and not self._major_place(name):
                    continue
                if self.gaz.demonym(name) and not self.gaz.is_name(name):
                    # "the southern Angolan city of Benguela": the NER may call a nationality a
                    # place; read as one, it was put at the town it qualifies
                    self._people(span, ent.label_ + ">NORP", add)
                    continue
                if len(span) == 1 and span.root.tag_ == "JJ" and span.root.dep_ == "amod" and not self.gaz.is_name(name):
                    continue  # "in Indigenous villages": an adjective the NER took for a place no place is called
                span = self._longer_name(span)
                self._split_qualified(span, "ORG>SITE" if site else ent.label_, add)
            elif ent.label_ == "PERSON" and self._place_labelled_person(ent, person_words) and not self._kin_group(ent):
                add(ent.start_char, ent.end_char, "toponym", "PERSON>GAZ")
            elif ent.label_ == "NORP":
                bounds = _trim(ent)
                if bounds is None:
                    continue
                span = doc[bounds[0] : bounds[1]]
                if self.gaz.demonym(span.text):
                    self._people(span, "NORP", add)
                elif self._well_known(span.text, EMBEDDED_MIN_POP) == "toponym" and not self._kin_group(span):
                    # the small NER calls some cities a people ("fixated on Aleppo", "a Lahore
                    # court"); a name no people takes, and a major place's, is that place
                    add(span.start_char, span.end_char, "toponym", "NORP>GAZ")
            elif ent.label_ in EMBEDDING_LABELS:
                self._scan(doc, ent.start, ent.end, add, min_pop=EMBEDDED_MIN_POP, label=ent.label_ + ">GAZ")
            elif ent.label_ == "LANGUAGE" and (bounds := _trim(ent)) is not None:
                # the small NER calls some cities languages ("in northeastern Aleppo"); a
                # language's name is a people's word ("English"), never a major place's
                span = doc[bounds[0] : bounds[1]]
                if self._well_known(span.text, EMBEDDED_MIN_POP) == "toponym":
                    add(span.start_char, span.end_char, "toponym", "LANGUAGE>GAZ")

        self._scan(doc, 0, len(doc), add, min_pop=GAZ_ONLY_MIN_POP, label="GAZ", outside_ents=True)
        self._placed_by_position(doc, add)
        self._local_towns(doc, person_words, add)
        self._echoes(doc, list(mentions), person_words, add)
        self._abbreviated_qualifiers(text, list(mentions), add)
        mentions = self._bracketed_qualifiers(text, mentions)
        mentions.sort(key=lambda m: m.start)
        self._mark_metonyms(doc, mentions)
        return mentions

    def _echoes(self, doc: Doc, found: list[Mention], person_words: set[str], add) -> None:
        """"Douma is surrounded", "Douma's fall": a name the gazetteer knows that the NER took
        for a town or a region elsewhere in the article is that place wherever else it stands on
        its own, whatever the NER took it for there (not a name only a position showed, which may
        be a building's: "outside the White House", then "White House aides"). Not a word of
        someone's full name in the article ("Jordan" beside "Michael Jordan"), nor a name inside a
        longer one ("Douma Council"), nor one that speaks ("said Noma") or goes with a person
        ("Deen and Villanueva"), nor one the NER takes for a person more often than for a place."""
        toks = _token_table(doc)
        names = {m.text for m in found if m.kind == "toponym" and m.label in ("GPE", "LOC")}
        # ... and not a name the NER reads as a person's more often than as a place's ("Noma
        # (not her real name) opened a case", once taken for a place)
        votes = Counter((e.text, "place" if e.label_ in PLACE_LABELS else e.label_) for e in doc.ents if e.text in names)
        names = {n for n in names if _proper(n) and not (set(n.split()) & person_words) and self.gaz.lookup(n)
                 and votes[(n, "place")] >= votes[(n, "PERSON")]}  # fmt: skip
        if not names:
            return
        first = {w: i for i, w in enumerate(toks.start)}
        last = {e: i for i, e in enumerate(toks.end)}
        labels, ent_len = {}, {}  # the entity label and length at each token inside one
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                labels[i], ent_len[i] = ent.label_, len(ent)
        at = {(m.start, m.end): m for m in found}
        # one pass over the text for all the names, the longest first where two start together
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        for hit in re.finditer(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])", toks.text):
            name = hit.group()
            i, j = first.get(hit.start()), last.get(hit.end())
            if i is None or j is None:
                continue
            if (i > 0 and toks.cap[i - 1] and not toks.sent_start[i]) or (j + 1 < len(toks.cap) and toks.cap[j + 1]):
                continue
            if ent_len.get(i, 0) > j - i + 1 or labels.get(i) in PLACE_LABELS:
                continue  # inside a longer name; or the NER's own place, which its pass kept or refused
            root = doc[i : j + 1].root
            if root.dep_ == "nsubj" and root.head.lemma_.lower() in SPEECH_VERBS:
                continue
            if any(t.ent_type_ == "PERSON" and t.text not in name for t in root.conjuncts):
                continue  # "arrested Deen and Villanueva": one of two people
            m = at.get((hit.start(), hit.end()))
            if m is not None and is_tentative(m):
                m.label = (m.label[: -len(LOCAL)] or "NONE>") + "ECHO"  # sure now: no town for the resolver to vouch for
            elif m is None:
                add(hit.start(), hit.end(), "toponym", labels.get(i, "NONE") + ">ECHO", over_person=True)

    def _kin_group(self, span: Span) -> bool:
        """'the Tama tribe', 'the Rizeigat and Misseriya tribesmen': a name before a word for a
        tribe or a clan, alone or in a list, is that people's, whatever small town shares it; a
        major place keeps its name."""
        return names_a_kin_group(span) and not self._major_level(span.text)

    def _named_by_kin(self, doc: Doc) -> list[tuple[int, int]]:
        """'his mother Michelle', 'her son Dallas', 'and girlfriend Olivia': a name right after a
        word for a relative is that person's, however big a town shares it ("Mother Russia",
        capitalised, is a name of its own)."""
        toks = _token_table(doc)  # Token objects only where a relative is named: they are costly
        spans = []
        for i, w in enumerate(toks.lower[:-1]):
            if not (w in KIN_NOUNS or (w[-1:] == "s" and w[:-1] in KIN_NOUNS)) or toks.cap[i] or not toks.cap[i + 1]:
                continue
            end = i + 1
            while end < len(toks.cap) and toks.cap[end] and not toks.sent_start[end]:
                end += 1
            spans.append((toks.start[i + 1], toks.end[end - 1]))
        return spans

    def _defined_abbreviations(self, doc: Doc) -> list[tuple[int, int]]:
        """'The Ministry of Defence (MoD) said ... The MoD said': an abbreviation the article
        defines for a name that is no place is that name wherever it appears, not the village of
        Maud, Oklahoma. One defined for a place ("Democratic Republic of Congo (DRC)") is left
        to the gazetteer."""
        toks = _token_table(doc)
        defined = set()
        for i, w in enumerate(toks.lower[:-2]):
            if w != "(" or toks.lower[i + 2] != ")":
                continue
            abbr = toks.text[toks.start[i + 1] : toks.end[i + 1]]
            capitals = [c for c in abbr if c.isupper()]
            if not abbr.isalpha() or not 2 <= len(capitals) <= 6:
                continue
            words: list[int] = []  # the long form's capitalised words, last first
            k = i - 1
            while k >= 0 and len(words) < len(capitals):
                if toks.cap[k]:
                    words.append(k)
                elif toks.lower[k] not in NAME_LINK_WORDS:
                    break
                k -= 1
            if [toks.text[toks.start[w]] for w in reversed(words)] != capitals:
                continue
            if not self.gaz.is_name(toks.text[toks.start[words[-1]] : toks.end[i - 1]]):
                defined.add(abbr)
        if not defined:
            return []
        return [(s, e) for s, e in zip(toks.start, toks.end) if toks.text[s:e] in defined]

    def _mark_metonyms(self, doc: Doc, mentions: list[Mention]) -> None:
        """'Washington has imposed sanctions': a place acting as a subject stands for its government."""
        for m in mentions:
            if m.kind != "toponym":
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            # "Miringa came under attack": what was attacked, not who acted
            under = any(c.dep_ == "prep" and c.lower_ == "under" for c in root.head.children)
            if root.dep_ == "nsubj" and root.head.pos_ in ("VERB", "AUX") and root.head.lemma_ not in LITERAL_VERBS and not under:
                m.kind = "metonym"
                m.reason = f"stands for its government or people (subject of '{root.head.text}')"

    def _place_labelled_person(self, ent: Span, person_words: set[str]) -> bool:
        """'fans in Valencia', 'between Dover and Calais': a lone name the NER took for a person.

        Only a single word that is nobody's name elsewhere in the article, that the gazetteer
        knows as a sizeable place, and that stands where places stand: after a locative
        preposition, or coordinated with a place.
        """
        tok = ent[0]
        prev = tok.doc[tok.i - 1] if tok.i > 0 else None
        locative = prev is not None and prev.lower_ in LOCATIVE_PREPS
        if len(ent) > 1:
            # "In Klamath Falls", "in Ciudad Juarez": a town's whole name after "in" is that town,
            # unless its words name someone else in the article.
            others = _person_words(ent.doc, besides=ent)
            return (
                locative and all(t.is_title for t in ent) and not any(t.text in others for t in ent)
                and any(p.level == "city" and p.population >= 5000 and self.gaz.name_matches_primary(p, ent.text)
                        for p in self.gaz.lookup(ent.text))
            )  # fmt: skip
        if ent.text in person_words:
            return False
        coordinated = tok.dep_ == "conj" and tok.head.ent_type_ in PLACE_LABELS
        if not (locative or coordinated):
            return False
        return self._well_known(ent.text, 50_000) == "toponym"

    def _longer_name(self, span: Span) -> Span:
        """The NER's place with the capitalised words before or after it that make a longer name
        the gazetteer knows: "Western Australia" for "Australia", "Democratic People's Republic of
        Korea" for "Republic of Korea", "Boa Vista" for "Boa"; and with the parts a hyphen joins
        it to, when the whole word is a name the gazetteer knows ("Mazar-e-Sharif" for "Mazar",
        "KwaZulu-Natal"). "US-led" or "Aleppo-Damascus" are no names, so "US" and "Aleppo" stay
        the places."""
        doc = span.doc
        span = best = self._hyphenated_whole(span)
        for k in range(span.start - 1, max(-1, span.start - 5), -1):
            if doc[k + 1].is_sent_start:
                break
            t = doc[k]
            if t.text in ("'s", "of"):
                continue
            if not t.text[:1].isupper():
                break
            wider = doc[k : span.end]
            if self.gaz.is_name(wider.text) and self._well_known(wider.text, 100_000) == "toponym":
                best = wider
        # "in Boa Vista", which the NER may split into a place "Boa" and an organisation "Vista"
        for k in range(best.end, min(len(doc), best.end + 3)):
            if doc[k].is_sent_start or not doc[k].text[:1].isupper():
                break
            wider = doc[best.start : k + 1]
            if self.gaz.is_name(wider.text) and self._well_known(wider.text, 100_000) == "toponym":
                best = wider
        return best

    def _hyphenated_whole(self, span: Span) -> Span:
        """The longest word the tokenizer split at its hyphens around `span` ("Mazar" "-" "e" "-"
        "Sharif") that the gazetteer knows as a name, else `span`."""
        doc = span.doc

        def glued(k: int) -> bool:  # doc[k] is a hyphen written between two words without spaces
            return 0 < k < len(doc) - 1 and doc[k].text == "-" and not doc[k - 1].whitespace_ and not doc[k].whitespace_

        starts, ends = [span.start], [span.end]
        while glued(starts[-1] - 1):
            starts.append(starts[-1] - 2)
        while glued(ends[-1]):
            ends.append(ends[-1] + 2)
        wider = [doc[a:b] for a in starts for b in ends if (a, b) != (span.start, span.end)]
        known = [w for w in wider if self.gaz.is_name(w.text)]
        return max(known, key=len) if known else span

    def _people(self, span: Span, label: str, add) -> None:
        """A country's people's word: a demonym, or the start of a place named after them."""
        named = self._named_after_people(span)
        if named is not None:
            add(named.start_char, named.end_char, "toponym", label + "+")
        else:
            add(span.start_char, span.end_char, "demonym", label)

    def _named_after_people(self, span: Span) -> Span | None:
        """'French Quarter', 'British International School': a nationality that begins the
        name of a place in town, not a reference to the country."""
        doc = span.doc
        for n in range(3, 0, -1):
            end = span.end + n
            if end > len(doc) or not all(t.text[:1].isupper() and t.is_alpha for t in doc[span.end : end]):
                continue
            if doc[end - 1].lower_ in NAMED_HEADS:
                return doc[span.start : end]
        return None

    def _looks_like_feature(self, span: Span) -> bool:
        return span[-1].lower_ in FEATURE_HEADS

    def _split_qualified(self, span: Span, label: str, add) -> None:
        """'Long Beach, California' or 'Bor (Jonglei' as one entity: the name, then its qualifier."""
        commas = [t.i for t in span if t.text in (",", "(", ")")]
        if not commas:
            # "Greece Italy": a missing comma runs two countries together
            cut = next(
                (k for k in range(span.start + 1, span.end) if not self.gaz.is_name(span.text)
                 and self._country(span.doc[span.start : k].text) and self._country(span.doc[k : span.end].text)),
                None,
            )  # fmt: skip
            if cut is not None:
                for piece in (span.doc[span.start : cut], span.doc[cut : span.end]):
                    add(piece.start_char, piece.end_char, "toponym", label)
                return
            add(span.start_char, span.end_char, "toponym", label)
            return
        doc = span.doc
        pieces, s = [], span.start
        for c in commas + [span.end]:
            if s < c:
                pieces.append(doc[s:c])
            s = c + 1
        listing = bool(pieces) and self._lists(pieces[0].text, [piece.text for piece in pieces[1:]])
        for n, piece in enumerate(pieces):
            add(piece.start_char, piece.end_char, "qualifier" if n and not listing else "toponym", label)

    def _scan(self, doc: Doc, lo: int, hi: int, add, *, min_pop: int, label: str, outside_ents: bool = False) -> None:
        """Longest-first gazetteer match over capitalised token runs in doc[lo:hi]."""
        toks = _token_table(doc)
        blocked = toks.in_ent if outside_ents else ()
        text = toks.text
        i = lo
        last_end = -1  # token after the last place matched
        while i < hi:
            # ... nor the words after such a word, the rest of that name: "Kafr Batna" is no Batna
            if i in blocked or not toks.cap[i] or _after_prefix(toks, i):
                i += 1
                continue
            matched = 0
            for n in range(min(self.max_words, hi - i), 0, -1):
                j = i + n - 1
                if not toks.cap[j] or (blocked and any(k in blocked for k in range(i, j + 1))):
                    continue
                start, end = toks.start[i], toks.end[j]
                name = text[start:end]
                if not self.gaz.is_name(name) and not self.gaz.demonym(name):
                    continue
                # "Nord-Kivu", "Sud-Kivu": a name glued by a hyphen to the next is the start of the
                # longer name when the gazetteer knows that (GeoNames writes "South Kivu")
                k = _glued_end(toks, j)
                if k != j and self._well_known(text[start : toks.end[k]], min_pop) == "toponym":
                    add(start, toks.end[k], "toponym", label)
                    matched, last_end = k - i + 1, k + 1
                    break
                runs_on = j + 1 < len(toks.cap) and toks.cap[j + 1]
                # "Queens Park Rangers", "Washington Street": the start of a park's or a street's name
                if runs_on and toks.lower[j + 1].rstrip(".") in STREET_NAME_HEADS:
                    continue
                # "Seoul Central District Court": a compass word and a division right after a
                # place's name are that place's part, not Israel's Central District
                if i == last_end and n == 2 and toks.lower[i] in DIRECTION_ADJECTIVES and toks.lower[j] in DIVISION_NOUNS:
                    continue
                kind = self._well_known(name, min_pop)
                # "from Robinson College": a small town's name that runs on into more capitalised
                # words is the start of a longer name, which the preposition vouches for instead.
                if kind is None and outside_ents and i > 0 and toks.lower[i - 1] in LOCATIVE_PREPS and not runs_on:
                    if any(p.level == "city" and p.population >= 5000 for p in self.gaz.lookup(name)):
                        kind = "toponym"
                if kind is None:
                    continue
                # "the Algiers suburb of Oued Kniss": a word that begins place names, capitalised on
                # into more of the name, starts that name; it is not the town the word alone names
                if kind == "toponym" and n == 1 and runs_on and (toks.lower[i] in NAME_PREFIXES or toks.lower[i] in ROMANCE_ARTICLES):
                    continue
                if kind == "toponym" and self._kin_group(doc[i : j + 1]):
                    continue
                # Sentence-initial single words are capitalised anyway: demand more evidence.
                if outside_ents and n == 1 and toks.sent_start[i] and kind == "toponym" and not self._major_level(name):
                    continue
                add(start, end, kind, label)
                matched = n
                last_end = i + n
                break
            i += matched or 1

    def _placed_by_position(self, doc: Doc, add) -> None:
        """Towns the NER mislabelled or missed: "recaptured Kon Tum" (a person), "from Al-Bab" (an
        organisation), "the town of Rawa", "Talacogon town". A name the gazetteer knows as a town
        or a division is a place where only places stand: after "town of" or before "village",
        beside "the town", after a locative preposition, as the object of a verb that takes
        ground ("captured", "shelled", "entered"), or joined by "and" to a name that stands there.
        A name whose words name a person elsewhere in the article never is."""
        where: dict[int, str | None] = {}  # last token of a name -> the position it stands in
        ents = list(doc.ents)  # Doc.ents makes new Spans on each access
        people = [(e, _name_words(e)) for e in ents if e.label_ == "PERSON" and len(e) > 1]
        for span, label in self._unplaced_names(doc, ents):
            if label in PLACE_LABELS:
                where[span.end - 1] = _place_position(span) or where.get(_item_before(span))
                continue
            if self._kin_group(span):
                continue
            name = span.text
            key = name.lower()
            if (key in GENERIC_NAMES and key not in WORD_TOWNS) or key in NOT_NAMES or key in DATE_WORDS:
                continue
            if self.gaz.demonym(name) or (len(span) == 1 and key in FEATURE_HEADS | GENERIC_PLACE_NOUNS):
                continue
            if span.start > 0 and doc[span.start - 1].like_num:
                continue  # "the 20th Street": part of a longer name
            if _ROMAN_NUMERAL.fullmatch(name):
                continue  # "the towns of Rasai I and Rasai II": the number of the name before it
            if span.end + 1 < len(doc) and doc[span.end].lower_ == "of" and _is_capitalised(doc[span.end + 1]):
                continue  # "Hart of Dixie", a title or a longer name
            if span.root.dep_ == "poss" and span.root.head.lemma_.lower() not in OWNED_PLACE_NOUNS:
                continue  # "at Zara's headquarters": the owner, not the place
            if span.start > 0 and doc[span.start - 1].lower_ in MEDIA_NOUNS:
                continue  # "an interview to the daily El Mundo": a newspaper's name
            places = [p for p in self.gaz.lookup(name) if p.level in ("city", "admin1", "admin2")]
            if not places and self.gaz.is_name(name):
                continue  # a country or a feature: the NER's own judgement stands
            # a town or a state the gazetteer has in another transliteration only ("infiltrated
            # into Tel Abyad", "Logar province"; not a people's name, "Poles" for Pula)
            spelled = not places and label != "NORP"
            if spelled:
                places = [p for p in self.gaz.spelling_variants(name) if p.level in ("city", "admin1")]
            # the NER may take every "Knin" of the article for a person: only other names count
            words = {t.text for t in span}
            # (not the name's own entity, which may have taken words before it: "Ma’arat al-Numan")
            if any(words & w for e, w in people if e.text != name and not span.start <= e.start < e.end <= span.end):
                continue
            position = _place_position(span, verbs=GROUND_ONLY_VERBS if label in ("PERSON", "NONE") else GROUND_OBJECT_VERBS)
            if position is None and places and self._kind_named(span, places):
                position = "noun"  # "the Michoacan state attorney general", "Kheda district"
            if position is None and not clause_subject(span.root):
                # "the settlements of Hawsh Nasri (twice), Arbil (four times), Bleliye and Douma":
                # the parse loses a long list; each name stands where the one before it stands
                # ("the town of Saraqib, Assad said": not one that speaks next)
                position = where.get(_item_before(span), None)
            if position is None:
                continue
            # "Shiite neighbourhood", "Sunni city": a people's word before a noun describes it, and
            # so does a name listed after one ("the Kurdish and Turkoman village of Amerli")
            first = list_first(span.root)
            peoples = first is not span.root and first.dep_ == "amod" and (first.ent_type_ == "NORP" or self.gaz.demonym(first.text))
            if ((label == "NORP" and first.dep_ in ("amod", "compound")) or peoples) and not self._kind_named(span, places):
                continue
            if not places:
                # "the village of Kafr Saghir", "Dubuwa village": a settlement the gazetteer lacks,
                # which the resolver places in what the text says holds it
                # ... but not a people's plural the NER saw as one ("Sunni and Shiite Muslims")
                if peoples_plural(span):
                    continue
                # ... one name, not the NER's run over a list ("Quraytayn and Palmyra (Tadmur")
                one_name = not any(t.text in "()" or t.pos_ == "CCONJ" for t in span)
                if position == "settlement" and one_name and span.root.pos_ == "PROPN" and len(name) >= 3 and not (name.isupper() and len(name) <= 5):
                    add(span.start_char, span.end_char, "toponym", label + ">POSITION", over_person=True)
                    where[span.end - 1] = position
                continue
            # a preposition or a verb alone is weaker evidence than a settlement noun: a hamlet
            # of a few hundred people shares its name with too many surnames and brands
            # ("between Merkel and Erdogan": a person's name after a preposition is a person
            # far more often than a small town's; only a sizeable city outweighs that)
            # an owner ("Smith's school") is a person or a firm more often still: only a town of
            # ten times that size
            # so is a target ("launched an attack on Romney" is mostly politics)
            # a spelling's namesake is a guess on top of it: only a city of five times that size
            # ("Ramzi was captured": not Ramsey)
            if position in ("weak", "owner", "target") and not any(
                self._sizeable(p, name, 10 if label == "PERSON" or position in ("owner", "target") else 5 if spelled else 1)
                for p in places
            ):
                continue
            # a site's name is an owner's, and only a town's own name: "the Terminus bus station"
            # is no Atlanta, which was once called so
            if position == "site" and (spelled or not any(
                self._sizeable(p, name, 10) and self.gaz.name_matches_primary(p, name) for p in places
            )):
                continue
            add(span.start_char, span.end_char, "toponym", label + ">POSITION", over_person=True)
            where[span.end - 1] = position

    def _kind_named(self, span: Span, places: list) -> bool:
        """'the Aleppo Governorate', 'the neighboring Kheda district', 'inside Aleppo city': before
        the word for a division or a town, a name the gazetteer has as one of that kind is that
        place, whatever the NER took it for."""
        doc = span.doc
        after = doc[span.end].lower_ if span.end < len(doc) else ""
        if after in DIVISION_NOUNS:
            return any(p.level in ("admin1", "admin2") and self.gaz.name_matches_primary(p, span.text) for p in places)
        # a town only if a big one: "an Arab town" is no Arab, Alabama
        return after in ("city", "town") and any(
            p.level == "city" and p.population >= EMBEDDED_MIN_POP and self.gaz.name_matches_primary(p, span.text) for p in places
        )

    def _sizeable(self, place, name: str, times: int = 1) -> bool:
        """A state or a town of some size (`times` WEAK_POSITION_MIN_POP) called `name`; by
        another of its names ("Sanders" for a Fairfax), only a ten times bigger one."""
        primary = self.gaz.name_matches_primary(place, name)
        if place.level == "admin1":
            return primary
        return place.level == "city" and place.population >= WEAK_POSITION_MIN_POP * times * (1 if primary else 10)

    def _unplaced_names(self, doc: Doc, ents: list[Span]):
        """The NER's places (for the lists they head) and the capitalised names that are not yet
        places: the NER's other names, trimmed, and runs of capitalised words it left unlabelled
        (joined by hyphens: "Al-Bab"), in text order. An entity takes the capitalised words just
        before it that the NER left out ("Hawsh" of "Hawsh Nasri")."""
        toks = _token_table(doc)
        cap, in_ent, sent_start, text = toks.cap, toks.in_ent, toks.sent_start, toks.text
        names = [(ent, ent.label_) for ent in ents if ent.label_ in PLACE_LABELS]  # for the lists they head
        absorbed: set[int] = set()  # words an entity took from before it: no name of their own
        for ent in ents:
            # "in Manbij near the Turkish border", which the NER read as a date, is a bare name
            label = "NONE" if ent.label_ in ("DATE", "TIME") and _misdated(ent) else ent.label_
            if label in PLACE_LABELS or label in NOT_PLACE_LABELS:
                continue
            bounds = _trim(ent)
            if bounds is None or not _proper(doc[bounds[0] : bounds[1]].text):
                continue
            start, end = bounds
            # ... but not a sentence's first word that is capitalised only for being first ("In
            # Samarra, a merchant ...", which the NER took for a people's name)
            while (start > 0 and not sent_start[start] and start - 1 not in in_ent and cap[start - 1]
                   and toks.lower[start - 1] != "the"
                   and not (sent_start[start - 1] and doc[start - 1].pos_ != "PROPN")):  # fmt: skip
                start -= 1
            while end - 1 > start and not cap[end - 1]:
                end -= 1  # "Hamdayet and": the NER's span ran into the next words
            if toks.lower[end - 1] in ARTICLES or toks.lower[end - 1] == "-":
                continue  # "al-Ra’i" that the trimming cut down to its article
            names.append((doc[start:end], label))
            absorbed.update(range(start, bounds[0]))
        i, n = 0, len(cap)
        while i < n:
            if i in in_ent or i in absorbed or not cap[i]:
                i += 1
                continue
            j = i + 1
            while j < n and j not in in_ent and (cap[j] or (toks.lower[j] == "-" and j + 1 < n and cap[j + 1])):
                j += 1
            # a sentence's first word is capitalised for being first, unless what follows says
            # it is a place's name ("Miringa, a village in Biu Local Government Area, ...")
            if sent_start[i] and not (j < n and toks.lower[j] == "," and _described_as_place(doc[i:j])):
                i += 1
                continue
            names.append((doc[i:j], "NONE"))
            i = j
        out = []
        for span, label in names:
            # "Boulogne-sur-Mer": a name joined by hyphens is one name, read from its first part
            if span.start > 0 and toks.lower[span.start - 1] == "-":
                continue
            end = span.end
            while end + 1 < n and toks.lower[end] == "-" and doc[end + 1].is_alpha:
                end += 2
            out.append((doc[span.start : end] if end != span.end else span, label))
        return sorted(out, key=lambda x: x[0].start)

    def _local_towns(self, doc: Doc, person_words: set[str], add) -> None:
        """Small towns the NER missed or took for a person or an organisation ("shoppers from
        Coggeshall and Kelvedon", "the Kelvedon parish council"), as tentative mentions.

        Alone, "Byron" or "Mason" is as likely a name as a town. These are kept by the resolver
        only when the town lies near places the article certainly names, or in a county it
        names (see LOCAL); otherwise they are dropped.
        """
        toks = _token_table(doc)
        text = toks.text
        ent_at = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
        label_at = {i: ent.label_ for i, ent in ent_at.items()}
        i = 0
        while i < len(doc):
            if not toks.cap[i] or label_at.get(i) in NOT_PLACE_LABELS or _after_prefix(toks, i):
                i += 1  # "Kafr Batna": the rest of a name a word that begins place names starts
                continue
            matched = 0
            words = person_words
            if label_at.get(i) == "PERSON":
                # the words of this very name do not make it a person's
                words = _person_words(doc, besides=ent_at[i])
            for n in range(min(self.max_words, len(doc) - i), 0, -1):
                j = i + n - 1
                if not all(toks.cap[k] and label_at.get(k) not in NOT_PLACE_LABELS for k in range(i, j + 1)):
                    continue
                if any(toks.text[toks.start[k] : toks.end[k]] in words for k in range(i, j + 1)):
                    continue
                name = text[toks.start[i] : toks.end[j]]
                if not self._local_name(name):
                    continue
                if _runs_on(toks, j):
                    break  # "Marj Al-Zawiyah": the start of a longer name, which is no Al Marj
                ent = ent_at.get(i)
                if ent is not None and ent.label_ == "PERSON" and ((j + 1 < ent.end and toks.cap[j + 1]) or (i > ent.start and toks.cap[i - 1])):
                    break  # "Aung San Suu Kyi": a town's name that runs on into more of a person's name
                labels = {label_at.get(k, "") for k in range(i, j + 1)}
                label = (next(iter(labels)) + ">" if len(labels) == 1 and "" not in labels else "") + LOCAL
                add(toks.start[i], toks.end[j], "toponym", label, over_person=True)
                matched = n
                break
            i += matched or 1

    def _local_name(self, name: str) -> bool:
        """Whether the gazetteer knows `name` as the own name of a town or county."""
        key = name.lower()
        if len(name) < 3 or key in GENERIC_NAMES or key in LEADING_DROP or (name.isupper() and len(name) <= 5):
            return False
        if not self.gaz.is_name(name) or self.gaz.demonym(name):
            return False
        return any(
            p.level in ("city", "admin2") and (p.population >= 50_000 or self.gaz.name_matches_primary(p, name))
            for p in self.gaz.lookup(name)
        )

    def _abbreviated_qualifiers(self, text: str, found: list[Mention], add) -> None:
        """'Athens, Ga.', 'London (Ont.)': the state abbreviation after a place qualifies it.

        The NER rarely tags these, and alone they are no place ("Pa.", "Ala."), so they are taken
        only right after a place name.
        """
        for m in found:
            hit = ABBREVIATION_AFTER.match(text, m.end)
            if hit:
                add(hit.start("abbr"), hit.end("abbr"), "qualifier", "ABBR", over_person=True, over_parts=True)

    def _bracketed_qualifiers(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """'Kiwanja (Rutshuru territory, North Kivu)', 'Guadalajara (Castilla-La Mancha)': each
        part of a bracket after a place that the gazetteer knows as a country or a division
        (written with its division word or not) is a qualifier, as written; the NER's pieces of
        it ("La" of "Castilla-La Mancha", a lone "Mindoro") give way to the whole part."""
        out = list(mentions)
        for m in mentions:
            if m.kind == "demonym":
                continue
            hit = BRACKET_AFTER.match(text, m.end)
            if hit is None:
                continue
            parts, pos = [], hit.start(1)
            for part in hit.group(1).split(","):
                start = pos + len(part) - len(part.lstrip())
                parts.append((part.strip(), start, start + len(part.strip())))
                pos += len(part) + 1
            if self._lists(m.text, [name for name, _, _ in parts]):
                continue
            unknown, known = [], 0
            for name, start, end in parts:
                if not name[:1].isupper():
                    continue
                if not self._division(name):
                    unknown.append((start, end))
                    continue
                known += 1
                inside = [q for q in out if start <= q.start and q.end <= end]
                if any(q.start == start and q.end == end for q in inside):
                    for q in inside:
                        if q.start == start and q.end == end and q.kind == "toponym":
                            q.kind = "qualifier"
                    continue
                if any(q.start < end and start < q.end for q in out if q not in inside):
                    continue  # overlaps a mention that reaches outside the part
                out = [q for q in out if q not in inside]
                out.append(Mention(text=name, start=start, end=end, kind="qualifier", label="BRACKET"))
            if known:
                # "Rubaya (Masisi, Nord-Kivu)": a part the gazetteer lacks beside one it knows is
                # a division too, not another place the sentence lists
                for q in out:
                    if (q.start, q.end) in unknown and q.kind == "toponym":
                        q.kind = "qualifier"
        return out

    def _lists(self, head: str, parts: list[str]) -> bool:
        """Whether "head (parts)" or "head, parts" is a list rather than a place and what holds it:
        a country, continent or region holds what follows it ("the Sahel (Mali, Niger)"), and no
        place lies in two countries ("Mali, Niger, Chad")."""
        own = self.gaz.lookup(head)
        if own and all(p.level in ("country", "continent", "region") for p in own):
            return True
        return sum(self._country(x) for x in [head, *parts]) > 1

    def _division(self, name: str) -> bool:
        """Whether the gazetteer knows `name` as a country, a first- or second-level division (a
        state in any spelling: "Castilla-La Mancha"), or (with a division word: "Rutshuru
        territory") the town a division is named after."""
        if any(p.level in ("country", "admin1", "admin2") for p in self.gaz.lookup(name)):
            return True
        return bool(self.gaz.lookup_division(name) or self.gaz.state_spellings(name))

    def _datelines(self, doc: Doc, add) -> None:
        for m in DATELINE.finditer(_token_table(doc).text):
            city = m.group("city").strip()
            q = (m.group("qual") or "").strip()
            known_q = bool(q) and (self.gaz.is_name(q) or abbreviation(q) is not None)
            # A town the gazetteer lacks still heads a dateline when a known place qualifies it
            # ("TORKHAM, Pakistan --"): the resolver places it in that place.
            if len(city) < 3 or not (self.gaz.is_name(city) or known_q):
                continue
            add(m.start("city"), m.start("city") + len(city), "dateline", "DATELINE")
            if known_q:
                add(m.start("qual"), m.start("qual") + len(q), "qualifier", "DATELINE")


# Last words of the name of a place in town, after a nationality ("French Quarter").
NAMED_HEADS = {
    "quarter", "embassy", "consulate", "school", "academy", "college", "university", "museum", "hospital",
    "church", "cathedral", "mosque", "synagogue", "temple", "cemetery", "club", "market", "street", "square",
}
# Label (suffix) of a tentative mention: a town name found by the gazetteer alone, which the
# resolver keeps only if the article's other places vouch for it.
LOCAL = "LOCAL"
# Entities that are never place names, whatever the gazetteer says ("March", "Ten").
NOT_PLACE_LABELS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "LANGUAGE"}


# A town named only where a preposition or a verb puts a place must be at least this big.
WEAK_POSITION_MIN_POP = 1000
_ROMAN_NUMERAL = re.compile(r"[IVX]{1,4}")
# Nouns after a name that make it a settlement or a division: "Talacogon town", "Wase local
# government area".
SETTLEMENT_AFTER = FINE_NOUNS | AREA_NOUNS | {"town", "city", "village", "villages", "camp"}
# Of those, the ones that make even a name the gazetteer lacks a settlement: "the village of
# Kafr Saghir", "Dubuwa village" (not "area" or "sector", which name fronts and zones).
SETTLEMENTS = frozenset(
    "village villages town towns city hamlet district neighbourhood neighborhood suburb locality "
    "township subdistrict commune settlement settlements"
    # the plurals head lists of names: "Aleppo's districts of Sheikh Maqsud, Bustan al-Basha and Hellok"
    " cities hamlets districts neighbourhoods neighborhoods suburbs localities townships"
    " subdistricts communes".split()
)
# A town's parts and offices that its name may own: "Tbilisi's central Rustaveli Avenue",
# "Bethlehem's church", "Tulkarm's governor".
OWNED_PLACE_NOUNS = GENERIC_PLACE_NOUNS | STREET_NAME_HEADS | PLACE_OFFICE_NOUNS
# Words for a division after its name: "the Aleppo Governorate", "Kheda district".
DIVISION_NOUNS = AREA_NOUNS | COARSE_AREA_WORDS
# Nouns whose "of" is the place itself or a place's part: "the town of Rawa", "outskirts of Manbij";
# and the people who live in it: "residents of Qamishli staged a march".
OF_PLACE_NOUNS = GENERIC_PLACE_NOUNS | DIRECTION_NOUNS | RELATIONAL_NOUNS | {"seat", "stronghold", "bastion"} | {
    "resident", "inhabitant", "villager", "townspeople", "townsfolk"
}
# Prepositions whose object an event noun puts under attack or under way: "the siege on Manbij",
# "their advance on Kabul" ("marched against Bush", "an ambush against the Islamic State of Iraq
# and Al-Sham": not "against").
TARGET_PREPS = frozenset("on over".split())
TARGET_EVENT_NOUNS = EVENT_HEADS | {"advance"}
# Nouns whose "for" is the place fought over: "the battle for Mosul".
CONTESTED_NOUNS = frozenset("battle fight struggle war".split())
# Sites and features a town's name goes before ("the Kissufim crossing point", "Pacaembu stadium",
# "the Jaffna peninsula"): not a home or an office, which a family's or a firm's name goes before.
NAMED_SITE_NOUNS = (SITE_HEADS - {"complex", "project", "field", "fields", "quarter"}) | frozenset(
    "market station stadium university shrine junction mosque bridge peninsula".split()
)
# Lower-case words for a side or a part of a place, written before its name: "central Kiev".
SIDE_WORDS = DIRECTION_ADJECTIVES - {"the", "upper", "lower", "greater"}
# An appositive that says what the name before it is: "Mbuji Mayi, the main city in Eastern Kasai".
APPOSITIVE_SETTLEMENTS = SETTLEMENTS | {"capital"}
APPOSITIVE_PLACE_NOUNS = SETTLEMENT_AFTER | APPOSITIVE_SETTLEMENTS
# "Belet Huen, about 200 miles (322 kilometers) northwest of Mogadishu": a place told by its distance.
DISTANCE_UNITS = frozenset("mile miles km kms kilometer kilometers kilometre kilometres".split())


# Words for a medium before its name: "the daily El Mundo", "the newspaper Al-Hayat".
MEDIA_NOUNS = frozenset("daily newspaper paper weekly monthly magazine tabloid broadcaster channel network agency website".split())
# Verbs of speaking, whose subject is a person's name, not a town's: "said Noma".
SPEECH_VERBS = frozenset("say tell add explain recall claim insist ask reply".split())
# Feasts the NER rightly calls dates, besides DATE_WORDS' own.
FEASTS = frozenset("eid ashura nowruz thanksgiving passover hanukkah diwali hajj lent advent pentecost".split())


def _misdated(ent: Span) -> bool:
    """A date or a time the NER read in a capitalised name with no date in it: no digit, no
    month, day, season or feast."""
    return all(t.is_alpha and t.text[:1].isupper() for t in ent) and not any(t.lower_ in DATE_WORDS or t.lower_ in FEASTS for t in ent)


def _item_before(span: Span) -> int:
    """The last token of the item before `span` in a list ("A (twice), B and C"), or -1."""
    doc, k = span.doc, span.start - 1
    listed = False
    if k >= 0 and doc[k].lower_ in ("and", "or"):
        k, listed = k - 1, True
    if k >= 0 and doc[k].text == ",":
        k, listed = k - 1, True
    if not listed:
        return -1
    if k >= 0 and doc[k].text == ")":
        while k >= 0 and doc[k].text != "(":
            k -= 1
        k -= 1
    return k


def _people_noun(word: str) -> bool:
    """A word for people, in the singular or the plural ("Gunmen", "Militants", "Residents")."""
    w = word.lower()
    forms = {w, w[:-1] if w.endswith("s") else w, w[:-3] + "man" if w.endswith("men") else w}
    return bool(forms & (PERSON_NOUNS | ABDUCTORS))


def _place_position(span: Span, verbs: frozenset[str] = GROUND_OBJECT_VERBS) -> str | None:
    """'settlement' when a word for a settlement says `span` is one ("the village of X", "X
    town", "X, a village near Y"), 'noun' when another noun for a place does ("X province",
    "outskirts of X", "X, 20 km north of Y"), 'owner' when it owns a place's part ("X's main
    square"), 'site' when a site or a feature takes its name ("the X peninsula", "the X army
    base"), 'target' when an attack or an advance is on it ("the siege on X"), 'weak' when only
    a locative preposition or a verb that takes ground does, else None."""
    found = _position_in_sentence(span, verbs)
    if found in ("settlement", "noun"):
        return found
    return _described_as_place(span) or found


def _described_as_place(span: Span) -> str | None:
    """What the words after a name say it is: its appositive ("Mbuji Mayi, the main city in
    Eastern Kasai"; 'settlement' or 'noun' as for a word before it) or its distance from another
    place ("Belet Huen, about 200 miles (322 kilometers) northwest of Mogadishu"; 'noun')."""
    doc = span.doc
    for child in span.root.children:
        word = child.lemma_.lower()
        if child.dep_ == "appos" and child.i >= span.end and word in APPOSITIVE_PLACE_NOUNS:
            return "settlement" if word in APPOSITIVE_SETTLEMENTS else "noun"
    if span.end < len(doc) and doc[span.end].text == ",":
        window = doc[span.end + 1 : span.end + 5]
        unit = next((t for t in window if t.lower_ in DISTANCE_UNITS and doc[t.i - 1].like_num), None)
        if unit is not None and any(t.lower_ in ("of", "from") for t in doc[unit.i + 1 : unit.i + 8]):
            return "noun"
    return None


def _position_in_sentence(span: Span, verbs: frozenset[str]) -> str | None:
    """The position the words before the name and its place in the parse give (see `_place_position`)."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None:
        if after.lower_ in SETTLEMENTS:
            return "settlement"
        if after.lower_ in SETTLEMENT_AFTER or (
            after.lower_ == "local" and span.end + 1 < len(doc) and doc[span.end + 1].lower_ in ("government", "council")
        ):
            return "noun"  # "Wase local government area": Nigeria's local government areas
    # "between Bobi and Minkulu": the first of the list says where the list stands
    root = list_first(span.root)
    head = root.head
    if root.dep_ == "appos" and head.lemma_.lower() in SETTLEMENT_AFTER:
        return "settlement" if head.lemma_.lower() in SETTLEMENTS else "noun"
    if root.dep_ == "pobj":
        if head.lower_ == "of" and head.head.lower_ in SETTLEMENTS:
            return "settlement"
        if head.lower_ == "of" and head.head.lemma_.lower() in OF_PLACE_NOUNS:
            return "noun"
        if head.lower_ in LOCATIVE_PREPS:
            return "weak"
        if head.lower_ in TARGET_PREPS and _targeting(head.head):
            return "target"
        if head.lower_ == "for" and head.head.lemma_.lower() in CONTESTED_NOUNS:
            return "target"  # "the battle for Manbij": the place fought over
    if root.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in verbs:
        return "weak"
    if root.dep_ == "poss" and head.lemma_.lower() in OWNED_PLACE_NOUNS:
        return "owner"  # "Tbilisi's central Rustaveli Avenue", "Bethlehem's church": the owner of a place's part
    if root.dep_ == "compound" and head.i > root.i and (
        {head.lemma_.lower()} | {c.lemma_.lower() for c in head.children if c.dep_ == "compound" and c.i > root.i}
    ) & NAMED_SITE_NOUNS:
        return "site"  # "the Miraflores base", "the Jaffna peninsula", "the Taji purification station"
    before = doc[span.start - 1] if span.start > 0 else None
    # the parse may fail where the tagger did not: "the town of al-Wafa west of Ramadi" (a
    # compound of "west"), "shelled Knin, the one-time stronghold"
    if before is not None and before.lower_ == "of" and span.start > 1 and doc[span.start - 2].lower_ in SETTLEMENTS:
        return "settlement"
    # "the capital, Sana, ...": the parser may hang the name on another noun; the comma still
    # makes it the capital's name
    if before is not None and before.text == "," and span.start > 1 and doc[span.start - 2].lower_ == "capital":
        return "noun"
    if before is not None and (before.lower_ in LOCATIVE_PREPS or (before.tag_.startswith("VB") and before.lemma_ in verbs)):
        return "weak"
    # "a central Kiev courthouse", "western rural Aleppo": a part of the country or the town
    # told by its compass side, which no person's name takes
    if before is not None and before.is_lower and before.lower_ in SIDE_WORDS:
        return "weak"
    return None


def _targeting(word) -> bool:
    """`word` is an event noun, or a verb whose object is one: the parser hangs "on Manbij" of
    "break the siege on Manbij" or "launched airstrikes on Aleppo" on either."""
    if word.pos_ == "NOUN" and word.lemma_.lower() in TARGET_EVENT_NOUNS:
        return True
    return word.pos_ == "VERB" and any(c.dep_ == "dobj" and c.lemma_.lower() in TARGET_EVENT_NOUNS for c in word.children)


def is_tentative(m: Mention) -> bool:
    return m.label.endswith(LOCAL)


# Last words that make a span a physical feature even when the gazetteer does not know it.
FEATURE_HEADS = {
    "river", "mountains", "mountain", "mount", "lake", "sea", "ocean", "bay", "gulf", "island", "islands",
    "valley", "desert", "peninsula", "strait", "canal", "street", "st", "avenue", "ave", "road", "rd",
    "boulevard", "square", "park", "bridge", "airport", "station", "county", "province", "district",
    "region", "state", "city", "border", "coast", "highway", "port", "harbor", "harbour", "forest",
    "hills", "heights", "plain", "plains", "basin", "delta", "falls", "creek", "beach", "camp",
}

# Verbs whose place subject is the place itself, not its government ("Caracas lies in a valley").
LITERAL_VERBS = {"be", "lie", "sit", "border", "stretch", "cover", "remain", "become", "look", "have", "get", "experience", "suffer", "see", "receive", "host"}

# Words that are the names of some province or town ("South", "Central", "Delta", "Valley")
# but in running text or inside organisation names ("West Wing", "European Central Bank") are
# descriptions. The gazetteer scan never takes them alone; the NER still can.
GENERIC_NAMES = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre",
    "center", "north west", "north east", "south west", "south east", "northwest", "northeast", "southwest",
    "southeast", "capital", "delta", "valley", "lakes", "lake", "coast", "islands", "island", "border",
    "grand", "upper", "lower", "union", "federal", "republic", "state", "city", "downtown", "midlands",
    "highlands", "plateau", "interior", "littoral", "metropolitan", "national", "royal", "victoria",
    "liberty", "independence", "hope", "unity", "progress", "reform", "enterprise", "commerce", "industry",
    "mobile", "reading", "orange", "bath", "split", "nice", "university", "college", "paradise", "eden",
    "metro", "market", "harbour", "harbor", "port", "square", "park", "bay", "gulf",
    "commonwealth", "springs", "olympic", "nacional",
}
# Of those, the ones that are first of all towns ("Reading", "Nice", "Victoria"): never taken
# by the gazetteer alone, but once the NER or a preposition says "place", the town is meant.
WORD_TOWNS = {
    "victoria", "liberty", "independence", "hope", "unity", "mobile", "reading", "orange", "bath", "split",
    "nice", "paradise", "eden",
}
