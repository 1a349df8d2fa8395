"""Build event_reports.jsonl: a hand-written evaluation set of short conflict / protest / border reports.

Every text below was written fresh for Dateline by its engineers; the incidents are invented, the
places are real. Gold coordinates come from GeoNames rows in the project's offline gazetteer
(read-only): a city by its geonameid, an admin1/admin2/country row by (name, country, level).

Run from the repository root so `geo` imports:
    .venv/bin/python tests/data/event_reports/build.py
It computes every offset with str.find, asserts text[start:start+len] == word, looks up each gold
point, validates the minimum counts and writes event_reports.jsonl next to this file.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the checkout
from geo.gazetteer import Gazetteer, normalize  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "event_reports.jsonl"

TYPES = {
    "border_crossing", "displacement", "border_closure", "aid_delivery", "diplomatic_meeting",
    "diplomatic_seizure", "diplomatic_break", "recognition", "sanction", "agreement", "statement",
    "protest", "armed_clash", "attack", "arrest", "military_movement", "casualties", "disaster",
}
PATTERNS = {
    "FS": "fronted_scene", "PQ": "paren_qualifier", "NE": "nominal_event", "FO": "fired_on",
    "GP": "gathered_to_protest", "FD": "found_dead", "DI": "disaster", "AR": "arrival",
    "SP": "statement_place", "NP": "no_place", "DO": "destination_origin", "PL": "plain",
}
MINIMUM = {p: 4 for p in PATTERNS.values()}
MINIMUM["no_place"] = 10
FALLBACK_MAX = 6


def E(trigger, type, place=None, gid=None, *, admin=None, t=0, p=0, alt=(), origin=None,
      ns="auto", note="", pats=(), fallback=False):
    """One gold event. `t`/`p`: which occurrence of trigger/place in the text (0 = first).
    `gid`: GeoNames id of a city row; `admin`: (name, cc, level) for an admin1/admin2/country row.
    `origin`: dict(place=..., gid=... or admin=..., p=occurrence). `ns`: namesake geonameid, "auto"
    to take the most populous other row the gazetteer returns for the mention, or None."""
    return dict(trigger=trigger, type=type, place=place, gid=gid, admin=admin, t=t, p=p, alt=list(alt),
                origin=origin, ns=ns, note=note, pats=list(pats), fallback=fallback)


def O(place, gid=None, admin=None, p=0):
    return dict(place=place, gid=gid, admin=admin, p=p)


R = []
REVIEW = []  # mentions spelled unlike the GeoNames primary name: printed for a human check


def rec(text, published, *events, extra=()):
    R.append(dict(text=text, published=published, events=list(events), extra=list(extra)))


# ---------------------------------------------------------------------------------------------
# Africa
# ---------------------------------------------------------------------------------------------
rec("On 14 March 2022, in Djibo (Soum, Sahel), suspected JNIM militants attacked a water-point convoy, "
    "and later that day residents marched to the prefecture to demand better protection.",
    "2022-03-15",
    E("attacked", "attack", "Djibo", 2361177, pats=["FS", "PQ"]),
    E("marched", "protest", "Djibo", 2361177, pats=["FS", "GP"]))

rec("On 2 August 2021, in Kaya (Sanmatenga, Centre-Nord), displaced families staged a sit-in outside the "
    "governor's office and blocked the main road to Ouagadougou.",
    "2021-08-03",
    E("sit-in", "protest", "Kaya", 2359608, pats=["FS", "PQ", "NE"]),
    E("blocked", "protest", "Kaya", 2359608, pats=["FS", "GP"],
      note="Ouagadougou is only the road's destination; the blockade is in Kaya."))

rec("On 9 September 2022, near Barsalogho (Sanmatenga province, Centre-Nord), gunmen ambushed a supply "
    "column escorted by volunteer militiamen, killing at least 11 of them.",
    "2022-09-10",
    E("ambushed", "armed_clash", "Barsalogho", admin=("Province du Sanmatenga", "BF", "admin2"),
      alt=["attack"], pats=["FS", "PQ"], fallback=True,
      note="Barsalogho is not in the offline GeoNames data; gold is the Sanmatenga province (admin2) "
           "point named by the qualifier, which sits on Kaya, roughly 35 km south of Barsalogho."))

rec("On 23 January 2023, in Bokkos (Plateau), armed men raided two farming settlements, burning more "
    "than 40 houses.",
    None,
    E("raided", "attack", "Bokkos", 2346887, pats=["FS", "PQ"]))

rec("Gunmen killed at least 17 people in Kajuru, Kaduna state, on Sunday. Police arrested four suspects "
    "on Monday.",
    "2021-03-08",
    E("killed", "attack", "Kajuru", 2335500, pats=["PL"]),
    E("arrested", "arrest", pats=["NP"], note="The second sentence names no place."))

rec("MAIDUGURI, Nigeria, June 13 (NewsWire) - Boko Haram fighters shelled military positions in Gwoza "
    "late on Saturday, an army spokesman told reporters in Maiduguri.",
    "2020-06-14",
    E("shelled", "armed_clash", "Gwoza", 2339665, pats=["FO"]),
    E("told", "statement", "Maiduguri", 2331447, pats=["SP"],
      note="Said in Maiduguri (also the dateline)."))

rec("The bodies of three herders were found near Zurmi, Zamfara state, on Tuesday, two days after they "
    "went missing.",
    "2022-07-20",
    E("found", "casualties", "Zurmi", 2317551, pats=["FD"]))

rec("Three farmers were found dead in a field outside Kauru, Kaduna state, on Wednesday morning, a "
    "local councillor said.",
    "2021-06-10",
    E("found dead", "casualties", "Kauru", 2334747, pats=["FD"]))

rec("Nigerian troops arrested 12 suspected bandits and recovered rifles during an operation on Friday, "
    "an army statement said.",
    "2023-02-11",
    E("arrested", "arrest", pats=["NP"], note="'Nigerian' is the actor's nationality, not a place."))

rec("On 5 May 2021, in Ménaka (Gao region), fighters of the Islamic State Sahel Province clashed with "
    "MSA militiamen, and a vehicle struck an explosive device on the road out of town, killing two "
    "passengers.",
    "2021-05-06",
    E("clashed", "armed_clash", "Ménaka", 2453514, pats=["FS", "PQ"]),
    E("struck", "attack", "Ménaka", 2453514, pats=["FS"]))

rec("On 7 August 2022, in Tessit locality (Ansongo cercle, Gao region), Islamic State fighters attacked "
    "army positions and clashed with reinforcements sent from Gao.",
    "2022-08-08",
    E("attacked", "armed_clash", "Tessit", 10343856, alt=["attack"], pats=["FS", "PQ"]),
    E("clashed", "armed_clash", "Tessit", 10343856, pats=["FS"],
      note="Gao is only where the reinforcements came from."))

rec("On 21 April 2023, in Gao, a rocket struck the airport area, youths staged a sit-in against power "
    "cuts, and police arrested three suspected militants.",
    None,
    E("struck", "attack", "Gao", 2457163, pats=["FS"]),
    E("sit-in", "protest", "Gao", 2457163, pats=["FS", "NE"]),
    E("arrested", "arrest", "Gao", 2457163, pats=["FS"]))

rec("On 18 July 2020, in Diafarabé (Ténenkou cercle, Mopti region), unidentified armed men abducted a "
    "village chief and two councillors.",
    None,
    E("abducted", "attack", "Diafarabé", 2449938, pats=["FS", "PQ"], fallback=True,
      note="Diafarabé is not in the offline GeoNames data; gold is Ténenkou, the cercle town named by "
           "the qualifier, about 35 km away."))

rec("BAMAKO, Feb 2 (NewsWire) - Mali's transitional government said on Thursday that the constitutional "
    "referendum would be postponed.",
    "2023-02-03",
    E("said", "statement", "BAMAKO", 2460596, pats=["SP"], note="Wire dateline."))

rec("Two Malian soldiers were killed in an ambush on Thursday, the army said.",
    "2022-04-15",
    E("ambush", "armed_clash", alt=["attack"], pats=["NP", "NE"],
      note="'Malian' is a nationality; the sentence names no place."))

rec("Soldiers repelled an attack on their base in Ayorou, near the Malian border, on Monday, killing "
    "several assailants, Niger's defence ministry said.",
    "2022-03-22",
    E("attack", "armed_clash", "Ayorou", 2447416, pats=["NE", "PL"]))

rec("More than 2,000 people fled from El Geneina into Adré over the weekend, aid workers said. Chadian "
    "authorities registered them at a transit site.",
    "2023-06-18",
    E("fled", "border_crossing", "Adré", 245669, origin=O("El Geneina", 379303), pats=["DO", "AR"]))

rec("Chad closed its border with Sudan at Adré on Monday, citing the spread of fighting in West Darfur.",
    "2023-04-25",
    E("closed", "border_closure", "Adré", 245669, pats=["PL"]))

rec("On 12 May 2024, in El Fasher (North Darfur), RSF fighters shelled the Abu Shouk camp, and clashes "
    "erupted with joint forces near the main market.",
    "2024-05-13",
    E("shelled", "attack", "El Fasher", 379555, alt=["armed_clash"], pats=["FS", "PQ", "FO"],
      note="Shelling of a displacement camp: violence against civilians."),
    E("clashes", "armed_clash", "El Fasher", 379555, pats=["FS", "NE"]))

rec("The Sudanese army bombed positions of the Rapid Support Forces in Wad Medani on Tuesday, residents "
    "said.",
    "2024-01-10",
    E("bombed", "armed_clash", "Wad Medani", 364103, pats=["FO"]))

rec("The UN humanitarian coordinator for Sudan said at a news conference in Port Sudan that a convoy of "
    "15 trucks had reached Kadugli with food and medicine.",
    "2024-08-28",
    E("said", "statement", "Port Sudan", 377039, pats=["SP"]),
    E("reached", "aid_delivery", "Kadugli", 373141, pats=["PL"],
      note="'reached' here delivers aid; it is not people arriving."))

rec("About 1,400 South Sudanese returnees reached Malakal by barge from Kosti on Friday, the UN refugee "
    "agency said.",
    "2023-11-25",
    E("reached", "border_crossing", "Malakal", 370737, origin=O("Kosti", 371760), pats=["AR", "DO"]))

rec("Cattle raiders attacked a cattle camp outside Bor (Jonglei) on Friday, killing 14 herders.",
    "2021-02-20",
    E("attacked", "attack", "Bor", 377241, pats=["PQ"]))

rec("Fano militiamen and federal troops fought for control of Debre Tabor on Sunday, while in Bahir Dar "
    "police arrested dozens of young men.",
    "2023-08-14",
    E("fought", "armed_clash", "Debre Tabor", 339686, pats=["PL"]),
    E("arrested", "arrest", "Bahir Dar", 342884, pats=["PL"]))

rec("A convoy of 20 trucks delivered food aid to Mekelle on Wednesday, the first to reach the city in "
    "two months.",
    "2022-11-17",
    E("delivered", "aid_delivery", "Mekelle", 331180, pats=["PL"]))

rec("ADDIS ABABA (NewsWire) - The chairman of the African Union commission said on Tuesday that the "
    "ceasefire was holding.",
    "2022-11-16",
    E("said", "statement", "ADDIS ABABA", 344979, pats=["SP"], note="Wire dateline."))

rec("An explosion ripped through a busy market in Beledweyne on Saturday, killing at least nine people.",
    "2019-10-12",
    E("explosion", "attack", "Beledweyne", 64460, pats=["NE"]))

rec("MOGADISHU, Nov 8 (NewsWire) - Al-Shabaab militants attacked a checkpoint near Afgooye early on "
    "Monday, a district official said. Three soldiers were killed.",
    "2021-11-08",
    E("attacked", "armed_clash", "Afgooye", 65785, alt=["attack"], pats=["PL"],
      note="The dateline (Mogadishu) is where it was filed; the attack is near Afgooye."),
    E("killed", "casualties", pats=["NP"], alt=["attack"], note="The second sentence names no place."))

rec("Heavy rains and flash floods displaced more than 30,000 people in and around Baidoa this week, "
    "regional officials said.",
    "2019-10-27",
    E("floods", "disaster", "Baidoa", 64536, pats=["DI"]))

rec("Kenya's interior minister said at a news conference in Nairobi that police reinforcements had been "
    "sent to Mandera after the latest cross-border raids.",
    "2022-06-16",
    E("said", "statement", "Nairobi", 184745, pats=["SP"]),
    E("sent", "military_movement", "Mandera", 187896, pats=["PL"]))

rec("In Kisumu, opposition supporters blocked the highway to protest against the new finance law, and "
    "police fired tear gas to disperse them.",
    "2023-07-08",
    E("blocked", "protest", "Kisumu", 191245, pats=["FS", "GP"]))

rec("Three Kenyan soldiers were killed when their vehicle hit a roadside bomb on Sunday, the military "
    "said.",
    "2020-01-20",
    E("hit", "attack", pats=["NP"], note="'Kenyan' is a nationality; no place is named."))

rec("On 30 October 2022, in Kiwanja (Rutshuru territory, North Kivu), M23 fighters exchanged fire with "
    "army soldiers, and residents later gathered to protest the killing of a motorcycle taxi driver.",
    "2022-11-03",
    E("exchanged fire", "armed_clash", "Kiwanja", 206047, pats=["FS", "PQ"], fallback=True,
      note="Kiwanja is not in the offline GeoNames data; gold is Rutshuru, the territory town named by "
           "the qualifier, a few km away."),
    E("gathered", "protest", "Kiwanja", 206047, pats=["FS", "PQ", "GP"], fallback=True,
      note="Kiwanja is not in the offline GeoNames data; gold is Rutshuru (qualifier), a few km away."))

rec("M23 rebels captured Rutshuru on Saturday after two days of fighting with the army and allied "
    "militias.",
    "2022-10-30",
    E("captured", "armed_clash", "Rutshuru", 206047, alt=["military_movement"], pats=["PL"]))

rec("Hundreds of residents crossed from Goma into Gisenyi, Rwanda, on Thursday, local officials said.",
    "2024-02-02",
    E("crossed", "border_crossing", "Gisenyi", 202905, origin=O("Goma", 216281), pats=["DO"]))

rec("The bodies of seven men were found in a banana plantation outside Beni on Thursday, a civil society "
    "leader said.",
    "2021-09-17",
    E("found", "casualties", "Beni", 219057, pats=["FD"]))

rec("On 4 April 2024, in Sake (Masisi, North Kivu), M23 fighters shelled army positions, and a stray "
    "shell hit a displacement camp, killing two children.",
    None,
    E("shelled", "armed_clash", "Sake", 205970, pats=["FS", "PQ", "FO"]),
    E("hit", "attack", "Sake", 205970, pats=["FS"]))

rec("KINSHASA, Jan 27 (NewsWire) - Congo's communications minister said on Monday that the army still "
    "held the airport.",
    "2025-01-28",
    E("said", "statement", "KINSHASA", 2314302, pats=["SP"], note="Wire dateline."))

rec("Insurgents attacked Macomia town on Sunday, looting shops and clashing with Mozambican troops before "
    "withdrawing into the bush.",
    "2021-06-01",
    E("attacked", "attack", "Macomia", 1042456, alt=["armed_clash"], pats=["PL"]),
    E("clashing", "armed_clash", "Macomia", 1042456, pats=["PL"]))

rec("More than 3,000 people displaced by fighting in Mocímboa da Praia arrived in Pemba over the past "
    "week, provincial officials said.",
    "2020-05-30",
    E("fighting", "armed_clash", "Mocímboa da Praia", 1024699, pats=["NE"]),
    E("arrived", "displacement", "Pemba", 1028918, origin=O("Mocímboa da Praia", 1024699),
      pats=["AR", "DO"], note="Movement inside Mozambique: displacement."))

rec("A tropical cyclone killed at least 14 people in Quelimane and nearby districts of Zambezia province, "
    "the disaster management institute said.",
    "2019-02-24",
    E("cyclone", "disaster", "Quelimane", 1028434, pats=["DI"]))

rec("On 11 June 2023, in Kolofata, near Mora (Mayo-Sava, Far North), a suicide bomber blew herself up at "
    "a mosque, killing nine worshippers.",
    "2023-06-12",
    E("blew", "attack", "Kolofata", 2225991, pats=["FS", "PQ"], fallback=True,
      note="Kolofata is not in the offline GeoNames data; gold is Mora, the town the text locates it "
           "near, about 20 km away."))

rec("Separatist fighters opened fire on a bus near Kumba, South-West region, on Tuesday, wounding six "
    "passengers.",
    "2021-10-13",
    E("opened fire", "attack", "Kumba", 2229752, pats=["FO"]))

rec("In Bamenda, hundreds of traders gathered to demand the release of a shop owner detained by soldiers, "
    "and most shops stayed shut for a second day.",
    "2020-09-22",
    E("gathered", "protest", "Bamenda", 2234974, pats=["FS", "GP"]))

rec("On 3 February 2019, flash floods swept through Darnah after two days of heavy rain, killing four "
    "people and cutting the coastal road.",
    None,
    E("floods", "disaster", "Darnah", 87205, pats=["DI"]))

rec("A boat carrying 48 migrants that left Sfax on Monday reached Lampedusa on Tuesday morning, the coast "
    "guard said.",
    "2023-04-12",
    E("reached", "border_crossing", "Lampedusa", 2524459, origin=O("Sfax", 2467454), pats=["AR", "DO"]))

rec("About 80 people swam from Fnideq into Ceuta along the breakwater before dawn on Monday, Spanish "
    "authorities said.",
    "2021-05-18",
    E("swam", "border_crossing", "Ceuta", 6362987, origin=O("Fnideq", 2548818), pats=["DO", "AR"]))

rec("An earthquake flattened mud-brick homes in Amizmiz and nearby mountain villages on Saturday night, "
    "killing at least 30 people, Moroccan authorities said.",
    "2017-02-12",
    E("earthquake", "disaster", "Amizmiz", 2558052, pats=["DI"]))

# ---------------------------------------------------------------------------------------------
# Middle East
# ---------------------------------------------------------------------------------------------
rec("On 7 November 2019, in Jisr al-Shughur (Idlib), government aircraft bombed a market, and in the "
    "evening clashes erupted between HTS fighters and government forces on the town's southern edge.",
    None,
    E("bombed", "attack", "Jisr al-Shughur", 169023, pats=["FS", "PQ", "FO"]),
    E("clashes", "armed_clash", "Jisr al-Shughur", 169023, pats=["FS", "NE"]))

rec("The body of a former opposition commander was found in Tafas, in the western Daraa countryside, on "
    "Saturday.",
    "2021-03-14",
    E("found", "casualties", "Tafas", 163806, pats=["FD"]))

rec("Turkish drones bombed an SDF checkpoint near Manbij on Wednesday, killing two fighters, a war "
    "monitor said.",
    "2022-12-01",
    E("bombed", "armed_clash", "Manbij", 167357, pats=["FO"]))

rec("About 400 Syrians crossed from Azaz into Kilis on Friday, fleeing an offensive, Turkish officials "
    "said.",
    "2019-10-12",
    E("crossed", "border_crossing", "Kilis", 307864, origin=O("Azaz", 172082), pats=["DO"]))

rec("Residents of Qamishli staged a march on Sunday to demand the release of teenagers detained at "
    "checkpoints.",
    "2020-11-16",
    E("march", "protest", "Qamishli", 173377, pats=["GP"]))

rec("In Suwayda, demonstrators gathered in the central square for the 100th day to demand political "
    "change.",
    "2023-11-25",
    E("gathered", "protest", "Suwayda", 172408, pats=["FS", "GP"]))

rec("Residents banged pots and blocked roads with burning tyres in Tripoli (North Lebanon) on Tuesday "
    "night to protest the collapse of the currency.",
    "2020-01-15",
    E("banged pots", "protest", "Tripoli", 266826, pats=["GP", "PQ"]))

rec("Israeli artillery shelled the outskirts of Nabatieh on Tuesday. Hezbollah said its fighters fired "
    "rockets at a military post across the border.",
    "2023-10-18",
    E("shelled", "armed_clash", "Nabatieh", 278913, alt=["attack"], pats=["FO"]),
    E("fired", "armed_clash", pats=["NP"], note="'across the border' names no place."))

rec("BEIRUT, Oct 14 (NewsWire) - Lebanon's caretaker prime minister said on Saturday that the country did "
    "not want to be dragged into a regional war.",
    "2023-10-15",
    E("said", "statement", "BEIRUT", 276781, pats=["SP"], note="Wire dateline."))

rec("Unknown gunmen killed two members of a Kurdish party in Tuz Khurmatu on Monday, and security forces "
    "arrested a suspect in Kirkuk hours later.",
    "2018-05-08",
    E("killed", "attack", "Tuz Khurmatu", 90026, pats=["PL"]),
    E("arrested", "arrest", "Kirkuk", 94787, pats=["PL"]))

rec("Thousands of demonstrators staged a march in Nasiriyah on Friday to demand jobs and electricity.",
    "2019-10-26",
    E("march", "protest", "Nasiriyah", 98854, pats=["GP", "PL"]))

rec("Houthi forces shelled government positions south of Marib city on Sunday, killing three soldiers, a "
    "military source said.",
    "2022-02-14",
    E("shelled", "armed_clash", "Marib", 72968, pats=["FO"]))

rec("A sniper shot dead a 12-year-old girl in Taiz on Wednesday. Her family said she had been fetching "
    "water.",
    "2017-09-14",
    E("shot", "attack", "Taiz", 70225, pats=["PL"]))

rec("On 16 June 2021, in Beita, south of Nablus (West Bank), residents gathered to protest against a new "
    "settlement outpost on a nearby hilltop.",
    None,
    E("gathered", "protest", "Beita", 282615, pats=["FS", "PQ", "GP"], fallback=True,
      note="Beita is not in the offline GeoNames data; gold is Nablus, which the text locates it "
           "south of, about 10 km away."))

rec("Israeli forces arrested 14 Palestinians in overnight raids in Hebron, the army said.",
    "2022-09-08",
    E("arrested", "arrest", "Hebron", 285066, pats=["PL"]))

rec("A 5.9-magnitude earthquake struck near Kahramanmaraş before dawn on Sunday, and two people died when "
    "an old house collapsed in Antakya.",
    "2018-03-05",
    E("earthquake", "disaster", "Kahramanmaraş", 310859, pats=["DI"]),
    E("collapsed", "disaster", "Antakya", 323779, pats=["DI"]))

rec("In Zahedan, worshippers marched after Friday prayers chanting slogans, and security forces opened "
    "fire on the crowd, killing several people, rights groups said.",
    "2022-09-30",
    E("marched", "protest", "Zahedan", 1159301, pats=["FS"]),
    E("opened fire", "attack", "Zahedan", 1159301, pats=["FS", "FO"]))

rec("Shopkeepers in Saqqez closed their stores on Wednesday in a general strike called to commemorate a "
    "young woman who died in custody.",
    "2022-10-27",
    E("strike", "protest", "Saqqez", 117392, pats=["NE"]))

rec("About 300 refugees arrived in Mafraq from Daraa province overnight, a Jordanian army source said.",
    "2018-07-09",
    E("arrived", "border_crossing", "Mafraq", 250582, origin=O("Daraa", admin=("Daraa", "SY", "admin1")),
      pats=["AR", "DO"]))

# ---------------------------------------------------------------------------------------------
# South and Southeast Asia
# ---------------------------------------------------------------------------------------------
rec("KABUL, March 3 (NewsWire) - A Taliban government spokesman said on Friday that the ban on poppy "
    "cultivation would be enforced in all provinces.",
    "2023-03-04",
    E("said", "statement", "KABUL", 1138958, pats=["SP"], note="Wire dateline."))

rec("A roadside bomb exploded near a bus carrying university students in Jalalabad, Nangarhar province, "
    "wounding eleven.",
    "2022-11-30",
    E("exploded", "attack", "Jalalabad", 1139715, pats=["PL"]))

rec("An earthquake destroyed hundreds of homes in Zindajan district of Herat province on Saturday, "
    "killing at least 40 people.",
    "2018-10-08",
    E("earthquake", "disaster", "Zindajan", 1120711, pats=["DI", "PQ"]))

rec("More than 7,000 Afghans crossed from Chaman into Spin Boldak on Tuesday as Pakistan pressed ahead "
    "with deportations.",
    "2023-11-01",
    E("crossed", "border_crossing", "Spin Boldak", 1123906, origin=O("Chaman", 1181611), pats=["DO"]))

rec("Monsoon floods submerged Mehar town of Dadu district, Sindh province, on Sunday, forcing thousands "
    "of families onto the embankments.",
    "2022-08-29",
    E("floods", "disaster", "Mehar", 1170584, pats=["DI", "PQ"],
      note="Dadu, the district town and a likely wrong answer, is about 50 km south."))

rec("Lawyers staged a sit-in outside the high court bench in Hyderabad, Sindh, on Monday to protest the "
    "killing of a colleague.",
    "2021-02-09",
    E("sit-in", "protest", "Hyderabad", 1176734, pats=["NE", "PQ"]))

rec("Militants attacked a police station in Bannu with rocket-propelled grenades overnight, and a soldier "
    "was killed in a separate shoot-out near Dera Ismail Khan.",
    "2023-03-12",
    E("attacked", "armed_clash", "Bannu", 1183460, alt=["attack"], pats=["PL"]),
    E("shoot-out", "armed_clash", "Dera Ismail Khan", 1180281, pats=["NE"]))

rec("Militants fired on the positions of a Frontier Corps post in Datta Khel village of North Waziristan "
    "district, Khyber Pakhtunkhwa province, on Saturday, killing two soldiers.",
    "2021-10-03",
    E("fired on", "armed_clash", "Datta Khel", 1109262, pats=["FO", "PQ"]))

rec("Traders staged a sit-in in Landi Kotal (Khyber district, Khyber Pakhtunkhwa) to protest the closure "
    "of the Torkham crossing.",
    "2023-02-23",
    E("sit-in", "protest", "Landi Kotal", 1172208, pats=["NE", "PQ", "GP"],
      note="Torkham is only the crossing whose closure is protested; the sit-in is in Landi Kotal."))

rec("Fishermen in Gwadar blocked the coastal highway for a third day to protest against illegal trawling "
    "by deep-sea vessels.",
    "2021-12-02",
    E("blocked", "protest", "Gwadar", 1177446, pats=["GP"]))

rec("Pakistan's foreign office spokeswoman told a weekly briefing in Islamabad that talks with Kabul on "
    "border trade would resume next month.",
    "2024-04-04",
    E("told", "statement", "Islamabad", 1176615, pats=["SP"],
      note="Kabul is a metonym for the Afghan authorities, not the place of the statement."))

rec("On 3 May 2023, in Churachandpur (Manipur), a tribal solidarity march turned violent, and mobs torched "
    "houses on the edge of the town, police said.",
    "2023-05-04",
    E("march", "protest", "Churachandpur", 1273909, pats=["FS", "PQ", "NE"]),
    E("torched", "attack", "Churachandpur", 1273909, pats=["FS"]))

rec("Some 5,000 people fled from Tamu into Moreh in India's Manipur state over the weekend, local "
    "officials said.",
    "2023-07-25",
    E("fled", "border_crossing", "Moreh", 11072202, origin=O("Tamu", 1294761), pats=["DO"]))

rec("Police arrested 23 people in Aurangabad, Bihar, after clashes during a religious procession on "
    "Saturday night.",
    "2023-04-03",
    E("arrested", "arrest", "Aurangabad", 1278148, pats=["PL", "PQ"]),
    E("clashes", "armed_clash", "Aurangabad", 1278148, alt=["protest"], pats=["NE"]))

rec("A shoot-out took place in the Kokernag area of Anantnag district on Wednesday, leaving two soldiers "
    "and a police officer dead.",
    "2023-09-14",
    E("shoot-out", "armed_clash", "Kokernag", 11185623, pats=["NE", "PQ"]))

rec("Nearly 500 Rohingya refugees arrived in Teknaf by boat overnight, Bangladeshi border guards said.",
    "2017-09-12",
    E("arrived", "border_crossing", "Teknaf", 1185095, pats=["AR"]))

rec("Bangladesh's interim home affairs adviser said at a press conference in Dhaka that 1,200 people had "
    "been arrested over the unrest.",
    "2024-08-20",
    E("said", "statement", "Dhaka", 1185241, pats=["SP"]),
    E("arrested", "arrest", pats=["NP"],
      note="Dhaka is only where it was said; the arrests are not placed by the text."))

rec("Flash floods in Sylhet left four million people stranded and killed at least 18, officials said on "
    "Saturday.",
    "2022-06-19",
    E("floods", "disaster", "Sylhet", 1185099, pats=["DI"]))

rec("Resistance fighters captured an army outpost near Loikaw on Tuesday after a three-day battle.",
    "2024-01-10",
    E("captured", "armed_clash", "Loikaw", 1313479, pats=["PL"]))

rec("About 3,000 people crossed from Myawaddy into Mae Sot on Saturday, Thai officials said.",
    "2024-04-07",
    E("crossed", "border_crossing", "Mae Sot", 1152188, origin=O("Myawaddy", 1308052), pats=["DO"]))

rec("Military aircraft bombed a monastery in Hpakant, Kachin state, on Thursday, killing at least eight "
    "displaced people sheltering there.",
    "2023-10-20",
    E("bombed", "attack", "Hpakant", 1323815, pats=["FO"]))

rec("Soldiers clashed with Abu Sayyaf gunmen near Jolo, Sulu, on Saturday, leaving three militants dead.",
    "2019-08-04",
    E("clashed", "armed_clash", "Jolo", 1710141, pats=["PL"]))

rec("Farmers staged a march in San Jose (Occidental Mindoro) on Monday to demand fair prices for their "
    "palay.",
    "2022-09-27",
    E("march", "protest", "San Jose", 1689510, pats=["GP", "PQ"]))

rec("Two soldiers were killed when gunmen ambushed an army truck in Datu Piang (Maguindanao) on Sunday.",
    "2020-12-14",
    E("ambushed", "armed_clash", "Datu Piang", 1715382, alt=["attack"], pats=["PQ", "PL"]))

rec("A typhoon tore through Tacloban on Sunday, killing 12 people and forcing 20,000 into evacuation "
    "centres.",
    "2016-10-17",
    E("typhoon", "disaster", "Tacloban", 1684712, pats=["DI"]))

rec("MANILA, July 4 (NewsWire) - The armed forces chief told a news conference in Manila that troops had "
    "been moved to Jolo ahead of the plebiscite.",
    "2018-07-05",
    E("told", "statement", "Manila", 1701668, pats=["SP"]),
    E("moved", "military_movement", "Jolo", 1710141, pats=["PL"]))

rec("A bomb exploded outside a tea shop in Rueso district, Narathiwat province, on Tuesday, wounding four "
    "rangers.",
    "2019-04-10",
    E("exploded", "attack", "Rueso", 1606961, pats=["PQ"]))

rec("Separatist fighters opened fire on a small aircraft shortly after it landed in Sugapa, Intan Jaya "
    "regency, killing the pilot.",
    "2021-04-09",
    E("opened fire", "attack", "Sugapa", 11011788, pats=["FO", "PQ"]))

rec("Hundreds of people gathered in Wamena to protest against racist abuse of Papuan students, and "
    "several government buildings were set on fire.",
    "2019-09-24",
    E("gathered", "protest", "Wamena", 1622167, pats=["GP"]),
    E("set on fire", "attack", "Wamena", 1622167, alt=["protest"], pats=["PL"]))

rec("A landslide buried six houses in Cianjur, West Java, on Tuesday, killing eight people.",
    "2018-12-12",
    E("landslide", "disaster", "Cianjur", 1647142, pats=["DI"]))

# ---------------------------------------------------------------------------------------------
# Latin America and the Caribbean
# ---------------------------------------------------------------------------------------------
rec("On 20 April 2019, in Buenos Aires (Cauca, Colombia), FARC dissidents opened fire on a police patrol, "
    "and residents blocked the main road into town to demand more troops.",
    None,
    E("opened fire", "armed_clash", "Buenos Aires", 3688357, alt=["attack"], pats=["FS", "PQ", "FO"]),
    E("blocked", "protest", "Buenos Aires", 3688357, pats=["FS", "GP"]))

rec("ELN guerrillas fired on the positions of an army battalion in Toledo (Norte de Santander) on "
    "Tuesday, wounding two soldiers.",
    "2021-09-08",
    E("fired on", "armed_clash", "Toledo", 3666959, pats=["FO", "PQ"]))

rec("In Tibú, Norte de Santander, the body of a social leader was found with gunshot wounds on Sunday "
    "morning.",
    "2022-01-03",
    E("found", "casualties", "Tibú", 3667202, alt=["attack"], pats=["FS", "FD"]))

rec("On 9 January 2025, in Tibú (Norte de Santander), ELN fighters attacked a camp of FARC dissidents, "
    "a family of four was found dead on a rural road, and hundreds of residents fled toward Cúcuta.",
    "2025-01-10",
    E("attacked", "armed_clash", "Tibú", 3667202, pats=["FS", "PQ"]),
    E("found dead", "casualties", "Tibú", 3667202, alt=["attack"], pats=["FS", "FD"]),
    E("fled", "displacement", "Cúcuta", 3685533, origin=O("Tibú", 3667202), pats=["DO"],
      note="The fled clause names its own destination; the fronted Tibú is the origin."))

rec("FARC dissidents and ELN fighters clashed in rural Argelia (Cauca) on Wednesday, and dozens of "
    "families fled to the municipal seat.",
    "2020-03-05",
    E("clashed", "armed_clash", "Argelia", 3689615, pats=["PQ", "PL"]),
    E("fled", "displacement", "Argelia", 3689615, pats=["PL"],
      note="'the municipal seat' is Argelia town itself."))

rec("More than 1,200 Venezuelans crossed from San Antonio del Táchira into Cúcuta on Monday, Colombian "
    "migration officials said.",
    "2019-02-26",
    E("crossed", "border_crossing", "Cúcuta", 3685533, origin=O("San Antonio del Táchira", 3628549),
      pats=["DO"]))

rec("Some 900 migrants travelled by boat from Necoclí to Acandí on Friday on their way to the Darién "
    "jungle.",
    "2021-09-20",
    E("travelled", "displacement", "Acandí", 3690572, origin=O("Necoclí", 3673974), pats=["DO"],
      note="Both towns are in Colombia: a movement inside one country."))

rec("Around 1,500 migrants reached Metetí in Panama's Darién province on Sunday after crossing the jungle "
    "from Colombia.",
    "2023-09-25",
    E("reached", "border_crossing", "Metetí", 3704327, origin=O("Colombia", admin=("Colombia", "CO", "country")),
      pats=["AR", "DO"]))

rec("Clashes erupted between FARC dissidents and the army in rural Jamundí (Valle del Cauca) on Thursday, "
    "forcing 300 families to flee their homes.",
    "2024-05-24",
    E("Clashes", "armed_clash", "Jamundí", 3680387, pats=["NE", "PQ"]),
    E("flee", "displacement", "Jamundí", 3680387, pats=["PL"]))

rec("Residents of Córdoba (Quindío) banged pots in the main square on Saturday night to protest against "
    "water rationing.",
    "2019-11-24",
    E("banged pots", "protest", "Córdoba", 3685900, pats=["GP", "PQ"]))

rec("A landslide buried a stretch of the Pan-American Highway in Rosas, Cauca, on Monday, killing three "
    "motorists.",
    "2017-04-18",
    E("landslide", "disaster", "Rosas", 3670595, pats=["DI"]))

rec("Police arrested 30 people in Barcelona, Anzoátegui state, after a night of pot-banging protests "
    "against food shortages.",
    "2017-05-04",
    E("arrested", "arrest", "Barcelona", 3648559, pats=["PQ"]),
    E("pot-banging protests", "protest", "Barcelona", 3648559, pats=["NE"]))

rec("Cartel gunmen attacked a military convoy near Aguililla, Michoacán, on Thursday, and the fighting "
    "lasted several hours.",
    "2022-12-09",
    E("attacked", "armed_clash", "Aguililla", 4019152, alt=["attack"], pats=["PL"]))

rec("Fishermen staged a march in La Paz (Baja California Sur) to demand an end to a ban on shrimp "
    "fishing.",
    "2021-03-15",
    E("march", "protest", "La Paz", 4000900, pats=["GP", "PQ"]))

rec("Around 700 migrants arrived in Tapachula on Sunday after crossing the Suchiate river from Ciudad "
    "Tecún Umán, Guatemala.",
    "2021-08-30",
    E("arrived", "border_crossing", "Tapachula", 3516266, origin=O("Ciudad Tecún Umán", 3598129),
      pats=["AR", "DO"]))

rec("A gunfight broke out between rival factions of the Sinaloa cartel in Culiacán on Thursday night. "
    "Four bodies were found on a roadside the next morning.",
    "2023-07-07",
    E("gunfight", "armed_clash", "Culiacán", 4012176, pats=["NE"]),
    E("found", "casualties", pats=["NP", "FD"], note="The second sentence names no place."))

rec("Relatives of missing students blocked the Highway of the Sun in Chilpancingo on Saturday to demand "
    "answers from federal prosecutors.",
    "2024-03-10",
    E("blocked", "protest", "Chilpancingo", 3530870, pats=["GP"]))

rec("Gunmen killed six people at a bar in Fresnillo, Zacatecas, late on Sunday.",
    "2022-05-16",
    E("killed", "attack", "Fresnillo", 4006163, pats=["PL"]))

rec("Five men were found killed on the outskirts of Reynosa, Tamaulipas, on Saturday, state prosecutors "
    "said.",
    "2019-04-14",
    E("found killed", "casualties", "Reynosa", 3520339, alt=["attack"], pats=["FD"]))

rec("Mexico's foreign minister said at a news conference in Mexico City that consular staff were "
    "assisting the families of the victims.",
    "2023-02-10",
    E("said", "statement", "Mexico City", 3530597, pats=["SP"]))

rec("Clashes erupted between protesters and police near the airport in Juliaca on Monday, leaving at "
    "least 17 people dead.",
    "2023-01-10",
    E("Clashes", "protest", "Juliaca", 3937513, alt=["armed_clash"], pats=["NE"],
      note="Protesters against police: a protest turned violent, not a clash of armed groups."))

rec("In Andahuaylas, residents gathered to commemorate the people killed during last December's protests "
    "and to demand justice.",
    "2023-02-09",
    E("gathered", "protest", "Andahuaylas", 3947740, pats=["FS", "GP"]))

rec("A riot broke out at the Litoral penitentiary in Guayaquil on Tuesday, leaving at least 30 inmates "
    "dead.",
    "2021-09-29",
    E("riot", "armed_clash", "Guayaquil", 3657509, alt=["attack"], pats=["NE"]))

rec("A car bomb exploded outside a police station in Esmeraldas early on Tuesday. Police detained two "
    "suspects hours later.",
    "2022-11-02",
    E("exploded", "attack", "Esmeraldas", 3657990, pats=["PL"]),
    E("detained", "arrest", pats=["NP"], note="The second sentence names no place."))

rec("On 16 February 2021, in Ercilla (Malleco, Araucanía), arsonists set fire to four forestry trucks, "
    "and unidentified men fired on the positions of a police unit guarding a farm.",
    None,
    E("set fire", "attack", "Ercilla", 3890015, pats=["FS", "PQ"]),
    E("fired on", "armed_clash", "Ercilla", 3890015, alt=["attack"], pats=["FS", "FO"]))

rec("Members of Mapuche communities occupied municipal buildings in Cañete (Arauco, Biobío) to demand the "
    "release of jailed activists.",
    "2020-08-03",
    E("occupied", "protest", "Cañete", 3950116, pats=["PQ", "GP"]))

rec("Teachers protested in Trelew on Tuesday against months of salary delays.",
    "2024-05-08",
    E("protested", "protest", "Trelew", 3833883, pats=["PL"]))

rec("About 500 Venezuelans crossed into Brazil at Pacaraima on Monday, the army said.",
    "2018-08-21",
    E("crossed", "border_crossing", "Pacaraima", 6317835, pats=["AR"]))

rec("Floods in Canoas forced more than 80,000 people from their homes over the weekend, municipal "
    "officials said.",
    "2024-05-06",
    E("Floods", "disaster", "Canoas", 3467467, pats=["DI"]))

rec("Gang members opened fire on residents in Croix-des-Bouquets on Wednesday, killing at least 12 people, "
    "a human rights group said.",
    "2024-10-04",
    E("opened fire", "attack", "Croix-des-Bouquets", 3727135, pats=["FO"]))

rec("Thousands of residents fled from Mirebalais to Hinche on Friday after gangs stormed the town's "
    "police station.",
    "2025-04-01",
    E("fled", "displacement", "Hinche", 3723841, origin=O("Mirebalais", 3720811), pats=["DO"]),
    E("stormed", "attack", "Mirebalais", 3720811, alt=["armed_clash"], pats=["PL"],
      note="'the town' is Mirebalais, the origin named earlier in the sentence."))

rec("A fight between rival gangs at the women's prison in Támara, north-west of Tegucigalpa, left 11 "
    "inmates dead on Tuesday.",
    "2023-06-21",
    E("fight", "armed_clash", "Támara", 3601039, pats=["NE"]))

# ---------------------------------------------------------------------------------------------
# Europe and the Caucasus
# ---------------------------------------------------------------------------------------------
rec("Russian forces fired on the positions of Ukrainian units near Kupiansk (Kharkiv region) throughout "
    "Tuesday, the general staff said.",
    "2023-09-20",
    E("fired on", "armed_clash", "Kupiansk", 703656, pats=["FO", "PQ"]))

rec("Russian troops shelled Nikopol from across the Dnipro river overnight, damaging apartment blocks and "
    "wounding two residents.",
    "2022-08-12",
    E("shelled", "attack", "Nikopol", 700051, alt=["armed_clash"], pats=["FO"],
      note="'Dnipro' here is the river, not the city."))

rec("KHERSON, Ukraine, Nov 12 (NewsWire) - The regional governor said on Saturday that demining teams had "
    "begun clearing the city's administrative buildings.",
    "2022-11-13",
    E("said", "statement", "KHERSON", 706448, pats=["SP"], note="Wire dateline."))

rec("Ukrainian forces advanced south of Orikhiv on Monday, according to the deputy defence minister.",
    "2023-06-13",
    E("advanced", "military_movement", "Orikhiv", 698428, pats=["PL"]))

rec("A drone struck an administrative building in Shebekino, Belgorod region, on Monday, injuring two "
    "people, the governor said.",
    "2023-05-23",
    E("struck", "attack", "Shebekino", 495112, pats=["PL"]))

rec("More than 600 residents, including 50 children, were evacuated from Pokrovsk to Dnipro on Tuesday by "
    "train.",
    "2024-08-21",
    E("evacuated", "displacement", "Dnipro", 709930, origin=O("Pokrovsk", 704422), pats=["DO"]))

rec("More than 40,000 refugees arrived in Przemyśl from Ukraine on Sunday, the Polish border guard said.",
    "2022-03-07",
    E("arrived", "border_crossing", "Przemyśl", 761168, origin=O("Ukraine", admin=("Ukraine", "UA", "country")),
      pats=["AR", "DO"]))

rec("Polish farmers blocked the approach to the Medyka border crossing with tractors on Tuesday to protest "
    "against imports of Ukrainian grain.",
    "2024-02-21",
    E("blocked", "protest", "Medyka", 765028, pats=["GP"]))

rec("A dinghy carrying 41 people crossed from Ayvalık to a beach near Mytilene on Lesbos before dawn, the "
    "Greek coast guard said.",
    "2019-09-02",
    E("crossed", "border_crossing", "Mytilene", 256866, origin=O("Ayvalık", 322673), pats=["DO"]))

rec("A wildfire forced the evacuation of four villages near Alexandroupoli on Sunday, and firefighters "
    "battled the flames through the night.",
    "2020-08-24",
    E("wildfire", "disaster", "Alexandroupoli", 736928, pats=["DI"]))

rec("Boats carrying 113 Algerian migrants reached Cartagena (Murcia) on Friday, the Spanish Red Cross "
    "said.",
    "2022-10-15",
    E("reached", "border_crossing", "Cartagena", 2520058, pats=["AR", "PQ"]))

rec("A cayuco carrying 190 people reached La Restinga on El Hierro late on Monday, the largest arrival of "
    "the year on the island.",
    "2023-10-10",
    E("reached", "border_crossing", "La Restinga", 6698165, pats=["AR"]))

rec("Farmers drove hundreds of tractors into Guadalajara (Castilla-La Mancha) on Tuesday to protest "
    "against EU farm rules.",
    "2024-02-07",
    E("protest", "protest", "Guadalajara", 3121070, pats=["GP", "PQ"]))

rec("Youths clashed with police in Nanterre for a third night on Friday, and 45 people were arrested.",
    "2023-07-01",
    E("clashed", "protest", "Nanterre", 2990970, alt=["armed_clash"], pats=["PL"]),
    E("arrested", "arrest", "Nanterre", 2990970, pats=["PL"]))

rec("Some 500 people crossed the Channel in small boats and were brought ashore at Dover on Sunday, the "
    "Home Office said.",
    "2022-08-29",
    E("crossed", "border_crossing", "Dover", 2651048, pats=["AR"]))

rec("Police arrested five suspected people smugglers in Gravelines on Friday, French prosecutors said.",
    "2022-06-11",
    E("arrested", "arrest", "Gravelines", 3014816, pats=["PL"]))

rec("Students blocked a bridge in Novi Sad for 24 hours to protest against corruption.",
    "2025-02-02",
    E("blocked", "protest", "Novi Sad", 3194360, pats=["GP"]))

rec("Clashes erupted in Zvečan between Serb protesters and NATO peacekeepers outside the municipal "
    "building on Monday, injuring 30 soldiers.",
    "2023-05-30",
    E("Clashes", "protest", "Zvečan", 783770, alt=["armed_clash"], pats=["NE"]))

rec("Demonstrators gathered outside parliament in Tbilisi to protest against the foreign agents bill for "
    "a third straight night.",
    "2024-05-02",
    E("gathered", "protest", "Tbilisi", 611717, pats=["GP"]))

rec("Azerbaijani forces fired on the positions of Armenian units near Sotk (Gegharkunik province) on "
    "Tuesday evening, the Armenian defence ministry said.",
    "2022-09-14",
    E("fired on", "armed_clash", "Sotk", 616041, pats=["FO", "PQ"]))

rec("On 13 September 2022, in Jermuk (Vayots Dzor), shelling damaged a hotel and a school, and residents "
    "fled to Yerevan.",
    None,
    E("shelling", "attack", "Jermuk", 174884, alt=["armed_clash"], pats=["FS", "PQ", "NE"]),
    E("fled", "displacement", "Yerevan", 616052, origin=O("Jermuk", 174884), pats=["DO"],
      note="The fled-to clause names its own place, so the fronted Jermuk is the origin."))

rec("The foreign ministers of Armenia and Azerbaijan met in Almaty on Friday for two days of talks on a "
    "peace treaty.",
    "2024-05-11",
    E("met", "diplomatic_meeting", "Almaty", 1526384, pats=["PL"]))

rec("The EU's foreign policy chief told reporters in Brussels that the bloc was ready to send observers "
    "to the border.",
    "2023-09-21",
    E("told", "statement", "Brussels", 2800866, pats=["SP"]))

rec("A UN human rights spokesperson told reporters in Geneva that at least 300 civilians had been killed "
    "in the past month.",
    "2024-11-02",
    E("told", "statement", "Geneva", 2660646, pats=["SP"]),
    E("killed", "casualties", pats=["NP"], note="Geneva is only where it was said; the killings are not placed."))

rec("Government and rebel negotiators signed a ceasefire agreement in Doha on Saturday after five months "
    "of talks.",
    "2022-08-07",
    E("signed", "agreement", "Doha", 290030, pats=["PL"]))

rec("The Treasury Department imposed sanctions on two RSF commanders on Thursday.",
    "2023-06-02",
    E("imposed", "sanction", pats=["NP"], note="No place is named."))

rec("Sudanese refugees staged a sit-in outside the UN refugee agency's office, demanding relocation to "
    "safer camps.",
    "2024-03-12",
    E("sit-in", "protest", pats=["NP", "NE"], note="'Sudanese' is a nationality; the office is not placed."))

# ---------------------------------------------------------------------------------------------
# North America
# ---------------------------------------------------------------------------------------------
rec("A gunman opened fire on motorists in Odessa, Texas, on Saturday, killing seven people before police "
    "shot him dead.",
    "2019-09-01",
    E("opened fire", "attack", "Odessa", 5527554, pats=["FO", "PQ"], ns=698740,
      note="Namesake: Odessa is the usual English name of Odesa, Ukraine (GeoNames primary 'Odesa')."))

rec("Hundreds of students gathered to commemorate four classmates in Moscow, Idaho, on Wednesday "
    "evening.",
    "2022-11-20",
    E("gathered", "protest", "Moscow", 5601538, pats=["GP", "PQ"],
      note="A vigil: commemorations are counted as protest events."))

rec("Police arrested 14 people at a pro-Palestinian encampment in Athens, Ohio, early on Thursday.",
    "2024-05-03",
    E("arrested", "arrest", "Athens", 4505542, pats=["PQ", "PL"]))

rec("Thousands of people staged a march in London, Ontario, on Friday to commemorate the victims of a "
    "hate crime.",
    "2021-06-12",
    E("march", "protest", "London", 6058560, pats=["GP", "PQ"]))

rec("About 2,500 migrants crossed from Piedras Negras into Eagle Pass on Monday, Border Patrol said.",
    "2023-12-19",
    E("crossed", "border_crossing", "Eagle Pass", 5520677, origin=O("Piedras Negras", 3992619), pats=["DO"]))

rec("US authorities closed the Paso del Norte bridge in El Paso for six hours on Friday after a protest "
    "on the Mexican side.",
    "2019-11-23",
    E("closed", "border_closure", "El Paso", 5520993, pats=["PL"]),
    E("protest", "protest", pats=["NP"], note="'the Mexican side' names no place."))

rec("Hundreds of asylum seekers crossed from Champlain, New York, into Lacolle, Quebec, last week before "
    "the crossing was closed.",
    "2023-03-27",
    E("crossed", "border_crossing", "Lacolle", 6035592, origin=O("Champlain", 5112215), pats=["DO"]))

rec("Protesters marched in Minneapolis on Saturday against police violence.",
    "2020-06-07",
    E("marched", "protest", "Minneapolis", 5037649, pats=["PL"]))

rec("OTTAWA, Feb 9 (NewsWire) - Canada's public safety minister said on Wednesday that the blockade of "
    "the downtown core had to end.",
    "2022-02-10",
    E("said", "statement", "OTTAWA", 6094817, pats=["SP"], note="Wire dateline."),
    E("blockade", "protest", "OTTAWA", 6094817, alt=[], pats=["NE"],
      note="'the downtown core' is Ottawa's, the dateline city."))


# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------
def find_nth(text: str, word: str, n: int) -> int:
    start = -1
    for _ in range(n + 1):
        start = text.find(word, start + 1)
        if start < 0:
            raise AssertionError(f"{word!r} occurrence {n} not in {text!r}")
    # The occurrence must be a whole word: a trigger inside a longer word is a mistake.
    before = text[start - 1] if start > 0 else " "
    after = text[start + len(word)] if start + len(word) < len(text) else " "
    assert not before.isalnum() and not after.isalnum(), (word, text)
    return start


def haversine(a, b, c, d) -> float:
    p1, p2 = math.radians(a), math.radians(c)
    dl, dp = math.radians(d - b), p2 - p1
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def resolve(g: Gazetteer, gid, admin):
    if gid is not None:
        place = g.get(gid)
        assert place is not None, f"geonameid {gid} not in gazetteer"
        assert place.level == "city", (gid, place.level)
        return place
    name, cc, level = admin
    if level == "country":
        place = g.country(cc)
    else:
        rows = [p for p in g.lookup(name) if p.country_code == cc and p.level == level]
        assert len(rows) == 1, (admin, rows)
        place = rows[0]
    assert place is not None and place.level == level, (admin, place)
    return place


def naive_namesake(g: Gazetteer, mention: str, gold) -> int | None:
    """The most populous other city the mention's name resolves to, when it beats the gold row."""
    best = None
    for p in g.lookup(mention):
        if p.level != "city" or p.geonameid is None or p.geonameid == gold.geonameid:
            continue
        if haversine(p.lat, p.lon, gold.lat, gold.lon) <= 25:
            continue
        if normalize(p.name) != normalize(mention):  # a namesake shares the primary name
            continue
        if p.population > gold.population and (best is None or p.population > best.population):
            best = p
    return best.geonameid if best else None


