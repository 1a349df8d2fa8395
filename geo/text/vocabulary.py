"""Dateline's word lists for events, in one place to review: the words that tell a kind of place,
a person, an official, a crowd, a weapon, a plan or a failure, a figurative sense of a trigger verb.

The event types and the trigger words behind each live in geo/text/taxonomy.py; everything else
that events.py, event_locate.py and event_features.py look words up in is here. Each list says
what it is for; a word added here changes what is extracted (and the events model's feature
stamp, so the model is retrained: `python -m geo train events`).
"""

from __future__ import annotations


# Verbs that say an embedded event was only intended, tried or expected.
PLAN = {
    "plan", "intend", "expect", "schedule", "want", "seek", "aim", "hope", "propose", "prepare",
    "try", "attempt", "threaten", "consider", "plot", "vow", "pledge", "promise", "agree", "decide",
    "set", "due", "ask", "urge", "call", "demand",
}

FAIL = {"fail", "refuse", "decline", "abandon", "prevent", "block", "stop", "thwart", "foil", "deny"}

CANCEL = {"cancel", "postpone", "delay", "suspend", "scrap", "call", "scuttle", "shelve", "halt", "defer"}

MODALS = {"will", "would", "could", "might", "may", "should", "shall", "can", "must", "'ll", "wo", "ca"}

PRONOUNS = {"who", "that", "which", "whom", "he", "she", "they", "it", "we", "i", "you", "this", "those", "these"}

# Words in the actor that say people, not troops, are moving: such movement is a crossing or
# displacement even with a verb ("entered") that usually reports troops.
CIVILIANS = {
    "refugee", "migrant", "civilian", "people", "resident", "family", "villager", "asylum", "seeker",
    "child", "woman", "person", "deserter", "defector", "citizen", "immigrant", "worker", "student",
}

MILITARY = {
    "troop", "soldier", "force", "army", "tank", "unit", "militant", "rebel", "marine", "navy",
    "warship", "jet", "aircraft", "militia", "fighter", "battalion", "brigade", "police",
}

EFFORT_NOUNS = {"attempt", "effort", "plan", "bid", "move", "push", "decision", "order", "call", "campaign", "threat", "offer", "proposal"}

LABOUR_STRIKE = {"general", "hunger", "labor", "labour", "national", "worker", "teacher", "nationwide"}

AIR_STRIKE = {"air", "missile", "drone", "rocket", "military", "aerial", "airstrike", "us", "u.s."}

NUM_WORDS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}

SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "dozen": 12}

CAUSE_PREPS = {"in", "during", "from", "after", "of", "amid", "following", "by", "under"}

OCCUR = {"occur", "happen"}

BACK_REFERENCES = {"it", "all", "this", "both", "each", "that"}

PERSON_OBJECTS = {"ambassador", "diplomat", "envoy", "troop", "truck", "convoy", "soldier", "consul", "staff"}

DASHES = {"--", "\u2014", "\u2013"}

# Nouns naming a kind of place, whose "of" names the place itself ("the town of Baiji") or whose
# compound is its name ("the Zaatari camp", "Hula district").
GENERIC_PLACE_NOUNS = frozenset(
    "town city village hamlet province region district area state county capital outskirts suburb suburbs "
    "neighborhood neighbourhood camp countryside governorate municipality island border port base "
    "airport street streets center centre part parts north south east west heart edge vicinity "
    "environs coast valley road highway crossing square settlement settlements sector zone township "
    "territory side outskirt periphery entrance market hospital mosque church school prison quarter "
    "stadium bridge refinery checkpoint metropolis fields farms colony locality commune division "
    "subdistrict prefecture community mountain mountains hill hills plain plains desert".split()
)

# Areas named before their container: "the Jabal Akrad region of rural Latakia".
AREA_NOUNS = frozenset(
    "region province district area county countryside governorate sector zone quarter neighborhood "
    "neighbourhood subdistrict division territory municipality prefecture locality".split()
)

# Where something is relative to a place: "north of Hilla", "on the outskirts of Jolo town".
DIRECTION_NOUNS = frozenset(
    "north south east west northeast northwest southeast southwest northeastward north-east north-west "
    "south-east south-west".split()
)

DIRECTION_ADJECTIVES = frozenset(
    "northern southern eastern western northeastern northwestern southeastern southwestern central "
    "north south east west upper lower greater rural downtown the".split()
)

