"""Helpers over a parsed spaCy Doc that every stage after the parse uses: cached text and
sentences, date entities, and verbs coordinated under one subject."""

from __future__ import annotations

import numpy as np
from spacy.tokens import Doc, Span, Token

from .vocabulary import ARTICLES, IRREGULAR_FORMS, KIN_GROUP_NOUNS

# Per-Doc caches, kept in `doc.user_data` as plain strings and integers (so the Doc still
# serialises): spaCy's `Doc.text` joins every token on each access, and `Doc.sents` and
# `Doc.ents` build new spans each time.
_TEXT_KEY = "dateline:text"
_SENTS_KEY = "dateline:sents"
_DATE_ENTS_KEY = "dateline:date_ents"


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once per Doc."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def doc_sents(doc: Doc) -> list[Span]:
    """`doc.sents` as a list, its boundaries found once per Doc."""
    bounds = doc.user_data.get(_SENTS_KEY)
    if bounds is None:
        if len(doc) and doc.has_annotation("SENT_START"):
            # the sentence starts straight from the token array, without a Span per sentence
            starts = [i for i in np.flatnonzero(doc.to_array("SENT_START") == 1).tolist() if i > 0]
            edges = [0, *starts, len(doc)]
            bounds = list(zip(edges[:-1], edges[1:]))
        else:
            bounds = [(s.start, s.end) for s in doc.sents]
        doc.user_data[_SENTS_KEY] = bounds
    return [doc[a:b] for a, b in bounds]


def span_text(span: Span) -> str:
    """`span.text` cut from the cached text of its Doc."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def date_entity_tokens(doc: Doc) -> list[int]:
    """First token of each DATE or TIME entity, in order, found once per Doc."""
    starts = doc.user_data.get(_DATE_ENTS_KEY)
    if starts is None:
        starts = doc.user_data[_DATE_ENTS_KEY] = [e.start for e in doc.ents if e.label_ in ("DATE", "TIME")]
    return starts


def own_subject(v: Token) -> bool:
    return any(g.dep_.startswith("nsubj") for g in v.children)


def chain_top(anchor: Token) -> Token:
    """The first of the verbs coordinated with `anchor` that share its subject."""
    top = anchor
    while top.dep_ == "conj" and top.head.pos_ in ("VERB", "AUX") and not own_subject(top):
        top = top.head
    return top


def verb_chain(anchor: Token) -> list[Token]:
    """Verbs coordinated with `anchor` that share its subject ("shot and killed nine and wounded 17
    others at Gitega"): one act told with several verbs, so one place."""
    top = chain_top(anchor)
    out, stack = [], [top]
    while stack:
        v = stack.pop()
        if v.i != anchor.i and (v.i == top.i or not own_subject(v)):
            out.append(v)
        stack.extend(c for c in v.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and not own_subject(c))
    return out


def lemma(tok: Token) -> str:
    """The lemma, lower-cased; the base of an irregular form spaCy's lemmatizer leaves as written."""
    return IRREGULAR_FORMS.get(tok.lower_) or tok.lemma_.lower()


def list_first(tok: Token, appositions: bool = False) -> Token:
    """The first item of the list `tok` is written in, or `tok` itself: the parser hangs each
    later item on the one before it as a conjunct ("A, B and C"), and sometimes as an
    apposition ("Kafr Laha, Tal Dahab"), which `appositions` follows too."""
    deps = ("conj", "appos") if appositions else ("conj",)
    while tok.dep_ in deps and tok.head.i < tok.i:
        tok = tok.head
    return tok


def pobjs(prep: Token) -> list[Token]:
    """The objects of a preposition ("in Rome", "from fighting"). A preposition the parser left
    without one, before a name it made a compound of the next noun ("while in Bahir Dar police
    arrested dozens"), has the name for its object."""
    objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    if objs or prep.dep_ != "prep" or prep.i + 1 >= len(prep.doc) or prep.doc[prep.i + 1].pos_ != "PROPN":
        return objs
    doc, k = prep.doc, prep.i + 1
    while k + 1 < len(doc) and doc[k + 1].pos_ == "PROPN":
        k += 1
    name = doc[prep.i + 1 : k + 1]
    return [name.root] if name.root.dep_ == "compound" else []


def clause_subject(root: Token) -> bool:
    """A name that is the subject of the verb written after it, which starts a clause of its own
    ("..., Assad said"), also where the parser hung it on the name before as an apposition and
    left the verb without a subject ("..., Rami Taljbini told ARA News")."""
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.pos_ in ("VERB", "AUX") and root.head.i > root.i:
        return True
    nxt = root.doc[root.i + 1] if root.i + 1 < len(root.doc) else None
    return (nxt is not None and nxt.pos_ == "VERB" and nxt.tag_ in ("VBD", "VBZ", "VBP") and nxt.dep_ not in ("amod", "compound")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in nxt.children))


def peoples_plural(span: Span) -> bool:
    """A people's name in the plural that the NER tagged as one ("Sunni and Shiite Muslims"):
    a people, never a village the gazetteer lacks."""
    return span[-1].tag_ == "NNPS" and any(t.ent_type_ == "NORP" for t in span)


def names_a_kin_group(span: Span) -> bool:
    """Whether a word for a tribe or a clan follows `span`, or the list of names it begins or
    goes on: "the Tama tribe", "the Rizeigat and Misseriya tribesmen", "the Al-Marazig and
    Al-Saida Tribes"."""
    doc, k = span.doc, span.end
    while k < len(doc) and doc[k].lower_ not in KIN_GROUP_NOUNS and (
        doc[k].lower_ in ("and", ",", "-") or doc[k].lower_ in ARTICLES or doc[k].text[:1].isupper()
    ):
        k += 1
    # the word comes right after a name: "in Marjah and Garmsir, tribesmen said" lists places
    return k < len(doc) and doc[k].lower_ in KIN_GROUP_NOUNS and doc[k - 1].text[:1].isupper()