def build() -> list[dict]:
    g = Gazetteer.default()
    out = []
    for i, r in enumerate(R, 1):
        text = r["text"]
        assert "\n" not in text
        pats = []
        events = []
        ccs = []
        for e in r["events"]:
            assert e["type"] in TYPES, e["type"]
            assert all(a in TYPES and a != e["type"] for a in e["alt"]), e
            ts = find_nth(text, e["trigger"], e["t"])
            assert text[ts:ts + len(e["trigger"])] == e["trigger"]
            ev = {"trigger": e["trigger"], "trigger_start": ts, "type": e["type"], "alt_types": e["alt"]}
            if e["place"] is None:
                assert e["gid"] is None and e["admin"] is None and e["origin"] is None
                assert "NP" in e["pats"], e
                ev.update(place=None, place_start=None, geonameid=None, lat=None, lon=None, gold_level=None,
                          origin=None, namesake_geonameid=None)
            else:
                assert "NP" not in e["pats"], e
                ps = find_nth(text, e["place"], e["p"])
                assert text[ps:ps + len(e["place"])] == e["place"]
                place = resolve(g, e["gid"], e["admin"])
                if not e["fallback"] and normalize(place.name) != normalize(e["place"]):
                    REVIEW.append((e["place"], place.name, place.country_code, place.admin1, place.geonameid))
                ns = e["ns"]
                if ns == "auto":
                    ns = None if e["fallback"] else naive_namesake(g, e["place"], place)
                origin = None
                if e["origin"]:
                    o = e["origin"]
                    os_ = find_nth(text, o["place"], o["p"])
                    assert text[os_:os_ + len(o["place"])] == o["place"]
                    op = resolve(g, o["gid"], o["admin"])
                    origin = {"place": o["place"], "place_start": os_, "geonameid": op.geonameid,
                              "lat": round(op.lat, 5), "lon": round(op.lon, 5), "gold_level": op.level}
                ccs.append(place.country_code)
                ev.update(place=e["place"], place_start=ps, geonameid=place.geonameid,
                          lat=round(place.lat, 5), lon=round(place.lon, 5), gold_level=place.level,
                          origin=origin, namesake_geonameid=ns)
            ev["note"] = e["note"]
            ev["patterns"] = [PATTERNS[p] for p in e["pats"]]
            for p in e["pats"]:
                if PATTERNS[p] not in pats:
                    pats.append(PATTERNS[p])
            events.append(ev)
        for p in r["extra"]:
            if PATTERNS[p] not in pats:
                pats.append(PATTERNS[p])
        out.append({"id": f"er{i:03d}", "text": text, "published": r["published"], "patterns": pats,
                    "events": events, "_fallback": [e["fallback"] for e in r["events"]], "_cc": ccs})
    return out