RELATIONAL_NOUNS = frozenset(
    "outskirts outskirt vicinity environs edge heart periphery entrance outside fringes fringe slope slopes "
    "perimeter flank flanks axis".split()
)

# The last word of a building, street or site: a point inside a settlement, which is the place
# to give when the text names both ("the district tax office in Birgunj").
FACILITY_NOUNS = frozenset(
    "office building hospital mosque church school university college hotel restaurant cafe market "
    "street avenue road highway boulevard intersection square bridge station airport stadium prison "
    "headquarters compound embassy consulate court courthouse parliament palace temple shrine house "
    "home camp base checkpoint factory plant refinery club mall centre center company complex tomb "
    "cathedral synagogue monastery depot barracks".split()
)

# The last word of a street's or a park's own name: a place name right before it is part of that
# name ("Queens Park Rangers", "Washington Street"), not a mention of the place.
STREET_NAME_HEADS = frozenset("street st avenue ave road rd boulevard blvd lane square park".split())

# The last word of a named site that the NER often takes for an organisation ("the Dumayr
# Military Airport", "the Hayyan Gas Fields", "the Hanano Youth Housing Complex"): such a
# name is a place, at which things happen.
SITE_HEADS = frozenset(
    "airport airbase airfield base field fields complex project quarter camp prison dam port refinery "
    "depot barracks checkpoint crossing hospital".split()
)

# Buildings named after people or brands more often than after the town they stand in: "the
# Baron hotel" is no town called Barron (unlike "Kabul airport" or "the Zaatari camp").
BUILDING_NOUNS = frozenset(
    "hotel mosque church cathedral temple school university college academy stadium embassy consulate "
    "palace mall tower restaurant cafe club cinema theatre theater".split()
)

# Things an attack is done in or to, which a participle places: "a bus packed with pilgrims in X".
VEHICLE_NOUNS = frozenset("bus car truck lorry van minibus train ship boat ferry vessel plane aircraft convoy vehicle".split())

# Units smaller than a town: a name given with one of them is a district-level place.
FINE_NOUNS = frozenset(
    "village hamlet neighborhood neighbourhood district suburb quarter camp township settlement sector "
    "subdistrict locality colony ward".split()
)

# Heads of people: a place modifying them says who they are, not where something happened.
PERSON_NOUNS = frozenset(
    "man woman men women boy girl child children person people civilian civilians resident residents "
    "officer official soldier fighter militant rebel leader commander chief spokesman worker journalist "
    "tourist national citizen student policeman doctor activist member prisoner hostage driver "
    "guard agent operative minister president governor mayor lawmaker cleric radical jihadist extremist "
    "insurgent terrorist gunman supporter follower loyalist militiaman".split()
)

# People named by where they live: their "of" is a place ("residents of Kafr Dael").
RESIDENT_NOUNS = frozenset("resident inhabitant villager townspeople dweller population".split())

PERSON_TITLES = frozenset(
    "mr mrs ms dr gen general col colonel sgt sergeant lt lieutenant capt captain maj major cpl corporal "
    "pvt private president prime minister prince king queen mullah imam father rev bishop judge "
    "senator sen rep gov governor mayor".split()
)

# Family and partners: "his mother Michelle", "her son Dallas": the name after one is a person's.
KIN_NOUNS = frozenset(
    "mother father brother sister wife husband son daughter girlfriend boyfriend fiance fiancee partner "
    "widow widower grandmother grandfather grandson granddaughter uncle aunt nephew niece cousin "
    "stepson stepdaughter stepfather stepmother friend".split()
)

# Groups of people a name can say the kind of: "the Tutsi minority", "a Krahn militia".
PEOPLE_GROUP_NOUNS = frozenset("minority majority community tribe clan militia population diaspora ethnic group".split())

# ... of which these name only kin groups, never a town's people: "the Tama tribe" is the Tama,
# whatever town of Japan shares the name ("the Kabul community" may be Kabul's).
KIN_GROUP_NOUNS = frozenset("tribe tribes tribesman tribesmen clan clans clansmen".split())

# Small words inside a long name that its abbreviation skips ("Ministry of Defence" is MoD).
NAME_LINK_WORDS = frozenset("of for the and on de du des la le".split())

