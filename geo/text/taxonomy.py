"""Dateline's event vocabulary: what each event type means and which words report it.

Each type carries its CAMEO root code (the two-digit top level of the CAMEO codebook) and its
PLOVER type (the 16 top-level types of PLOVER as used by POLECAT) where one fits, so events can
be compared with GDELT/ICEWS/POLECAT data. Displacement and border crossings have no counterpart
in either: both codebooks describe interactions between political actors, not people moving.

Triggers come in three forms:
  - `verbs`: a verb lemma alone reports the event ("fled", "shelled");
  - `phrases`: a verb lemma with a particle or an object lemma ("take over", "cut ties",
    "impose sanctions", "cross the border"); the pair decides the type, whatever the verb alone
    would mean ("take", "cut", "cross" alone are no event);
  - `nouns`: an event noun ("talks", "clashes", "airstrike"); it counts when a light verb
    carries it ("held talks", "carried out an attack"), when it occurs ("clashes broke out") or
    when it is placed ("protests in Caracas"). The light verb then gives tense, date and actors.

`movement` types read origin and destination from the parse (from/to/into, "fled Venezuela").
`seat` types are acts of governments: a metonymic actor ("Washington imposed") places them at
the actor's seat. `object_place` types happen where their direct object is ("shelled Kafr Laha").
`count_from` says whose number is the event's count: the people who move or protest (actor), or
the people killed, wounded or arrested (target).

Words whose event depends on their arguments (geo/text/events.py `_retype`):
  - deaths ("died", "perished") take the type of the cause their clause names: "died in clashes"
    is an armed_clash, "died in a mortar attack" or "died when gunmen opened fire" an attack. With no
    cause told they are `casualties`, an extension of the vocabulary with neither a CAMEO nor a
    PLOVER code (both code acts, and the act is unknown); deaths from illness, age or accidents
    (NONVIOLENT_CAUSES) are no event, and deaths in a flood or an earthquake are a `disaster`,
    another extension with no code in either (nobody acted).
  - a verb of violence whose subject is a natural disaster ("floods killed 12") is a `disaster`.
  - arrivals ("arrived in Y") are a visit (diplomatic_meeting, CAMEO 04) when officials or
    delegations arrive, a military_movement (15) for troops, ships and convoys, a border_crossing
    (or displacement within one country) for refugees and migrants, aid_delivery (07) for aid;
    the arrival of anyone else is no event.
  - a capture of people ("police captured two suspects", "Noriega was captured") is an arrest,
    or an attack when armed men (ABDUCTORS) take them; a capture of ground stays an armed_clash.
  - a seizure of goods ("police seized two tons of cocaine") is no event (SEIZED_GOODS).
  - a verb of violence said of a plan, a decision or a report ("blasted the decision") is a
    statement: criticism (CRITICISM_VERBS, CRITICISED_THINGS).
  - verbs in their other sense report nothing: "captured the title", "shot to fame", "prices
    shot up", "shot a 66", "demonstrated that", ministers who "clashed" over a budget, "would not
    withdraw the bill", "to meet basic needs" (NOT_CAPTURED, NOT_MET, ...); nor does "according
    to" make "reached" an accord reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .vocabulary import DISASTER_NOUNS, MARKED_WORD_TYPES


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    cameo: str | None  # CAMEO root code, "01".."20"
    plover: str | None
    verbs: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, str], ...] = ()  # (verb lemma, particle or object lemma)
    nouns: frozenset[str] = frozenset()
    movement: bool = False
    seat: bool = False
    object_place: bool = False
    count_from: str = "actor"  # actor | target
    confidence: float = 0.75  # prior that a trigger of this type reports a real event of it
    examples: tuple[str, ...] = field(default=())


def _w(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _p(pairs: str) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(p.split("+")) for p in pairs.split())  # type: ignore[misc]


TYPES: tuple[EventType, ...] = (
    EventType(
        "border_crossing",
        "People cross an international border: flee, defect or migrate into another country.",
        None,
        None,
        verbs=_w("flee defect migrate emigrate escape smuggle travel swim walk trek sail wade"),
        phrases=_p(
            "cross+border cross+into cross+from cross+over cross+frontier seek+asylum cross+channel cross+sea "
            "cross+river cross+mediterranean"
        ),
        nouns=_w("defection crossing"),
        movement=True,
        examples=("About 1,000 soldiers fled to Colombia.", "Hundreds crossed the border into Turkey."),
    ),
    EventType(
        "displacement",
        "People forced from their homes: refugee flows, evacuations, people fleeing inside or out of a country.",
        None,
        None,
        verbs=_w("evacuate displace uproot"),
        phrases=_p("take+refuge seek+refuge find+refuge seek+shelter take+shelter"),
        nouns=_w("exodus evacuation displacement"),
        movement=True,
        examples=("Thousands were displaced from Mosul.",),
    ),
    EventType(
        "border_closure",
        "A border, crossing or route closed or blocked; an aid convoy stopped.",
        "17",
        "COERCE",
        phrases=_p(
            "close+border seal+border shut+border block+border close+crossing seal+crossing "
            "shut+crossing block+crossing block+aid block+convoy block+truck block+shipment "
            "block+bridge close+bridge shut+bridge close+frontier shut+frontier close+airspace close+port "
            "stop+convoy stop+aid stop+truck turn+back"
        ),
        nouns=_w("blockade"),
        examples=("Venezuelan troops blocked aid trucks at the bridge.",),
    ),
    EventType(
        "aid_delivery",
        "Humanitarian, economic or military aid delivered or sent.",
        "07",
        "AID",
        verbs=_w("airlift"),
        phrases=_p(
            "deliver+aid send+aid ship+aid provide+aid bring+aid deliver+food send+food "
            "deliver+supply send+supply deliver+assistance send+assistance provide+assistance "
            "deliver+medicine send+medicine donate+aid distribute+aid distribute+food "
            "airdrop+aid deliver+shipment send+shipment"
        ),
        nouns=_w("airdrop airlift"),
        movement=True,
        examples=("The Red Cross delivered aid to Aleppo.",),
    ),
    EventType(
        "diplomatic_meeting",
        "Officials meet: talks, visits, summits, negotiations.",
        "04",
        "CONSULT",
        verbs=_w("meet negotiate visit confer"),
        phrases=_p("hold+talk hold+meeting hold+summit hold+negotiation have+talk open+talk resume+talk begin+talk"),
        nouns=_w("talk summit negotiation visit"),
        seat=False,
        examples=("The foreign ministers met in Rome.", "They held talks in Geneva."),
    ),
    EventType(
        "diplomatic_seizure",
        "Embassies, consulates or other diplomatic buildings taken over or seized.",
        "17",
        "COERCE",
        # No triggers of its own: a seizure or raid (armed_clash, attack) whose object is a
        # diplomatic building becomes this type (see DIPLOMATIC_NOUNS).
        object_place=True,
        examples=("Opposition envoys took over the consulate in New York.",),
    ),
    EventType(
        "diplomatic_break",
        "Diplomatic ties cut or downgraded; diplomats expelled or recalled; embassies closed.",
        "16",
        "SANCTION",
        phrases=_p(
            "cut+tie break+tie sever+tie cut+relation break+relation sever+relation suspend+relation "
            "expel+diplomat expel+ambassador recall+ambassador recall+envoy expel+envoy withdraw+ambassador "
            "close+embassy declare+persona"
        ),
        seat=True,
        examples=("Caracas cut ties with Bogota.", "Britain expelled 23 Russian diplomats."),
    ),
    EventType(
        "recognition",
        "A government recognises another government, leader or state.",
        "05",
        "SUPPORT",
        verbs=_w("recognize recognise"),
        nouns=_w("recognition"),
        seat=True,
        confidence=0.6,
        examples=("Canada recognized Guaido as interim president.",),
    ),
    EventType(
        "sanction",
        "Sanctions, embargoes, asset freezes or boycotts imposed.",
        "16",
        "SANCTION",
        verbs=_w("sanction embargo"),
        phrases=_p(
            "impose+sanction impose+embargo impose+ban announce+sanction tighten+sanction extend+sanction "
            "slap+sanction levy+sanction impose+tariff freeze+asset impose+restriction"
        ),
        nouns=_w("sanction embargo"),
        seat=True,
        examples=("Washington imposed oil sanctions on Caracas.",),
    ),
    EventType(
        "agreement",
        "An agreement, deal, treaty or ceasefire signed or reached.",
        "05",
        "AGREE",
        verbs=_w("ratify"),
        phrases=_p(
            "sign+agreement sign+deal sign+accord sign+treaty sign+pact sign+memorandum reach+agreement "
            "reach+deal reach+accord strike+deal agree+ceasefire agree+truce sign+ceasefire agree+on"
        ),
        nouns=_w("ceasefire truce"),
        seat=True,
        examples=("The two sides signed a ceasefire in Minsk.",),
    ),
    EventType(
        "statement",
        "A public statement: said, announced, accused, denied, warned.",
        "01",
        None,
        verbs=_w("say announce accuse deny warn declare claim condemn urge insist allege tell state vow speak"),
        seat=True,
        confidence=0.6,
        examples=("The minister said in Caracas that...",),
    ),
    EventType(
        "protest",
        "Demonstrations, marches, rallies, strikes and riots.",
        "14",
        "PROTEST",
        # gathering is a protest when a crowd gathers or gathers to do something ("gathered to
        # demand", "gathered to commemorate"): see events._retype
        verbs=_w("protest demonstrate march rally riot picket commemorate mourn gather assemble converge"),
        phrases=_p(
            "take+street stage+protest stage+rally go+strike bang+pot block+road block+highway "
            "block+street block+access barricade+road hold+vigil throw+stone throw+rock hurl+stone hurl+rock"
        ),
        nouns=_w("protest demonstration rally march riot sit-in vigil strike-action walkout"),
        examples=("Thousands marched in Caracas.",),
    ),
    EventType(
        "armed_clash",
        "Fighting between armed groups: clashes, battles, shelling, capture or siege of a place.",
        "19",
        "ASSAULT",
        verbs=_w("clash fight shell bombard capture recapture overrun besiege encircle seize liberate occupy battle"),
        phrases=_p("take+over take+control gain+control seize+control exchange+fire engage+in lay+siege chase+out drive+out"),
        nouns=_w("clash fight fighting battle shelling siege offensive skirmish firefight operation shoot-out shootout gunfight gunbattle"),
        object_place=True,
        count_from="target",
        examples=("Rebels captured the town of Ranville.", "Troops clashed with militants near Kunduz."),
    ),
    EventType(
        "attack",
        "Violence against people or property: bombings, shootings, killings, air strikes, raids.",
        "18",
        "ASSAULT",
        verbs=_w(
            "attack kill bomb shoot detonate explode strike target destroy storm raid ambush "
            "assassinate execute murder massacre behead wound injure slaughter kidnap abduct torch hack "
            "blast airstrike assail burn raze stab lynch loot ransack vandalize vandalise rape"
        ),
        phrases=_p(
            "open+fire launch+attack launch+strike launch+airstrike launch+raid carry+attack set+fire "
            "rip+through tear+through gun+down blow+up fire+rocket fire+shell fire+mortar fire+missile "
            "launch+rocket launch+missile launch+mortar launch+shell launch+grenade "
            "fire+shot fire+bullet fire+grenade fire+round fire+on fire+at fire+upon drop+bomb drop+barrel "
            "dump+body break+into plant+bomb plant+explosive plant+mine plant+device"
        ),
        nouns=_w(
            "attack assault bombing airstrike strike explosion blast shooting killing massacre raid ambush "
            "assassination bombardment incident stabbing arson kidnapping abduction lynching violence"
        ),
        object_place=True,
        count_from="target",
        examples=("A car bomb killed 14 people in Baghdad.",),
    ),
    EventType(
        "arrest",
        "People arrested, captured, detained, jailed or deported.",
        "17",
        "COERCE",
        verbs=_w("arrest detain jail imprison deport"),
        phrases=_p("round+up take+custody"),
        nouns=_w("arrest detention"),
        count_from="target",
        examples=("Police arrested 12 protesters in Lagos.",),
    ),
    EventType(
        "military_movement",
        "Troops, ships or aircraft deployed, patrolling or moving in.",
        "15",
        "MOBILIZE",
        # "arrive" is retyped by who arrives (see ARRIVAL_VERBS below)
        verbs=_w("deploy patrol mobilize invade advance withdraw enter arrive reach"),
        phrases=_p(
            "send+troop deploy+troop move+into roll+into pull+out send+reinforcement move+troop send+force "
            "dispatch+troop dispatch+force dispatch+reinforcement dispatch+soldier send+soldier"
        ),
        nouns=_w("deployment patrol invasion incursion advance"),
        movement=True,
        examples=("Troops patrolled the streets of Monrovia.",),
    ),
    EventType(
        "casualties",
        "People killed or dead where the text names no cause (\"two of them died in hospital\", "
        "\"a body was found\"). A death whose clause names a violent cause takes the cause's type "
        "(attack, armed_clash), one a natural disaster caused is a disaster.",
        None,
        None,
        verbs=_w("die perish"),
        # a body found, or someone found dead, with no cause told
        # (a mass grave found tells deaths as its bodies do)
        phrases=_p(
            "find+body discover+body find+dead recover+body find+corpse discover+corpse find+victim discover+victim "
            "find+remains recover+remains find+grave discover+grave uncover+grave"
        ),
        count_from="target",
        confidence=0.55,
        examples=("Two of the injured died in hospital in Kismayo.",),
    ),
    EventType(
        "disaster",
        "Natural disasters: floods, earthquakes, storms, landslides, wildfires; no attack, whoever "
        "they kill or drive from their homes.",
        None,
        None,
        nouns=DISASTER_NOUNS,
        count_from="target",
        confidence=0.6,
        examples=("Flash floods killed 12 people in Sindh on Monday.",),
    ),
)

BY_NAME: dict[str, EventType] = {t.name: t for t in TYPES}


def verb_index() -> dict[str, EventType]:
    """Lemma -> type for single-verb triggers; a lemma belongs to one type only."""
    out: dict[str, EventType] = {}
    for t in TYPES:
        for v in t.verbs:
            assert v not in out, f"verb {v!r} in two types"
            out[v] = t
    return out


def phrase_index() -> dict[tuple[str, str], EventType]:
    out: dict[tuple[str, str], EventType] = {}
    for t in TYPES:
        for p in t.phrases:
            assert p not in out, f"phrase {p!r} in two types"
            out[p] = t
    return out


def noun_index() -> dict[str, EventType]:
    out: dict[str, EventType] = {}
    for t in TYPES:
        for n in t.nouns:
            assert n not in out, f"noun {n!r} in two types"
            out[n] = t
    return out


def learned_type(lem: str, pos: str) -> str | None:
    """The type of a word the training file's annotators mark as an event (see
    event_model.learn_lexicon): the taxonomy's own, else the reviewed table
    vocabulary.MARKED_WORD_TYPES; None when neither types it. (A verb is not typed by the
    phrases it heads: "begin" heads "begin talks", but begins much else.)"""
    own = (verb_index() if pos == "verb" else noun_index()).get(lem)
    return own.name if own is not None else MARKED_WORD_TYPES.get((lem, pos))


def readme_table() -> str:
    """The README's table of event types ("Event vocabulary"), generated from TYPES so the two
    cannot drift apart (a test compares them): `python -m geo.text.taxonomy` prints it."""
    rows = ["| type | what it covers | CAMEO root | PLOVER |", "|---|---|---|---|"]
    rows += [f"| `{t.name}` | {t.description} | {t.cameo or '-'} | {t.plover or '-'} |" for t in TYPES]
    return "\n".join(rows)


def table_markdown() -> str:
    """The whole vocabulary as a Markdown table, each type with its verbs, phrases and nouns, for
    review (the README carries `readme_table`, the types alone)."""
    rows = ["| type | description | CAMEO | PLOVER | trigger verbs | phrases | nouns |", "|---|---|---|---|---|---|---|"]
    for t in TYPES:
        rows.append(
            f"| `{t.name}` | {t.description} | {t.cameo or '-'} | {t.plover or '-'} | "
            f"{', '.join(sorted(t.verbs)) or '-'} | {', '.join(' '.join(p) for p in t.phrases) or '-'} | "
            f"{', '.join(sorted(t.nouns)) or '-'} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(readme_table())