def validate(records: list[dict]) -> dict:
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    n_events = sum(len(r["events"]) for r in records)
    per_pattern = Counter(p for r in records for e in r["events"] for p in e["patterns"])
    per_type = Counter(e["type"] for r in records for e in r["events"])
    fallback = sum(f for r in records for f in r["_fallback"])
    countries = Counter(cc for r in records for cc in r["_cc"])
    assert len(records) >= 80, len(records)
    assert n_events >= 110, n_events
    for p, m in MINIMUM.items():
        assert per_pattern[p] >= m, (p, per_pattern[p])
    assert fallback <= FALLBACK_MAX, fallback
    assert len(countries) >= 25, len(countries)
    for r in records:
        assert 1 <= len(r["events"]) <= 3, r["id"]
        assert r["published"] is None or (len(r["published"]) == 10 and "2015" <= r["published"][:4] <= "2025")
        for e in r["events"]:
            assert r["text"][e["trigger_start"]:e["trigger_start"] + len(e["trigger"])] == e["trigger"]
            if e["place"] is not None:
                assert r["text"][e["place_start"]:e["place_start"] + len(e["place"])] == e["place"]
                assert e["lat"] is not None and e["lon"] is not None
    return dict(records=len(records), events=n_events, per_pattern=dict(sorted(per_pattern.items())),
                per_type=dict(sorted(per_type.items())), fallback=fallback,
                countries=dict(sorted(countries.items())), namesakes=sum(
                    1 for r in records for e in r["events"] if e.get("namesake_geonameid")))


def main() -> None:
    records = build()
    stats = validate(records)
    with OUT.open("w", encoding="utf-8") as fh:
        for r in records:
            r = {k: v for k, v in r.items() if not k.startswith("_")}
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    # Re-read: every line parses and round-trips.
    lines = OUT.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(records)
    for line in lines:
        obj = json.loads(line)
        assert set(obj) == {"id", "text", "published", "patterns", "events"}
    print(json.dumps(stats, indent=1, ensure_ascii=False))
    for row in REVIEW:
        print("spelling differs from GeoNames primary name:", row)


if __name__ == "__main__":
    main()