ORG_WORDS = frozenset(
    "conference summit forum assembly commission program programme fund endowment foundation society "
    "federation league coalition division regiment battalion corps guard "
    "party front army company council ministry university group brigade brigades forces agency union "
    "committee corporation bank movement organization organisation association institute news times "
    "post agency court "
    # the same words in the Arabic names of armed groups, as English news writes them ("Jaysh
    # al-Islam", "Jund al-Aqsa", "Faylaq al-Rahman", "Jabhat al-Nusra", "Ahrar al-Sham")
    "jaysh jaish jund faylaq harakat jabhat ahrar kataib".split()
)

# Capitalised words that are never a place's name, whatever slot they stand in ("Islamic" of
# "the Islamic State", which "State" would otherwise make a state's name).
NOT_NAMES = frozenset("god allah islam islamic christmas easter ramadan mass internet parliament congress".split())

# Last words of regions the NER calls places that have no point to pin ("the Western Hemisphere",
# "the Arab world"), unless the gazetteer knows the whole name; a building keeps it ("Disney World").
NO_POINT_HEADS = frozenset("hemisphere world".split())

# Words that begin place names in Arabic (in the Maghreb's spelling too: "Oued"), Persian,
# Turkish and Kurdish ("Tal Rifaat", "Wadi Barada", "Kafr Nabl"): a town that shares one of them
# is no guess for the whole name.
NAME_PREFIXES = frozenset(
    "tal tel tell kafr kfar deir dayr wadi oued ain ayn bir beit bayt jabal jebel khan umm abu ras sheikh "
    "shaykh qasr dar bab hay hayy mazraa mazraat tall arab qalaat qala karm koy kuy kani deh".split()
)

DISTANCE_UNITS = frozenset("km kilometer kilometre kilometers kilometres mile miles meter metre meters metres".split())

COARSE_AREA_WORDS = frozenset("province governorate region state county prefecture oblast wilaya".split())

ARTICLES = frozenset("al el ad ar as ash at az an ed en er es et ez".split())

# Romance articles that begin names ("La Moneda", "Los Alamos"): alone, before more of the name,
# never the place a word names by itself ("La", Louisiana's abbreviation).
ROMANCE_ARTICLES = frozenset("la le las los les lo il el".split())

DATE_WORDS = frozenset(
    "january february march april may june july august september october november december jan feb mar "
    "apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday today "
    "yesterday tomorrow tonight week month year spring summer autumn fall winter ramadan christmas easter".split()
)

# Nouns after which a demonym names a place ("on Syrian territory", "the Turkish side").
TERRITORY_NOUNS = frozenset("territory soil waters airspace border side coast capital frontier".split())

# Offices a town's name may own ("Tulkarm's governor", "Kabul's mayor"): whoever owns one is a place.
PLACE_OFFICE_NOUNS = frozenset("governor mayor governorate municipality".split())

# Heads of an actor that speaks for its state, so its demonym is its seat ("Colombian officials").
OFFICIAL_NOUNS = frozenset(
    "authority official government ministry minister president embassy spokesman spokeswoman "
    "spokesperson diplomat ambassador envoy leader administration cabinet parliament military army "
    "police force foreign office department agency".split()
)

ORIGIN_OBJECT_VERBS = frozenset("flee leave escape exit abandon evacuate desert quit".split())

DESTINATION_OBJECT_VERBS = frozenset("enter invade reach cross infiltrate".split())

# Verbs whose object is never a person: a name the NER took for one is a place there
# ("shelled Knin", "Barentu was evacuated"); "captured Troia" may be a fugitive.
GROUND_ONLY_VERBS = frozenset(
    "shell bombard besiege storm liberate overrun occupy recapture retake patrol enter invade infiltrate evacuate".split()
)
# Verbs whose object (or passive subject) is most often a piece of ground: a name the NER took
# for an organisation is a place there ("captured Birao").
GROUND_OBJECT_VERBS = (
    frozenset("capture seize bomb encircle raid attack strike target defend control surround".split())
    | GROUND_ONLY_VERBS
    | ORIGIN_OBJECT_VERBS
    | DESTINATION_OBJECT_VERBS
)

AMBIGUOUS_FLIGHT = frozenset("flee escape travel swim walk trek sail wade".split())
# Verbs of going that report a crossing or displacement only when people on the move go
# ("900 migrants travelled by boat from X to Y", "80 people swam into Ceuta"); a minister who
# travels reports nothing.
PEOPLE_MOVE_VERBS = frozenset("travel swim walk trek sail wade".split())

# Event nouns: their place is in their own prepositions, never in their modifiers ("the 1967
# Gulf war", "a U.S.-led raid off Ensenada").
EVENT_HEADS = frozenset(
    "war attack assault raid operation offensive clash clashes fighting battle bombing strike airstrike "
    "ambush explosion blast shooting protest demonstration rally conflict campaign incident siege".split()
)

# Heads whose place modifiers say whose they are, not where the event is ("the U.S. embassy",
# "Syrian government forces").
NONPLACE_HEADS = frozenset(
    "government army force forces military police media press official officials authority authorities "
    "ministry embassy consulate president leader people troops soldier soldiers".split()
)

# Verbs done to people: their bare proper-name object is a person, not a place ("captured Ortega").
HUMAN_VERBS = frozenset(
    "kill shoot wound injure murder assassinate execute behead kidnap abduct arrest detain capture "
    "torture rape stab hang free release interrogate sentence gun".split()
)

# Prepositions that place an event only through an event noun ("during clashes in Kobane").
EVENT_PREPS = frozenset("during following amid after in_the_course_of".split())

# Prepositions that date a sentence's events by another event ("ten days after the subway
# attack", "since the bombing"): the noun's event is of another time than theirs.
TIME_PREPS = frozenset("after before since following until".split())

# "under the command of X", "under threat": a state, not a place beneath which something happened.
UNDER_NOT_PLACES = frozenset(
    "command control leadership auspices threat pressure fire attack siege guard custody arrest rule "
    "occupation law agreement deal name cover way investigation construction supervision protection "
    "banner flag orders order influence circumstances condition conditions terms plan".split()
)

# Subordinators of a clause that tells of another time or a reason, not the event's circumstances.
OTHER_TIME_MARKS = frozenset("once before until till although though because unless if whereas".split())

# Prepositions that only ever take places: a name after them is one, whatever the NER says.
NEAR_PREPS = frozenset("near outside inside around throughout within nearby".split())

# Prepositions after which an unknown name is taken for a place; after others ("on New Year's
# Eve", "by Jones") only a name the gazetteer knows.
CONTAINING_PREPS = frozenset("in at into to from toward towards across".split())

# Verbs done to places: their object names where the event happened ("stormed Tal Dahab").
PLACE_VERBS = frozenset(
    "storm shell bomb bombard besiege overrun enter invade patrol liberate recapture seize raid "
    "encircle occupy attack target strike hit pound capture".split()
) - HUMAN_VERBS

# Verbs that say where a thing is: their phrase places the noun they qualify ("the farms located
# near X"); those of SITING_OBJECT_VERBS name the place as their object ("villages surrounding X").
SITING_OBJECT_VERBS = frozenset("surround border overlook adjoin neighbor neighbour encircle ring line flank separate divide".split())

SITING_VERBS = frozenset("locate situate lie sit base station position stand".split()) | SITING_OBJECT_VERBS

# Types whose "between" names the parties ("talks between X and Y"), not the place.
BETWEEN_PARTIES = frozenset("diplomatic_meeting agreement diplomatic_break recognition sanction statement".split())

# Verbs of taking ground: a purpose clause with one says where an offensive aims ("launched an
# offensive to retake the villages of X and Y").
AIM_VERBS = frozenset(
    "recover regain retake capture recapture seize liberate take storm free clear secure dislodge expel "
    "reach enter control besiege encircle occupy".split()
)

# Verbs that put a thing somewhere: a participle of one places what it qualifies ("a bomb
# planted in X", "a device dropped in X decades ago").
PUT_VERBS = frozenset("plant place park hide leave drop store bury dump put lay keep hold find discover".split())

# Deaths told without their cause ("two of them died in hospital") are `casualties`. When
# the clause names the cause, the death is an event of the cause's type: "died in clashes" is an
# armed clash, "died in a mortar attack" or "died when gunmen opened fire" an attack.
# Deaths from illness, age or accidents are no event of this vocabulary and are not reported.
NONVIOLENT_CAUSES = frozenset(
    "illness disease cancer age cause causes complication complications heart stroke accident crash "
    "collision drowning flu fever infection overdose suicide malaria cholera ebola covid covid-19 "
    "virus pneumonia hunger starvation exposure fall sickness".split()
)

# Trigger verbs in a sense that reports no event ("captured the title", "shot to fame",
# "the two ministers clashed over the budget"): objects and complements that give it away.
NOT_CAPTURED = frozenset(
    "title medal gold silver bronze prize award pulitzer championship cup crown trophy seat vote votes "
    "majority heart hearts imagination attention interest image images picture pictures photo photos "
    "footage moment mood essence spirit wicket wickets point points lead market share nomination "
    "primary primaries caucus delegate delegates headline headlines audience".split()
)

# What is seized when goods are ("police seized two tons of cocaine", "captured large quantities
# of weapons"): a seizure of goods is no armed clash, and no event of the vocabulary.
SEIZED_GOODS = frozenset(
    "drug cocaine heroin marijuana cannabis hashish methamphetamine narcotic contraband cash money "
    "currency asset goods cargo shipment consignment weapon arm rifle gun pistol ammunition explosive "
    "ton kilogram kilo pound quantity haul cache stockpile document passport".split()
)

# What a meeting is not held with: "to meet basic needs", "met the deadline".
NOT_MET = frozenset(
    "need demand target deadline requirement standard goal criterion expectation obligation condition "
    "cost challenge quota threshold payroll fate end".split()
)

# People taken captive: "captured two suspects", "Noriega was captured", "seized him". A capture
# of people is an arrest, or an abduction (an attack) when ABDUCTORS take them; a capture of
# ground stays an armed clash.
CAPTIVE_NOUNS = PERSON_NOUNS | frozenset(
    "suspect kidnapper fugitive smuggler trafficker spy mercenary pilot bandit pirate poacher guerrilla "
    "deserter crew crewman sailor trooper paratrooper commando policeman captain lieutenant general "
    "colonel sergeant foreigner hostage".split()
)
ABDUCTORS = frozenset(
    "militant rebel gunman insurgent guerrilla kidnapper pirate terrorist jihadist bandit extremist abductor "
    "captor".split()
)

NOT_SHOT_TO = frozenset("fame stardom prominence top number no. lead record notoriety celebrity".split())

NOT_SHOT = frozenset("film movie video scene scenes footage photo photos picture pictures episode documentary".split())

DEBATERS = frozenset(
    "minister president premier leader lawmaker legislator senator politician candidate official party "
    "government court judge governor mayor spokesman chairman critic opposition".split()
)

# Verbs of violence that news also uses for words ("blasted the decision", "attacked the
# president's plan"): with one of CRITICISED_THINGS as their object they report a statement.
CRITICISM_VERBS = frozenset("attack blast assail target".split())
CRITICISED_THINGS = frozenset(
    "plan decision policy proposal report remark comment statement bill law move idea budget measure "
    "reform deal agreement ruling verdict approach stance strategy handling response claim rhetoric "
    "speech program programme scheme initiative legislation amendment record tax decree announcement "
    "vote referendum result".split()
)

# "arrived in Y": an arrival is the event of whoever arrives. Officials and delegations arriving
# are a visit (diplomatic_meeting), troops, ships and convoys a military movement, refugees and
# migrants a border crossing (or displacement inside one country); aid arriving is aid delivered.
# An arrival of anyone else ("the train arrived") is no event.
ARRIVAL_VERBS = frozenset("arrive reach".split())

ARRIVING_OFFICIALS = frozenset(
    "official minister president prime premier chancellor secretary envoy ambassador diplomat delegation "
    "delegate emissary mediator negotiator representative leader king queen prince pope monarch "
    "governor senator lawmaker mission commissioner chief foreign spokesman head team".split()
)

ARRIVING_FORCES = frozenset(
    "troop soldier force army marine navy warship ship vessel frigate destroyer carrier submarine "
    "convoy tank unit battalion brigade division peacekeeper militia fighter jet aircraft bomber fleet "
    "column reinforcement paratrooper commando helicopter".split()
)

ARRIVING_PEOPLE = frozenset(
    "refugee migrant asylum seeker civilian family people evacuee returnee deportee displaced".split()
)

ARRIVING_AID = frozenset("aid food medicine supply supplies shipment relief assistance".split())
# What carries aid: "a convoy of trucks carrying food" delivers it, whatever verb moves it.
AID_CARRIERS = frozenset("convoy truck plane ship flight".split())

# Verbs of gathering: a protest when a crowd gathers or gathers to do something ("residents
# gathered to demand", "mourners gathered to commemorate"); "ministers gathered" is no event.
GATHER_VERBS = frozenset("gather assemble converge".split())

# A seizure whose object is one of these is a diplomatic seizure, not a battle for a town.
DIPLOMATIC_NOUNS = frozenset("embassy consulate chancery legation mission residence ambassador".split())

DIPLOMATIC_MODIFIERS = frozenset("diplomatic consular embassy consulate".split())

# The nouns a light verb can carry without changing the event ("held talks", "staged a protest").
LIGHT_VERBS = frozenset(
    "hold have stage launch carry conduct mount begin start resume continue make "
    "take lead organize organise undertake wage pay join".split()
)

# Verbs of taking part, whose "in" phrase names the event: "jets participated in an airstrike",
# "students took part in the protest", "troops engaged in clashes".
PARTAKE_VERBS = frozenset("participate engage".split())

# Verbs whose subject is an event noun that happened ("clashes broke out", "a blast occurred").
# "The operation in X saw troops plant mines": an event noun that sees something happened.
# So do those whose subject goes on or grows ("fighting continued in X", "clashes raged").
OCCURRENCE_VERBS = frozenset(
    "occur happen erupt break take rock hit kill wound injure leave claim rip target see continue resume rage "
    "intensify escalate spread flare".split()
)
# Nouns that count event nouns: "launched a series of raids", "a wave of protests swept X", and
# the words for a share of them: "much of the violence occurred in X".
SERIES_NOUNS = frozenset(
    "string series wave spate round barrage number flurry succession volley dozen score hundred much most some part "
    # a short stretch of time told by what filled it: "after a night of protests", "two days of clashes"
    "night nights day days week weeks".split()
)

# Nouns that report some event without saying which ("the incident happened near X"): they take
# the type of the article's previous event, else attack, with a lower confidence.
VAGUE_NOUNS = frozenset("incident".split())

# Verbs that report an attack when what did it is a weapon or an attack: "a car bomb hit the
# market", "shells pounded Homs" (alone they are no event: "the storm hit", "prices hit a record").
WEAPON_VERBS = frozenset("hit pound rock rain".split())

WEAPON_NOUNS = frozenset(
    "bomb missile rocket shell mortar grenade device explosive ied warplane jet drone plane aircraft "
    "helicopter artillery gunfire bullet barrel tank gunship".split()
)

# Heads of a movement clause: which slot a place takes after each preposition.
DESTINATION_PREPS = frozenset("to into toward towards onto for".split())

ORIGIN_PREPS = frozenset("from".split())

LOCATION_PREPS = frozenset(
    "in at near outside inside around across throughout within along off over on by between through "
    "beyond outside_of close above below under beneath aboard down".split()
)

NUM_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})

# Subjects that demonstrate in the streets rather than show something.
CROWDS = CIVILIANS | {
    "protester", "demonstrator", "activist", "supporter", "crowd", "thousand", "hundred", "dozen", "youth",
    "opponent", "farmer", "union", "opposition", "teacher", "doctor", "nurse", "muslim", "christian",
}

# Natural disasters: deaths they cause are `casualties`, never an attack ("flash floods killed 12").
DISASTER_NOUNS = frozenset(
    "flood flooding earthquake quake tremor landslide mudslide cyclone typhoon hurricane tornado "
    "tsunami wildfire bushfire avalanche drought eruption downpour rainstorm snowstorm blizzard".split()
)
# Weather that kills, destroys or sweeps in as a subject ("heavy rains killed 12", "floodwaters
# entered the town"): a disaster, not an attack nor troops. Not disaster words of their own ("a
# storm of protest", "rain fell").
WEATHER_ACTORS = DISASTER_NOUNS | frozenset("rain rainfall floodwater storm monsoon deluge cloudburst heatwave wind".split())

# Past participles the tagger takes for a noun or an adjective before "dead" ("a sniper shot
# dead a girl" parsed as the noun "shot"), with their verbs.
DEAD_PARTICIPLES = {"shot": "shoot", "stabbed": "stab", "beaten": "beat", "hacked": "hack", "burnt": "burn", "burned": "burn"}

# Irregular forms of trigger verbs that spaCy's English lemmatizer leaves as written (checked on
# every irregular verb of the taxonomy: only these), for `docs.lemma`: "80 people swam from
# Fnideq into Ceuta".
IRREGULAR_FORMS = {"swam": "swim", "swum": "swim"}

# Words the training file's annotators mark as events that the taxonomy's trigger lists lack,
# with the type each reports, reviewed by hand from the trainer's list of marked but untyped
# words (`python -m geo train events` prints it); the trainer keeps the ones marked often enough.
MARKED_WORD_TYPES: dict[tuple[str, str], str] = {
    ("shot", "noun"): "attack",  # "shots were fired at the convoy"
}
