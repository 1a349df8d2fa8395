#!/usr/bin/env python3
"""Build local_news.jsonl: short fictional local-news paragraphs whose place names have namesakes.

Written for Dateline by its engineers. Every paragraph below is invented for this file (no text is
taken from a dataset or a news site); the places in them are real, and every gold place is a row
of Dateline's own offline gazetteer, read-only. Nothing here runs Dateline's parser or resolver:
the gold places are chosen by the writer, and the gazetteer is only used to look coordinates up
and to compute what a naive "most populous place of that name" resolver would pick.

Run with the project's interpreter from anywhere:

    .venv/bin/python tests/data/local_news/build.py [--out PATH]

It finds the repository by walking up from this file to the first folder holding `geo/`
(or takes DATELINE_ROOT); DATELINE_GAZETTEER may name a gazetteer SQLite file to open instead of
`Gazetteer.default()`.

Markup in the texts: [[surface|alias]] or [[surface|alias|cue]]. `alias` is a key of PLACES;
`cue` overrides the record's cue for that mention (a mention whose name has no namesake more than
161 km from the gold place gets cue "none").
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
KM = 161.0  # acc@161 km: 100 miles, the usual geoparsing threshold
CUES = ("qualifier", "ap_abbreviation", "nearby_places", "dateline", "region", "famous_is_right", "none")


def _repo_root() -> Path:
    if os.environ.get("DATELINE_ROOT"):
        return Path(os.environ["DATELINE_ROOT"]).resolve()
    for folder in [HERE, *HERE.parents]:
        if (folder / "geo").is_dir():
            return folder
    raise SystemExit("build.py: cannot find the checkout (a folder holding geo/); set DATELINE_ROOT")


def _gazetteer():
    sys.path.insert(0, str(_repo_root()))
    try:
        from geo.gazetteer import Gazetteer, normalize
    except ImportError:  # the gazetteer may live in a sub-module of a geo.gazetteer package
        from geo.gazetteer.index import Gazetteer, normalize  # type: ignore[no-redef]
    path = os.environ.get("DATELINE_GAZETTEER")
    return (Gazetteer.open(path) if path else Gazetteer.default()), normalize


# ---------------------------------------------------------------------------------------------
# Gold places. An int is a GeoNames id (cities, countries, US states); ("admin1", cc, name) and
# ("admin2", cc, admin1 name, name) pick gazetteer rows that carry no GeoNames id.
# ---------------------------------------------------------------------------------------------

def A1(cc: str, name: str) -> tuple:
    return ("admin1", cc, name)


def A2(cc: str, admin1: str, name: str) -> tuple:
    return ("admin2", cc, admin1, name)


PLACES: dict[str, int | tuple] = {
    # --- US states (GeoNames ids) and countries
    "tn": 4662168, "ky": 6254925, "ga": 4197000, "georgia_us": 4197000, "ohio": 5165418,
    "in": 4921868, "ca": 5332921, "al": 4829764, "il": 4896861, "texas": 4736286, "pa": 6254927,
    "nh": 5090174, "ne": 5073708, "de": 4142224, "md": 4361885, "mn": 5037779, "missouri": 4398678,
    "france": 3017382, "greece": 390903, "ireland": 2963597, "lebanon_lb": 272103, "georgia_ge": 614540,
    # --- Texas
    "paris_tx": 4717560, "reno_tx": 4722241, "lamar_tx": A2("US", "Texas", "Lamar County"),
    "sulphur_springs_tx": 4734909, "gainesville_tx": 4692746, "huntsville_tx": 4699540,
    "walker_tx": A2("US", "Texas", "Walker County"), "conroe_tx": 4682991, "palestine_tx": 4717232,
    "anderson_tx": A2("US", "Texas", "Anderson County"), "tyler_tx": 4738214, "athens_tx": 4671545,
    # --- Tennessee
    "paris_tn": 4647963, "henry_tn": A2("US", "Tennessee", "Henry County"), "puryear_tn": 4651727,
    "mcminn_tn": A2("US", "Tennessee", "McMinn County"), "athens_tn": 4603284, "etowah_tn": 4621196,
    "sweetwater_tn": 4661331, "lebanon_tn": 4636045, "wilson_tn": A2("US", "Tennessee", "Wilson County"),
    "mount_juliet_tn": 4643336,
    # --- Kentucky
    "paris_ky": 4303602, "murray_ky": 4302035, "bourbon_ky": A2("US", "Kentucky", "Bourbon County"),
    "lexington_ky": 4297983, "cynthiana_ky": 4289323, "richmond_ky": 4305974,
    "madison_ky": A2("US", "Kentucky", "Madison County"), "berea_ky": 4283974,
    "boone_ky": A2("US", "Kentucky", "Boone County"), "florence_ky": 4291945, "burlington_ky": 4286281,
    # --- Georgia
    "athens_ga": 4180386, "oconee_ga": A2("US", "Georgia", "Oconee County"), "watkinsville_ga": 4229691,
    "dublin_ga": 4192205, "laurens_ga": A2("US", "Georgia", "Laurens County"),
    "gainesville_ga": 4196586, "hall_ga": A2("US", "Georgia", "Hall County"), "flowery_branch_ga": 4195544,
    "oakwood_ga": 4213771, "columbus_ga": 4188985, "muscogee_ga": A2("US", "Georgia", "Muscogee County"),
    "decatur_ga": 4191124, "atlanta_ga": 4180439, "dekalb_ga": A2("US", "Georgia", "DeKalb County"),
    "avondale_ga": 4180638, "lamar_ga": A2("US", "Georgia", "Lamar County"), "barnesville_ga": 4181110,
    "fort_valley_ga": 4195869, "macon_ga": 4207400,
    # --- Ohio
    "athens_oh": 4505542, "nelsonville_oh": 4519445, "athens_county_oh": A2("US", "Ohio", "Athens County"),
    "dublin_oh": 5152333, "columbus_oh": 4509177, "franklin_oh": A2("US", "Ohio", "Franklin County"),
    "springfield_oh": 4525353, "lancaster_oh": 4516233, "lebanon_oh": 4516412,
    "warren_oh": A2("US", "Ohio", "Warren County"), "mason_oh": 4517698, "newark_oh": 5164466,
    "licking_oh": A2("US", "Ohio", "Licking County"), "granville_oh": 5156270, "heath_oh": 5157262,
    # --- Alabama
    "athens_al": 4830668, "limestone_al": A2("US", "Alabama", "Limestone County"), "decatur_al": 4058553,
    "huntsville_al": 4068590, "phenix_city_al": 4082866, "birmingham_al": 4049979, "hoover_al": 4067994,
    "bessemer_al": 4048023, "jefferson_al": A2("US", "Alabama", "Jefferson County"),
    "lamar_al": A2("US", "Alabama", "Lamar County"), "vernon_al": 4095392, "sulligent_al": 4092267,
    # --- California
    "dublin_ca": 5344157, "pleasanton_ca": 5383777, "alameda_ca": A2("US", "California", "Alameda County"),
    "san_ramon_ca": 5392593, "richmond_ca": 5387428, "san_pablo_ca": 5392508, "el_cerrito_ca": 5345623,
    "contra_costa_ca": A2("US", "California", "Contra Costa County"),
    # --- Indiana
    "richmond_in": 4263681, "wayne_in": A2("US", "Indiana", "Wayne County"), "hagerstown_in": 4258413,
    "columbus_in": 4256038, "bartholomew_in": A2("US", "Indiana", "Bartholomew County"),
    "seymour_in": 4264617, "monroe_in": A2("US", "Indiana", "Monroe County"), "bloomington_in": 4254679,
    # --- Florida, Mississippi
    "gainesville_fl": 4156404, "alachua_fl": A2("US", "Florida", "Alachua County"),
    "columbus_ms": 4422442, "lowndes_ms": A2("US", "Mississippi", "Lowndes County"),
    "starkville_ms": 4447161, "west_point_ms": 4450753, "lamar_ms": A2("US", "Mississippi", "Lamar County"),
    "purvis_ms": 4442639, "hattiesburg_ms": 4429295,
    # --- Illinois, Missouri, Massachusetts
    "springfield_il": 4250542, "sangamon_il": A2("US", "Illinois", "Sangamon County"), "chatham_il": 4235683,
    "decatur_il": 4236895, "macon_il": A2("US", "Illinois", "Macon County"), "champaign_il": 4887158,
    "springfield_mo": 4409896, "greene_mo": A2("US", "Missouri", "Greene County"),
    "boone_mo": A2("US", "Missouri", "Boone County"), "columbia_mo": 4381982,
    "springfield_ma": 4951788, "holyoke_ma": 4939783, "chicopee_ma": 4933002,
    "hampden_ma": A2("US", "Massachusetts", "Hampden County"),
    # --- Pennsylvania, New Hampshire, Delaware, Maryland, Virginia
    "lancaster_pa": 5197079, "lancaster_county_pa": A2("US", "Pennsylvania", "Lancaster County"),
    "columbia_pa": 5185029, "lebanon_pa": 5197517, "lebanon_county_pa": A2("US", "Pennsylvania", "Lebanon County"),
    "annville_pa": 5178351, "palmyra_pa": 5204964,
    "lebanon_nh": 5088597, "hanover_nh": 5087168, "grafton_nh": A2("US", "New Hampshire", "Grafton County"),
    "newark_de": 4143861, "wilmington_de": 4145381, "new_castle_de": A2("US", "Delaware", "New Castle County"),
    "elkton_md": 4354234, "hagerstown_md": 4357141, "washington_md": A2("US", "Maryland", "Washington County"),
    "richmond_va": 4781708, "henrico_va": A2("US", "Virginia", "Henrico County"),
    # --- Nebraska, Minnesota, Arkansas
    "norfolk_ne": 5073965, "madison_ne": A2("US", "Nebraska", "Madison County"), "battle_creek_ne": 5063564,
    "rochester_mn": 5043473, "olmsted_mn": A2("US", "Minnesota", "Olmsted County"),
    "stewartville_mn": 5048796, "byron_mn": 5019890,
    "washington_ar": A2("US", "Arkansas", "Washington County"), "fayetteville_ar": 4110486,
    "springdale_ar": 4132093,
    # --- Canada
    "on": A1("CA", "Ontario"), "bc": A1("CA", "British Columbia"), "ns": A1("CA", "Nova Scotia"),
    "alberta": A1("CA", "Alberta"),
    "london_on": 6058560, "st_thomas_on": 6158357, "edmonton_ab": 5946768, "st_albert_ab": 6155033,
    "sherwood_park_ab": 6146279, "windsor_on": 6182962, "tecumseh_on": 6162416, "lasalle_on": 6050177,
    "kingston_on": 5992500, "napanee_on": 6085931, "gananoque_on": 5959326, "hamilton_on": 5969782,
    "stoney_creek_on": 6157390, "burlington_on": 5911592, "victoria_bc": 6174041, "saanich_bc": 6136944,
    "esquimalt_bc": 5949512, "lanark_on": A2("CA", "Ontario", "Lanark County"), "perth_on": 6101546,
    "smiths_falls_on": 6150174, "carleton_place_on": 5917158, "cambridge_on": 5913695,
    "kitchener_on": 5992996, "waterloo_on": 6176823, "sydney_ns": 6354908, "glace_bay_ns": 5961564,
    "new_waterford_ns": 6087843, "richmond_bc": 6122085, "delta_bc": 5937615,
    "peterborough_on": 6101645, "lindsay_on": 6054350,
    # --- Australia
    "vic": A1("AU", "Victoria"), "nsw": A1("AU", "New South Wales"), "qld": A1("AU", "Queensland"),
    "tas": A1("AU", "Tasmania"), "wa": A1("AU", "Western Australia"),
    "richmond_vic": 2151649, "melbourne": 2158177, "windsor_nsw": 2143406, "ipswich_qld": 2162644,
    "toowoomba_qld": 2146268, "brisbane_qld": 2174003, "orange_nsw": 2154219, "bathurst_nsw": 2176632,
    "dubbo_nsw": 2168305, "liverpool_nsw": 2159851, "sydney_nsw": 2147714, "campbelltown_nsw": 2172586,
    "camden_nsw": 2172674, "brighton_vic": 2174039, "hamilton_vic": 2164025, "warrnambool_vic": 2144528,
    "kingston_tas": 2161311, "hobart_tas": 2163355, "newcastle_nsw": 2155472, "maitland_nsw": 2159045,
    "perth_wa": 2063523, "fremantle_wa": 2071223, "joondalup_wa": 6695255, "bendigo_vic": 2176187,
    "echuca_vic": 2167817, "castlemaine_vic": 2172106, "penrith_nsw": 2153471, "parramatta": 7281840,
    # --- United Kingdom
    "wales": A1("GB", "Wales"),
    "boston_uk": 2655138, "newport_iow": 2641599, "ryde_iow": 2638911, "cowes_iow": 2652204,
    "iow": A2("GB", "England", "Isle of Wight"), "catterick_uk": 2653499, "richmond_nyorks": 2639388,
    "north_yorkshire": A2("GB", "England", "North Yorkshire"), "darlington_uk": 2651513,
    "kingston_uk": 6690829, "hastings_uk": 2647356, "rye_uk": 2638909, "bexhill_uk": 2655777,
    "east_sussex": A2("GB", "England", "East Sussex"), "washington_uk": 2634715,
    "sunderland_uk": 2636531, "gateshead_uk": 2648773, "durham_uk": 2650628,
    "county_durham": A2("GB", "England", "County Durham"), "cls_uk": 2653224, "perth_scot": 2640358,
    "dundee_uk": 2650752, "inverness_uk": 2646088, "worcester_uk": 2633563, "malvern_uk": 2648063,
    "worcestershire": A2("GB", "England", "Worcestershire"), "stamford_uk": 2637104,
    "peterborough_uk": 2640354, "lincolnshire": A2("GB", "England", "Lincolnshire"),
    "bangor_wales": 2656397, "anglesey": A2("GB", "Wales", "Anglesey"), "caernarfon": 2654092,
    "lancaster_uk": 2644972, "morecambe": 2642214, "lancashire": A2("GB", "England", "Lancashire"),
    "birmingham_uk": 2655603, "solihull": 2637546, "coventry": 2652221, "london_uk": 2643743,
    "croydon_uk": 2651817,
    # --- elsewhere
    "paris_fr": 2988507, "lyon_fr": 2996944, "athens_gr": 264371, "piraeus": 255274,
    "dublin_ie": 2964574, "galway": 2964180, "beirut": 276781, "tripoli_lb": 266826,
    "tbilisi": 611717, "kutaisi": 613607,
}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The paragraphs. (id, country of the story, region of the publication or None, published, cue
# of the record's namesake mentions, text with markup)
# ---------------------------------------------------------------------------------------------

RECORDS: list[tuple[str, str, str | None, str | None, str, str]] = [
    # ======================================= United States =======================================
    ("ln001", "US", None, "2023-04-11", "nearby_places",
     "The [[Paris|paris_tx]] City Council voted 5-2 on Monday to repave six blocks of Church Street "
     "before school starts, using money left over from last year's drainage bond. Two aldermen from "
     "[[Reno|reno_tx]] asked that the work be timed with their own repairs on the road that joins the "
     "two towns. [[Lamar County|lamar_tx]] commissioners are expected to approve the shared contract "
     "next week, and a paving firm from [[Sulphur Springs|sulphur_springs_tx]] submitted the low bid."),
    ("ln002", "US", None, "2022-08-18", "ap_abbreviation",
     "A tractor-trailer hauling frozen chicken overturned before dawn Thursday on the bypass in "
     "[[Paris|paris_tn]], [[Tenn.|tn]], closing the northbound lanes for nearly six hours. "
     "[[Henry County|henry_tn|nearby_places]] deputies said the driver, a 52-year-old man from "
     "[[Murray|murray_ky]], [[Ky.|ky]], was treated for cuts and released. Southbound drivers were sent "
     "through [[Puryear|puryear_tn]] until a wrecker righted the trailer shortly after noon."),
    ("ln003", "US", None, "2021-05-04", "dateline",
     "[[PARIS|paris_ky]], [[Ky.|ky]] — The [[Bourbon County|bourbon_ky|nearby_places]] Fiscal Court on "
     "Tuesday approved $1.2 million to replace the courthouse annex roof, which has leaked into the "
     "clerk's office since a March windstorm. The judge-executive said crews should finish before the "
     "county fair opens in July. Contractors from [[Lexington|lexington_ky|nearby_places]] and "
     "[[Cynthiana|cynthiana_ky|nearby_places]] turned in the two lowest bids."),
    ("ln004", "US", "US-TN", "2023-06-02", "region",
     "The [[Paris|paris_tn]] Board of Public Utilities will flush fire hydrants on the east side of town "
     "Monday through Friday, starting at 8 a.m. each day. Residents may notice cloudy or rust-colored "
     "water for a few hours after crews pass through and should run a cold tap until it clears. "
     "Questions can be directed to the utility's customer service line."),
    ("ln005", "US", "US-KY", "2024-02-12", "region",
     "[[Paris|paris_ky]] police are asking residents to lock their vehicles after eleven cars were "
     "rummaged through overnight Saturday in neighborhoods near the high school. Nothing of great value "
     "was taken, but a handgun was reported missing from one truck. Anyone with doorbell camera video "
     "from that night is asked to call the department."),
    ("ln006", "US", None, "2022-03-10", "qualifier",
     "A 300-seat music hall is set to open this fall in a former cotton warehouse on the east side of "
     "[[Athens|athens_ga]], [[Georgia|georgia_us]], the developers told the planning commission "
     "Wednesday. Commissioners in neighboring [[Oconee County|oconee_ga|nearby_places]] have asked for a "
     "traffic study because many concertgoers are expected to drive in along the highway from "
     "[[Watkinsville|watkinsville_ga]]. The hall's first booking is a bluegrass festival in October."),
    ("ln007", "US", None, "2023-08-23", "qualifier",
     "Voters in [[Athens|athens_oh]], [[Ohio|ohio]], will decide in November whether to renew a "
     "five-year levy that pays for the city's swimming pool and three neighborhood parks. The measure "
     "would cost the owner of a $150,000 home about $4 a month. In nearby "
     "[[Nelsonville|nelsonville_oh|nearby_places]], a similar levy failed by 61 votes last spring, and "
     "the pool there stayed closed all summer. [[Athens County|athens_county_oh]] election officials "
     "will certify the ballot language next week."),
    ("ln008", "US", None, "2022-02-04", "nearby_places",
     "[[McMinn County|mcminn_tn]] schools will start two hours late on Friday after an ice storm left "
     "downed limbs across roads between [[Athens|athens_tn]] and [[Etowah|etowah_tn]]. Crews were still "
     "clearing a stretch near [[Sweetwater|sweetwater_tn]] on Thursday evening, the county road "
     "superintendent said. Bus drivers have been told to avoid gravel roads until midday."),
    ("ln009", "US", None, "2023-10-17", "nearby_places",
     "A $40 million cold-storage warehouse will go up on the west side of [[Athens|athens_al]], bringing "
     "about 150 jobs, [[Limestone County|limestone_al]] officials announced Tuesday. The company picked "
     "the site for its quick access to the interstate and to the rail line running south to "
     "[[Decatur|decatur_al]]. Construction should begin in the spring, and hiring will be handled "
     "through a career center in [[Huntsville|huntsville_al]]."),
    ("ln010", "US", None, "2024-04-09", "qualifier",
     "[[Dublin|dublin_oh]] ([[Ohio|ohio]]) City Council has approved a pilot program that will let "
     "residents borrow electric-assist bikes from four stations along the river for up to three hours at "
     "a time. The program is modeled on one in [[Columbus|columbus_oh|nearby_places]], and riders will "
     "be able to use the same app. [[Franklin County|franklin_oh|nearby_places]] transit planners will "
     "study the first year of trip data before deciding whether to expand it."),
    ("ln011", "US", None, "2021-11-14", "ap_abbreviation",
     "A fire early Sunday destroyed a vacant textile mill on the south side of [[Dublin|dublin_ga]], "
     "[[Ga.|ga]], sending smoke over the downtown area for most of the morning. No one was hurt, and the "
     "cause is under investigation by the state fire marshal. [[Laurens County|laurens_ga|nearby_places]] "
     "firefighters and crews from three volunteer departments helped [[Dublin|dublin_ga|nearby_places]] "
     "units keep the flames from reaching a lumber yard next door."),
    ("ln012", "US", None, None, "nearby_places",
     "Commuters between [[Dublin|dublin_ca]] and [[Pleasanton|pleasanton_ca]] should expect overnight "
     "lane closures on the interstate for the next three weeks while crews replace overhead signs. The "
     "work will run from 10 p.m. to 5 a.m., Sunday through Thursday. [[Alameda County|alameda_ca]] "
     "transportation staff said drivers headed north toward [[San Ramon|san_ramon_ca]] can use local "
     "roads as a detour."),
    ("ln013", "US", None, "2022-09-28", "dateline",
     "[[RICHMOND|richmond_in]], [[Ind.|in]] — The [[Wayne County|wayne_in|nearby_places]] Council voted "
     "Tuesday to buy two new ambulances after response times in the county's outlying townships climbed "
     "above 14 minutes last year. One of the ambulances will be stationed in "
     "[[Hagerstown|hagerstown_in|nearby_places]] to cover the northwest corner of the county. Delivery "
     "is expected in about ten months because of a backlog at the manufacturer."),
    ("ln014", "US", None, "2023-05-21", "nearby_places",
     "A new walking trail linking downtown [[Richmond|richmond_ky]] to the university campus opened "
     "Saturday with a ribbon-cutting and a 5K fun run. [[Madison County|madison_ky]] officials said the "
     "trail cost $2.3 million, most of it from a federal grant. A second phase would carry the path "
     "south to [[Berea|berea_ky]], about 15 miles away."),
    ("ln015", "US", None, "2024-08-07", "ap_abbreviation",
     "Schools in [[Richmond|richmond_ca]], [[Calif.|ca]], kept students indoors during recess on "
     "Wednesday after a flare at a nearby refinery sent a plume of dark smoke over the shoreline. Air "
     "monitors in [[San Pablo|san_pablo_ca|nearby_places]] and [[El Cerrito|el_cerrito_ca|nearby_places]] "
     "showed only brief spikes, [[Contra Costa County|contra_costa_ca]] health officials said. A "
     "shelter-in-place advisory was lifted shortly before 3 p.m."),
    ("ln016", "US", None, "2023-03-15", "dateline",
     "[[GAINESVILLE|gainesville_ga]], [[Ga.|ga]] — The [[Hall County|hall_ga|nearby_places]] school board "
     "has approved a new middle school near [[Flowery Branch|flowery_branch_ga]], where enrollment has "
     "grown by nearly a third in five years. The $48 million building will open in August 2026 if "
     "construction stays on schedule. Board members also voted to redraw attendance lines for two "
     "schools in [[Oakwood|oakwood_ga|nearby_places]]."),
    ("ln017", "US", "US-TX", "2022-10-06", "region",
     "[[Gainesville|gainesville_tx]] will hold its annual fall festival downtown on Saturday, with a car "
     "show, a chili cook-off and free train rides for children. Organizers expect about 8,000 visitors "
     "if the weather holds. Several downtown streets will be closed to traffic from 6 a.m. until 7 p.m."),
    ("ln018", "US", None, "2021-07-13", "nearby_places",
     "[[Alachua County|alachua_fl]] commissioners voted Tuesday to extend a ban on new billboards along "
     "the main roads into [[Gainesville|gainesville_fl]] for another two years. The ban was first passed "
     "in 2019 after residents complained about bright digital signs near their homes. Sign companies "
     "said they would ask the county to revisit the rule next year."),
    ("ln019", "US", None, "2024-01-19", "ap_abbreviation",
     "The pedestrian bridge across the river between [[Columbus|columbus_ga]], [[Ga.|ga]], and "
     "[[Phenix City|phenix_city_al]], [[Ala.|al]], will close for two weeks starting Monday while crews "
     "replace cracked deck boards. [[Muscogee County|muscogee_ga]] officials said the bridge is used by "
     "about 1,500 walkers and cyclists on a typical weekend. Detour signs will direct people to the road "
     "bridge downstream."),
    ("ln020", "US", None, "2023-09-07", "nearby_places",
     "A planned tire plant in [[Lowndes County|lowndes_ms]] will hire 400 workers when it opens in 2025, "
     "economic development officials said Thursday. The plant will sit in an industrial park east of "
     "[[Columbus|columbus_ms]], within commuting distance of [[Starkville|starkville_ms]] and "
     "[[West Point|west_point_ms]]. A job fair is set for next month at the community college."),
    ("ln021", "US", None, "2022-06-27", "ap_abbreviation",
     "[[Columbus|columbus_in]], [[Ind.|in]], will spend $3.5 million to restore the fountain and plaza "
     "outside its public library, the city's redevelopment commission decided Monday. Work will start "
     "after the summer concert series ends. [[Bartholomew County|bartholomew_in]] residents and "
     "visitors from [[Seymour|seymour_in|nearby_places]] and other nearby towns can comment on the "
     "design at a hearing next month."),
    ("ln022", "US", None, "2023-02-24", "ap_abbreviation",
     "Road crews in [[Springfield|springfield_il]], [[Ill.|il]], began patching potholes on Friday after "
     "a week of freezing rain left hundreds of new holes on city streets. "
     "[[Sangamon County|sangamon_il]] highway workers were doing the same on rural roads south toward "
     "[[Chatham|chatham_il|nearby_places]]. Residents can report potholes through the city's website."),
    ("ln023", "US", None, "2024-05-30", "nearby_places",
     "The regional bus authority will add late-night routes connecting [[Springfield|springfield_ma]] "
     "with [[Holyoke|holyoke_ma]] and [[Chicopee|chicopee_ma]] starting in September. The change follows "
     "a survey in which hospital and warehouse workers said the last buses left too early for their "
     "shifts. [[Hampden County|hampden_ma]] officials said the routes will run until 1 a.m. on "
     "weeknights."),
    ("ln024", "US", "US-OH", "2023-06-14", "region",
     "[[Springfield|springfield_oh]] city commissioners on Tuesday approved a 3 percent increase in water "
     "and sewer rates, the first in four years. The extra money will go toward replacing lead service "
     "lines in older neighborhoods. The new rates take effect on the first bill after July 1."),
    ("ln025", "US", None, "2022-03-03", "nearby_places",
     "[[Greene County|greene_mo]] deputies are investigating a string of catalytic converter thefts from "
     "church vans in [[Springfield|springfield_mo]] and nearby towns. Seven churches have reported "
     "thefts since late January. The sheriff's office urged congregations to park vans in lighted areas "
     "or install cages over the converters."),
    ("ln026", "US", None, "2022-07-31", "qualifier",
     "Firefighters in [[Huntsville|huntsville_tx]], [[Texas|texas]], spent Sunday afternoon battling a "
     "grass fire that burned about 300 acres south of town and forced the closure of a state park "
     "campground. No homes were lost. [[Walker County|walker_tx|nearby_places]] officials lifted a burn "
     "ban last week but said they may reinstate it, and crews from [[Conroe|conroe_tx]] helped with the "
     "mop-up."),
    ("ln027", "US", None, "2023-04-26", "ap_abbreviation",
     "Farmers market vendors in [[Lancaster|lancaster_pa]], [[Pa.|pa]], will get new covered stalls "
     "this summer under a $900,000 renovation of the downtown market shed. "
     "[[Lancaster County|lancaster_county_pa|nearby_places]] commissioners contributed a third of the "
     "cost. Several vendors from [[Columbia|columbia_pa|nearby_places]] said they hope the upgrade "
     "brings back Saturday shoppers lost during the pandemic."),
    ("ln028", "US", "US-OH", "2024-02-06", "region",
     "The [[Lancaster|lancaster_oh]] school board voted Monday to put a bond issue on the November "
     "ballot to replace its two oldest elementary buildings. Board members said repairs to the boilers "
     "and roofs would cost nearly as much as new construction. A series of community meetings on the "
     "plan begins next week."),
    ("ln029", "US", None, "2021-10-21", "ap_abbreviation",
     "A warehouse fire in [[Lebanon|lebanon_pa]], [[Pa.|pa]], drew crews from across "
     "[[Lebanon County|lebanon_county_pa]] on Wednesday night, including companies from "
     "[[Annville|annville_pa|nearby_places]] and [[Palmyra|palmyra_pa|nearby_places]]. The blaze started "
     "in a loading dock and was under control within two hours. Fire officials said a sprinkler system "
     "kept it from spreading into the main storage area."),
    ("ln030", "US", None, "2023-11-08", "nearby_places",
     "[[Wilson County|wilson_tn]] commissioners have approved a new fire station on the east side of "
     "[[Lebanon|lebanon_tn]], where several subdivisions have been built in the last five years. The "
     "county also plans to add two firefighters at its station near [[Mount Juliet|mount_juliet_tn]]. "
     "Construction bids are due in March."),
    ("ln031", "US", None, "2022-04-19", "ap_abbreviation",
     "[[Lebanon|lebanon_nh]], [[N.H.|nh]], will close a stretch of its riverfront rail trail for three "
     "weeks in May while crews replace a wooden trestle. Trail users heading to "
     "[[Hanover|hanover_nh|nearby_places]] can follow marked detours on side streets. "
     "[[Grafton County|grafton_nh]] officials said the new trestle should last fifty years."),
    ("ln032", "US", None, "2024-03-12", "nearby_places",
     "A freight train struck a pickup at a rural crossing outside [[Lebanon|lebanon_oh]] on Tuesday "
     "morning, injuring the driver. [[Warren County|warren_oh]] deputies said the crossing's warning "
     "lights were working. The driver, a 34-year-old [[Mason|mason_oh]] man, was taken to a hospital "
     "with injuries that were not considered life-threatening."),
    ("ln033", "US", None, "2023-07-28", "nearby_places",
     "[[Anderson County|anderson_tx]] will hold a ribbon-cutting on Friday for its renovated courthouse "
     "annex in downtown [[Palestine|palestine_tx]]. The building, damaged by a burst pipe during a freeze "
     "two winters ago, now houses the tax office and the county clerk. The renovation was designed by an "
     "architecture firm in [[Tyler|tyler_tx]]."),
    ("ln034", "US", None, "2022-09-15", "ap_abbreviation",
     "A soybean processing plant in [[Decatur|decatur_il]], [[Ill.|il]], will add a third shift and "
     "about 90 jobs this fall, the company told [[Macon County|macon_il|nearby_places]] officials this "
     "week. The expansion follows a new contract to supply oil for renewable diesel. Applications are "
     "being taken at the plant and at a workforce center in [[Champaign|champaign_il]]."),
    ("ln035", "US", None, "2024-06-03", "nearby_places",
     "[[Decatur|decatur_ga]] will paint new bike lanes on two downtown streets next month, connecting "
     "the square to a trail that runs west toward [[Atlanta|atlanta_ga]]. [[DeKalb County|dekalb_ga]] "
     "is paying for part of the work. Residents of [[Avondale Estates|avondale_ga]] have asked that the "
     "lanes eventually be extended east to their town."),
    ("ln036", "US", None, "2023-03-06", "ap_abbreviation",
     "Ice jams on the river forced the closure of a county road north of [[Norfolk|norfolk_ne]], "
     "[[Neb.|ne]], on Monday. [[Madison County|madison_ne|nearby_places]] emergency managers said water "
     "had reached the road surface in two places but no homes were threatened. Residents near "
     "[[Battle Creek|battle_creek_ne|nearby_places]] were asked to watch for rising water overnight."),
    ("ln037", "US", None, "2022-11-02", "qualifier",
     "A new downtown parking garage in [[Newark|newark_oh]], [[Ohio|ohio]], will open Monday with free "
     "parking for its first month. [[Licking County|licking_oh]] commissioners said the 400-space garage "
     "should ease the crunch around the courthouse square. Shuttles to the college campus in "
     "[[Granville|granville_oh|nearby_places]] and to shopping in [[Heath|heath_oh|nearby_places]] will "
     "stop at the garage on weekdays."),
    ("ln038", "US", None, "2023-10-02", "ap_abbreviation",
     "Police in [[Newark|newark_de]], [[Del.|de]], arrested two men on Saturday in connection with a "
     "string of bicycle thefts near the university. The suspects, from "
     "[[Wilmington|wilmington_de|nearby_places]] and [[Elkton|elkton_md]], [[Md.|md]], were charged with "
     "receiving stolen property. [[New Castle County|new_castle_de]] police helped recover 23 bikes from "
     "a storage unit."),
    ("ln039", "US", None, "2023-01-31", "dateline",
     "[[ROCHESTER|rochester_mn]], [[Minn.|mn]] — A snowstorm that dropped 14 inches on "
     "[[Olmsted County|olmsted_mn]] closed schools for a second straight day on Tuesday. Plows were still "
     "working on rural roads between [[Stewartville|stewartville_mn|nearby_places]] and "
     "[[Byron|byron_mn|nearby_places]], the county highway department said. City buses returned to "
     "regular routes by midafternoon."),
    ("ln040", "US", None, "2022-12-15", "ap_abbreviation",
     "A water main break in [[Birmingham|birmingham_al]], [[Ala.|al]], left thousands of customers with "
     "low pressure on Thursday, and the utility issued a boil-water notice for parts of "
     "[[Hoover|hoover_al]] and [[Bessemer|bessemer_al|nearby_places]]. Crews expected to finish repairs "
     "overnight. [[Jefferson County|jefferson_al|nearby_places]] schools in the affected area will serve "
     "bottled water at lunch."),
    ("ln041", "US", None, "2024-07-22", "qualifier",
     "[[Boone County|boone_mo]], [[Missouri|missouri]], will open a second early-voting site this fall at "
     "the fairgrounds north of [[Columbia|columbia_mo|nearby_places]]. The county clerk said lines at the "
     "government center stretched for hours during the last presidential election. The new site will be "
     "open weekdays for the two weeks before Election Day."),
    ("ln042", "US", "US-KY", "2023-05-09", "region",
     "[[Boone County|boone_ky]] will widen a two-mile stretch of road between [[Florence|florence_ky]] "
     "and [[Burlington|burlington_ky]] starting next month, adding turn lanes at four busy intersections. "
     "The project is expected to last through the fall. Drivers heading to the airport should leave "
     "extra time during the morning rush."),
    ("ln043", "US", None, "2022-05-17", "nearby_places",
     "[[Lamar County|lamar_ga]] commissioners approved a plan Tuesday to pave eleven miles of dirt roads "
     "over the next three years, starting with routes near [[Barnesville|barnesville_ga]]. Residents "
     "along the roads have complained for years about dust in summer and washouts after heavy rain. The "
     "work will be paid for with a one-cent sales tax approved by voters last fall."),
    ("ln044", "US", None, None, "nearby_places",
     "Storms on Sunday night knocked down trees and power lines across [[Lamar County|lamar_al]], and "
     "about 2,000 homes between [[Vernon|vernon_al]] and [[Sulligent|sulligent_al]] were still without "
     "electricity Monday afternoon. The county emergency management director said no injuries were "
     "reported. A cooling station will open at the [[Vernon|vernon_al]] community center if outages last "
     "into Tuesday."),
    ("ln045", "US", None, "2023-02-14", "nearby_places",
     "The [[Lamar County|lamar_ms]] school district will add a wing of classrooms to its high school in "
     "[[Purvis|purvis_ms]], where enrollment has climbed as families move out from "
     "[[Hattiesburg|hattiesburg_ms]]. The board approved the $11 million project on Monday. Construction "
     "should be finished in time for the 2025-26 school year."),
    ("ln046", "US", None, "2022-08-30", "nearby_places",
     "[[Monroe County|monroe_in]] health officials are urging residents to test private wells after high "
     "nitrate levels turned up in samples from farms south of [[Bloomington|bloomington_in]]. Free test "
     "kits are available at the county health department through the end of the month. Officials said "
     "homes on city water are not affected."),
    ("ln047", "US", None, "2023-06-20", "nearby_places",
     "[[Washington County|washington_ar]] will open a new animal shelter on the road between "
     "[[Fayetteville|fayetteville_ar]] and [[Springdale|springdale_ar]] this summer. The old shelter, "
     "built in the 1970s, often ran out of kennel space during the holidays. Volunteers are needed for "
     "adoption events planned for the opening weekend."),
    ("ln048", "US", None, "2024-06-12", "ap_abbreviation",
     "Students in [[Hagerstown|hagerstown_md]], [[Md.|md]], will get free breakfast and lunch next school "
     "year under a federal program the [[Washington County|washington_md|nearby_places]] school board "
     "joined on Tuesday. About 60 percent of the district's students already qualified for free or "
     "reduced-price meals. Parents will not need to fill out applications."),
    ("ln049", "US", "US-TX", "2023-07-11", "region",
     "[[Athens|athens_tx]] will close its public pool two weeks early this summer so crews can reline the "
     "main basin before it leaks further. The city manager said the repair could not wait until fall. "
     "Swimmers will be allowed to use the high school natatorium on weekday afternoons while the work "
     "is done."),
    ("ln050", "US", "US-MS", "2022-10-25", "region",
     "[[Columbus|columbus_ms]] city council members agreed Tuesday to hire four more police officers, "
     "paid for by a jump in sales tax revenue. The chief said the department has been short-handed since "
     "the spring. The new officers will focus on traffic enforcement along the busiest commercial "
     "corridors."),
    ("ln051", "US", "US-GA", "2024-03-14", "region",
     "[[Dublin|dublin_ga]] will host its annual St. Patrick's festival downtown this weekend, with a "
     "parade on Saturday morning and a road race on Sunday. Organizers say more than 10,000 visitors "
     "came last year. Parking will be available at the civic center, with shuttles running every "
     "15 minutes."),
    ("ln052", "US", "US-KY", "2023-08-01", "region",
     "[[Richmond|richmond_ky]] commissioners voted Tuesday to build a splash pad at the city park on the "
     "north side of town, where families have asked for years for a place to cool off. The project will "
     "cost about $600,000 and should open by Memorial Day. A public meeting on the design is scheduled "
     "for next Thursday."),
    ("ln053", "US", "US-TX", "2024-03-01", "famous_is_right",
     "Forty members of the high school choir leave Monday for a nine-day trip to [[France|france]], where "
     "they will sing in a cathedral in [[Paris|paris_fr]] and at a music festival in [[Lyon|lyon_fr]]. "
     "The students raised more than $90,000 over two years through bake sales, car washes and a spring "
     "concert. Parents plan to post daily updates on the school's social media pages."),
    ("ln054", "US", None, "2023-12-07", "famous_is_right",
     "The [[Henrico County|henrico_va]] school board voted Thursday to start high school classes "
     "30 minutes later next fall, following a similar change in [[Richmond|richmond_va]] city schools. "
     "Board members said the shift will let teenagers get more sleep. Bus routes will be redrawn over "
     "the summer."),
    ("ln055", "US", None, "2024-04-16", "nearby_places",
     "Peach growers in middle [[Georgia|georgia_us]] expect a near-normal crop this year after a late "
     "freeze in March spared most orchards, the state agriculture department said. Packing houses around "
     "[[Fort Valley|fort_valley_ga]] will begin shipping in mid-May. Growers south of "
     "[[Macon|macon_ga]] lost some early varieties but said later ones looked healthy."),
    ("ln056", "US", "US-TN", "2022-01-25", "region",
     "[[Lebanon|lebanon_tn]] aldermen voted Tuesday to hire a consultant to study traffic on the "
     "city's busiest commercial strip, where crashes have doubled in five years. The study will cost "
     "about $80,000 and should be finished by summer. Residents can share complaints at a public "
     "meeting next month."),
    ("ln057", "US", "US-NE", "2023-09-19", "region",
     "[[Norfolk|norfolk_ne]] will resurface the running track at its main city park this fall, closing "
     "it for about six weeks. The parks director said the old track had cracked badly after several hard "
     "winters. Walkers can use the trail along the river in the meantime."),
    # ========================================== Canada ===========================================
    ("ln058", "CA", None, "2023-05-11", "ap_abbreviation",
     "A three-alarm fire gutted a vacant factory in east [[London|london_on]], [[Ont.|on]], on Wednesday "
     "night, and firefighters spent hours dousing hot spots in the collapsed roof. Crews from "
     "[[St. Thomas|st_thomas_on]] were put on standby but were not needed. Fire officials said the "
     "building had been empty since 2016 and was slated for demolition."),
    ("ln059", "CA", "CA-ON", "2024-01-16", "region",
     "[[London|london_on]] city council will vote next week on a plan to turn two downtown parking lots "
     "into affordable housing, with about 180 units between them. Supporters say the lots sit mostly "
     "empty on weekdays. Some business owners want the city to guarantee replacement parking before any "
     "building starts."),
    ("ln060", "CA", None, "2022-07-13", "nearby_places",
     "A hailstorm that swept across central [[Alberta|alberta]] on Tuesday evening dented cars and broke "
     "windows in [[Edmonton|edmonton_ab]], [[St. Albert|st_albert_ab]] and "
     "[[Sherwood Park|sherwood_park_ab]]. Insurers said claims could run into the tens of millions of "
     "dollars. Forecasters said hailstones the size of golf balls were reported north of the city."),
    ("ln061", "CA", None, "2023-04-04", "nearby_places",
     "[[Windsor|windsor_on]] transit will add weekend service to [[Tecumseh|tecumseh_on]] and "
     "[[LaSalle|lasalle_on]] starting in June after a one-year pilot drew more riders than expected. The "
     "routes will run every 40 minutes on Saturdays and every hour on Sundays. Fares will be the same as "
     "on city routes."),
    ("ln062", "CA", "CA-ON", "2022-12-01", "region",
     "[[Kingston|kingston_on]] will open three new outdoor skating rinks this winter, including one on "
     "the waterfront near city hall. Volunteers are needed to flood the rinks on cold nights. The city "
     "said rinks will open once there have been several days of temperatures below minus 10."),
    ("ln063", "CA", None, None, "nearby_places",
     "A wind farm proposed for farmland between [[Kingston|kingston_on]] and [[Napanee|napanee_on]] drew "
     "a crowd of about 200 to a public meeting on Thursday. Residents from as far east as "
     "[[Gananoque|gananoque_on]] came to speak, some in favour and many against. The developer said a "
     "revised plan would be ready by spring."),
    ("ln064", "CA", None, "2023-06-09", "nearby_places",
     "[[Hamilton|hamilton_on]] police are asking drivers to avoid the escarpment access roads on Friday "
     "morning while crews clear a rockslide that fell overnight. No vehicles were hit. Commuters from "
     "[[Stoney Creek|stoney_creek_on]] and [[Burlington|burlington_on]] should expect delays of up to "
     "30 minutes."),
    ("ln065", "CA", None, "2022-03-29", "ap_abbreviation",
     "[[Victoria|victoria_bc]], [[B.C.|bc]], has approved a two-year pilot that lets food trucks park in "
     "three downtown waterfront spots from May through September. Councillors in neighbouring "
     "[[Saanich|saanich_bc]] and [[Esquimalt|esquimalt_bc]] said they would watch the results before "
     "trying something similar. Vendors will pay a monthly fee to the city."),
    ("ln066", "CA", "CA-BC", "2024-05-14", "region",
     "[[Victoria|victoria_bc]] council has voted to extend its downtown bike lane network by another four "
     "kilometres over the next two years. The city says cycling trips have doubled since the first "
     "protected lanes opened. Some merchants worry about losing loading zones."),
    ("ln067", "CA", None, "2023-10-26", "nearby_places",
     "[[Lanark County|lanark_on]] councillors have approved a new paramedic base in [[Perth|perth_on]], "
     "replacing a cramped station that has served the town since the 1980s. The base will also back up "
     "crews in [[Smiths Falls|smiths_falls_on]] and [[Carleton Place|carleton_place_on]] during busy "
     "periods. Construction is expected to start in the spring."),
    ("ln068", "CA", None, "2022-02-08", "nearby_places",
     "A water main break flooded a stretch of the main street in [[Cambridge|cambridge_on]] on Monday, "
     "closing several shops for the day. Crews from the regional works yards in "
     "[[Kitchener|kitchener_on]] and [[Waterloo|waterloo_on]] had the leak fixed by evening. Shop owners "
     "said it was the third break on the same block in two years."),
    ("ln069", "CA", None, "2023-09-12", "dateline",
     "[[SYDNEY|sydney_ns]], [[N.S.|ns]] — Cruise ship visits to the port are expected to hit a record "
     "this fall, with 120 ships booked between September and November. Tour operators in "
     "[[Glace Bay|glace_bay_ns]] and [[New Waterford|new_waterford_ns|nearby_places]] are hiring extra guides. Port "
     "officials said a second berth finished last year made the increase possible."),
    ("ln070", "CA", "CA-NS", "2024-07-03", "region",
     "[[Sydney|sydney_ns]] residents are being asked to conserve water after a pump failure at the main "
     "treatment plant, the municipality said Wednesday. Repairs should take about three days. Until "
     "then, residents should avoid watering lawns and washing cars."),
    ("ln071", "CA", None, "2022-11-22", "nearby_places",
     "[[Richmond|richmond_bc]] will build a higher dike along its western shore to protect farmland and "
     "homes from rising sea levels, the city said Tuesday. The project will be paid for partly by the "
     "province of [[British Columbia|bc]] and partly by a federal fund. Neighbouring "
     "[[Delta|delta_bc]] is planning similar work, and the two cities will share engineering studies."),
    ("ln072", "CA", None, "2023-01-09", "nearby_places",
     "A snow squall warning closed highways around [[Peterborough|peterborough_on]] on Sunday afternoon, "
     "leaving dozens of drivers stranded near [[Lindsay|lindsay_on]]. Provincial police said visibility "
     "dropped to near zero within minutes. [[Ontario|on]] transportation officials reopened the roads by "
     "evening."),
    # ========================================= Australia =========================================
    ("ln073", "AU", None, "2024-02-05", "nearby_places",
     "Residents in [[Richmond|richmond_vic]] have been told to expect tram delays for six weeks while "
     "tracks along one of the suburb's main shopping streets are replaced. Replacement buses will run "
     "into central [[Melbourne|melbourne]] every ten minutes. Traders said they hoped the work would be "
     "done before the football season brings crowds back to the inner city."),
    ("ln074", "AU", "AU-NSW", "2022-07-05", "region",
     "Floodwaters have cut the bridge at [[Windsor|windsor_nsw]] for the third time this year, and "
     "residents on the northern side of the river face a detour of more than an hour. The State "
     "Emergency Service said the river is expected to peak overnight. Evacuation centres have opened at "
     "two local schools."),
    ("ln075", "AU", None, "2023-08-15", "nearby_places",
     "[[Ipswich|ipswich_qld]] council will spend $12 million upgrading its main library, which has been "
     "too small since the city's population boom began. The library will be linked by a covered walkway "
     "to the station on the train line into [[Brisbane|brisbane_qld]]. Councillors in "
     "[[Toowoomba|toowoomba_qld]], an hour's drive west in [[Queensland|qld]]'s farming country, toured "
     "the plans last month."),
    ("ln076", "AU", None, "2022-09-20", "nearby_places",
     "Frost has damaged early cherry blossoms in orchards around [[Orange|orange_nsw]], and growers fear "
     "a smaller crop this summer. Farmers near [[Bathurst|bathurst_nsw]] and [[Dubbo|dubbo_nsw]] "
     "reported lighter damage. Growers said they would ask the [[New South Wales|nsw]] government for "
     "help if losses top 30 per cent."),
    ("ln077", "AU", None, "2023-11-28", "nearby_places",
     "A new hospital wing in [[Liverpool|liverpool_nsw]] will open in March, easing pressure on emergency "
     "departments across south-western [[Sydney|sydney_nsw|famous_is_right]]. Patients from "
     "[[Campbelltown|campbelltown_nsw]] and [[Camden|camden_nsw]] who now travel long distances for "
     "cancer care will be able to get treatment closer to home. The $790 million project is one of the "
     "largest hospital builds in the state."),
    ("ln078", "AU", "AU-VIC", "2024-06-18", "region",
     "[[Brighton|brighton_vic]]'s beach boxes will be repainted over winter after the council approved a "
     "new colour guide for owners. Owners will have until the end of August to finish the work. The "
     "council said it wanted to keep the boxes' heritage look while allowing some new designs."),
    ("ln079", "AU", None, "2024-09-03", "nearby_places",
     "Wool growers around [[Hamilton|hamilton_vic]] in western [[Victoria|vic]] are bracing for a dry "
     "spring after the lowest winter rainfall in two decades. Stock agents in "
     "[[Warrnambool|warrnambool_vic]] said more farmers were selling sheep early. The state government "
     "has opened applications for drought support grants."),
    ("ln080", "AU", None, "2023-02-27", "nearby_places",
     "A new senior secondary college will open in [[Kingston|kingston_tas]] next year, so students will "
     "no longer have to travel into [[Hobart|hobart_tas]] for years 11 and 12. The [[Tasmania|tas]] "
     "education department said enrolments in the fast-growing town have doubled in a decade. Buses from "
     "surrounding communities will be rerouted to the new campus."),
    ("ln081", "AU", None, None, "nearby_places",
     "Coal trains into the port of [[Newcastle|newcastle_nsw]] were halted for most of Tuesday after a "
     "derailment near [[Maitland|maitland_nsw]]. No one was hurt, but crews needed cranes to lift three "
     "wagons back onto the track. Passenger services on the line were replaced by buses until late "
     "evening."),
    ("ln082", "AU", None, "2024-01-22", "nearby_places",
     "A heatwave is expected to push temperatures in [[Perth|perth_wa]] above 40 degrees for four "
     "straight days, the weather bureau said Monday. Beaches at [[Fremantle|fremantle_wa]] and "
     "[[Joondalup|joondalup_wa]] will have extra lifeguards on patrol. Residents of "
     "[[Western Australia|wa]]'s south-west have been told to prepare for high bushfire danger."),
    ("ln083", "AU", None, "2023-06-23", "nearby_places",
     "Gold-rush era buildings in [[Bendigo|bendigo_vic]] will be lit up each night for a two-week winter "
     "festival beginning Friday. Organisers expect visitors from [[Echuca|echuca_vic]], "
     "[[Castlemaine|castlemaine_vic]] and across regional [[Victoria|vic]]. Food stalls will line the "
     "main street, which will be closed to traffic after 5 p.m."),
    ("ln084", "AU", None, "2024-03-05", "nearby_places",
     "[[Penrith|penrith_nsw]] council has asked the state to fund shade structures at sporting fields "
     "after several junior matches were called off during summer heat. Temperatures in western "
     "[[Sydney|sydney_nsw|famous_is_right]] regularly pass 40 degrees, several degrees hotter than the "
     "coast. Clubs in nearby [[Windsor|windsor_nsw]] have made the same request."),
    ("ln085", "AU", "AU-NSW", "2023-10-10", "region",
     "[[Liverpool|liverpool_nsw]] council will trial free weekend parking in the city centre for three "
     "months to lure shoppers back from the big malls. Councillors said foot traffic on Saturdays has "
     "fallen by a quarter since 2019. The trial starts on the first weekend of November."),
    ("ln086", "AU", "AU-VIC", "2022-11-15", "region",
     "[[Hamilton|hamilton_vic]]'s saleyards will close for two weeks in December for repairs to the "
     "roof and holding pens. Agents said the timing would cause little disruption because sales usually "
     "slow before Christmas. The shire will spend about $1 million on the work."),
    # ====================================== United Kingdom =======================================
    ("ln087", "GB", "GB-ENG", "2023-02-21", "region",
     "Market traders in [[Boston|boston_uk]] say footfall has fallen by a fifth since the main car park "
     "was closed for resurfacing in January. The borough council says the work will be finished by "
     "Easter. Traders want free parking for a month once it reopens."),
    ("ln088", "GB", None, "2024-05-07", "nearby_places",
     "A new park-and-ride at [[Newport|newport_iow]] opened on Monday, with buses every 15 minutes to "
     "[[Ryde|ryde_iow]] and [[Cowes|cowes_iow]] during the summer. The [[Isle of Wight|iow]] council "
     "hopes it will cut congestion in the town centre during the sailing regatta in August. Parking is "
     "free for the first month."),
    ("ln089", "GB", None, "2022-06-14", "nearby_places",
     "Soldiers from the garrison at [[Catterick|catterick_uk]] will help repair flood defences along the "
     "river at [[Richmond|richmond_nyorks]] next month. The [[North Yorkshire|north_yorkshire]] council "
     "said the work is urgent after last winter's floods damaged homes near the town's old bridge. "
     "Contractors from [[Darlington|darlington_uk]] will supply the stone."),
    ("ln090", "GB", "GB-ENG", "2023-05-30", "region",
     "[[Kingston|kingston_uk]]'s market place will be closed to stalls for two weekends in June while its "
     "paving is relaid. Traders will move to a temporary site by the river. The council said the old "
     "stones had become a trip hazard."),
    ("ln091", "GB", None, "2024-03-26", "nearby_places",
     "The pier at [[Hastings|hastings_uk]] will reopen at Easter after a winter of repairs to its "
     "decking. Bus operators will add extra services from [[Rye|rye_uk]] and [[Bexhill|bexhill_uk]] on "
     "bank holiday weekends. [[East Sussex|east_sussex]] council said visitor numbers last summer were "
     "the highest in a decade."),
    ("ln092", "GB", None, "2022-10-04", "nearby_places",
     "A car parts supplier in [[Washington|washington_uk]] will create 300 jobs after winning a contract "
     "to make battery components. The factory sits between [[Sunderland|sunderland_uk]] and "
     "[[Gateshead|gateshead_uk]], close to the main road north. Recruitment starts in the spring, the "
     "company said."),
    ("ln093", "GB", None, "2023-09-26", "nearby_places",
     "Students returning to [[Durham|durham_uk]] this autumn will find a new footbridge across the river, "
     "replacing one closed since 2021. [[County Durham|county_durham]] council said the bridge cost "
     "£4.5 million. Residents in [[Chester-le-Street|cls_uk]] have asked for a similar upgrade to their "
     "riverside path."),
    ("ln094", "GB", "GB-SCT", "2024-02-13", "region",
     "[[Perth|perth_scot]]'s city centre will get new planters and benches under a £2 million plan "
     "approved by councillors this week. Work starts in the spring and should be finished before the "
     "summer festival. Shop owners were consulted on the designs."),
    ("ln095", "GB", None, None, "nearby_places",
     "Rail passengers between [[Perth|perth_scot]] and [[Dundee|dundee_uk]] face a month of weekend "
     "replacement buses while signalling is upgraded. Services north to [[Inverness|inverness_uk]] are "
     "not affected. The rail operator apologised for the disruption."),
    ("ln096", "GB", None, "2023-07-18", "nearby_places",
     "Cricket fans in [[Worcester|worcester_uk]] face another summer of disruption after the river "
     "flooded the county ground for the third time in two years. Some matches may be moved to "
     "[[Malvern|malvern_uk]], about eight miles away. [[Worcestershire|worcestershire]] officials said a "
     "new flood barrier is still being designed."),
    ("ln097", "GB", None, "2022-08-09", "nearby_places",
     "A new relief road on the east side of [[Stamford|stamford_uk]] will open next month, taking lorries "
     "out of the town's narrow old streets. Drivers heading to [[Peterborough|peterborough_uk]] will save about ten "
     "minutes. [[Lincolnshire|lincolnshire]] highways officials said the road had been planned for "
     "30 years."),
    ("ln098", "GB", None, "2024-04-23", "nearby_places",
     "[[Bangor|bangor_wales]] will host a weekend food festival on its pier in June, with stalls from "
     "across [[Anglesey|anglesey]] and the mainland. Organisers are also running shuttle buses from "
     "[[Caernarfon|caernarfon]]. Last year's festival drew about 6,000 people, a record for north "
     "[[Wales|wales]]."),
    ("ln099", "GB", None, "2023-03-21", "nearby_places",
     "[[Lancaster|lancaster_uk]] city council wants to bring back a tram link to "
     "[[Morecambe|morecambe]] for the first time since the 1930s, councillors said Monday. A study will "
     "look at costs and routes along the bay. [[Lancashire|lancashire]] officials said any scheme would "
     "need national funding."),
    ("ln100", "GB", "GB-ENG", "2022-11-29", "region",
     "[[Durham|durham_uk]]'s Christmas market will move to a larger site this year after crowds spilled "
     "onto the narrow streets around the cathedral last December. Organisers said about 90 stalls have "
     "already been booked. Park-and-ride buses will run every ten minutes on market days."),
    ("ln101", "GB", "GB-ENG", "2024-01-30", "famous_is_right",
     "Bin collections in [[Birmingham|birmingham_uk]] will return to a weekly schedule in March after "
     "months of strikes, the city council said. Crews from [[Solihull|solihull]] and "
     "[[Coventry|coventry|nearby_places]] have helped clear backlogs in some areas. Residents can check their new "
     "collection days online."),
    ("ln102", "GB", None, "2023-11-14", "famous_is_right",
     "Commuters in south [[London|london_uk]] faced a morning of delays after a signal failure near "
     "[[Croydon|croydon_uk|nearby_places]]. Trains into the city were running up to 40 minutes late. The "
     "rail operator said services would return to normal by the evening peak."),
    # ========================== the famous namesake is the right one ============================
    ("ln103", "FR", None, "2023-06-06", "famous_is_right",
     "[[Paris|paris_fr]] will close six more streets near schools to car traffic at drop-off and pick-up "
     "times from September, the city said on Tuesday. Similar closures in [[Lyon|lyon_fr]] have cut "
     "traffic noise outside classrooms by half. Parent groups across [[France|france]] have asked other "
     "cities to follow."),
    ("ln104", "GR", None, "2022-12-08", "famous_is_right",
     "Ferries between [[Piraeus|piraeus]] and the islands were held in port on Thursday as gale-force "
     "winds swept the coast. Commuters in [[Athens|athens_gr]] also faced delays after a strike by bus "
     "drivers. [[Greece|greece]]'s weather service expects the winds to ease by Saturday."),
    ("ln105", "IE", None, None, "famous_is_right",
     "[[Dublin|dublin_ie]] City Council will trial car-free Sundays on a stretch of the quays this "
     "summer. A similar scheme in [[Galway|galway]] drew large crowds last year. Transport groups across "
     "[[Ireland|ireland]] will be watching the results closely."),
    ("ln106", "LB", None, "2021-08-12", "famous_is_right",
     "Power cuts in [[Beirut|beirut]] stretched to 20 hours a day this week as fuel deliveries to "
     "[[Lebanon|lebanon_lb]]'s power plants were delayed. Residents of "
     "[[Tripoli|tripoli_lb|nearby_places]], in the north, reported similar outages. Private generator "
     "owners raised their monthly fees again."),
    ("ln107", "GE", None, "2023-10-03", "nearby_places",
     "Wine makers in eastern [[Georgia|georgia_ge]] expect a strong harvest after a warm, dry September, "
     "the agriculture ministry in [[Tbilisi|tbilisi]] said. Growers near [[Kutaisi|kutaisi]] in the west "
     "reported lighter yields after hail in July. Exports to neighbouring countries have risen for three "
     "years running."),
    ("ln108", "AU", None, "2022-12-20", "famous_is_right",
     "[[Sydney|sydney_nsw]] ferries will run extra services over the New Year period, with boats leaving "
     "the harbour's main wharves every 10 minutes. Commuters from [[Parramatta|parramatta]] can use the "
     "river service until 2 a.m. The state government expects more than a million people on the "
     "foreshore for the fireworks."),
]


# ---------------------------------------------------------------------------------------------
# Building and checking
# ---------------------------------------------------------------------------------------------

MARK = re.compile(r"\[\[([^|\]]+)\|([^|\]]+)(?:\|([^|\]]+))?\]\]")
# A period after these does not end a sentence (AP/CP state abbreviations, titles, times).
_ABBR = {
    "Ala", "Ga", "Tenn", "Ky", "Ind", "Ill", "Mo", "Mass", "Pa", "Calif", "Miss", "Neb", "Del", "N.J",
    "Minn", "N.Y", "Va", "Fla", "N.H", "Md", "Vt", "Ont", "B.C", "N.S", "St", "Mr", "Mrs", "Dr", "a.m",
    "p.m",
}  # fmt: skip


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def sentences(text: str) -> int:
    count = 1
    for m in re.finditer(r"([\w.]+)[.!?][\"”’]?\s+(?=[A-Z£$\"“])", text):
        if m.group(1).rstrip(".") not in _ABBR:
            count += 1
    return count


def parse(marked: str) -> tuple[str, list[tuple[int, int, str, str, str | None]]]:
    """Plain text and (start, end, surface, alias, cue override) of each marked mention."""
    out, spans, pos = [], [], 0
    length = 0
    for m in MARK.finditer(marked):
        plain = marked[pos : m.start()]
        assert "[" not in plain and "]" not in plain, f"stray bracket near {plain[-40:]!r}"
        out.append(plain)
        length += len(plain)
        surface = m.group(1)
        spans.append((length, length + len(surface), surface, m.group(2), m.group(3)))
        out.append(surface)
        length += len(surface)
        pos = m.end()
    tail = marked[pos:]
    assert "[" not in tail and "]" not in tail, f"stray bracket near {tail[:40]!r}"
    out.append(tail)
    return "".join(out), spans


class Builder:
    def __init__(self) -> None:
        self.g, self.normalize = _gazetteer()
        self.gold_cache: dict[str, object] = {}

    def gold(self, alias: str):
        if alias in self.gold_cache:
            return self.gold_cache[alias]
        spec = PLACES[alias]
        if isinstance(spec, int):
            place = self.g.get(spec)
            assert place is not None and place.geonameid == spec, f"{alias}: no gazetteer row {spec}"
        elif spec[0] == "admin1":
            _, cc, name = spec
            place = self.g.admin1(cc, name)
            assert place is not None and place.name == name, f"{alias}: no admin1 {spec}"
        else:
            _, cc, a1, name = spec
            rows = [p for p in self.g.lookup(name) if p.level == "admin2" and p.country_code == cc
                    and p.admin1 == a1 and p.name == name]  # fmt: skip
            assert len(rows) == 1, f"{alias}: {len(rows)} admin2 rows for {spec}"
            place = rows[0]
        self.gold_cache[alias] = place
        return place

    def naive(self, surface: str):
        """What a naive resolver picks: the most populous place of that name.

        "Of that name" means the rows `lookup(surface)` returns whose own (primary) name normalises
        like the surface; only when there is none (the name is only an alternate: "Ga.", "Bexhill")
        all rows count. Alternates alone would send "Berea" to Aleppo and "Waterloo" to Austin.
        Ties go to the first row, i.e. the coarsest level.
        """
        rows = self.g.lookup(surface)
        key = self.normalize(surface)
        named = [p for p in rows if self.normalize(p.name) == key] or rows
        return max(named, key=lambda p: p.population) if named else None

    def region_place(self, region: str):
        cc, code = region.split("-", 1)
        place = self.g.admin1(cc, code)
        assert place is not None, f"unknown region {region}"
        return place

    def toponym(self, rec_cue: str, start: int, end: int, surface: str, alias: str, cue: str | None) -> dict:
        gold = self.gold(alias)
        rows = self.g.lookup(surface)
        # The surface must reach the gold place through the gazetteer, unless the gazetteer does not
        # know the name at all (Canadian Press abbreviations such as "Ont.", "N.S.").
        assert not rows or gold in rows, f"{surface!r} does not look up {alias} ({gold.name})"
        far = [p for p in rows if haversine_km(gold.lat, gold.lon, p.lat, p.lon) > KM]
        ambiguous = bool(far)
        naive = self.naive(surface)
        if cue is None:
            cue = rec_cue if ambiguous else "none"
        if not ambiguous and cue not in ("none", "famous_is_right"):
            cue = "none"
        assert cue in CUES, cue
        naive_km = None if naive is None else round(haversine_km(gold.lat, gold.lon, naive.lat, naive.lon), 1)
        return {
            "start": start, "end": end, "surface": surface,
            "geonameid": gold.geonameid, "name": gold.name, "country_code": gold.country_code,
            "admin1": gold.admin1 if gold.level in ("city", "admin2") else None,
            "lat": round(gold.lat, 5), "lon": round(gold.lon, 5), "level": gold.level,
            "ambiguous": ambiguous,
            "namesake_geonameid": naive.geonameid if naive else None,
            "namesake_name": naive.name if naive else None,
            "namesake_country_code": naive.country_code if naive else None,
            "namesake_level": naive.level if naive else None,
            "namesake_lat": round(naive.lat, 5) if naive else None,
            "namesake_lon": round(naive.lon, 5) if naive else None,
            "namesake_km": naive_km,
            "cue": cue,
        }  # fmt: skip

    def record(self, rid, country, region, published, cue, marked) -> dict:
        assert cue in CUES, (rid, cue)
        text, spans = parse(marked)
        toponyms = [self.toponym(cue, *span) for span in spans]
        for t in toponyms:
            assert text[t["start"] : t["end"]] == t["surface"], (rid, t)
        n = sentences(text)
        assert 2 <= n <= 5, f"{rid}: {n} sentences"
        if region:
            reg = self.region_place(region)
            cued = [t for t in toponyms if t["cue"] == "region"]
            # ln053 is the one trap: a Texas paper's story set in France, where the region misleads.
            assert cued or cue == "famous_is_right", f"{rid}: a region record needs a region-cued toponym"
            for t in cued:
                inside = [p for p in self.g.lookup(t["surface"]) if p.country_code == reg.country_code
                          and (p.admin1 == reg.name or p == reg)]  # fmt: skip
                best = max(inside, key=lambda p: p.population)
                assert (best.lat, best.lon) == (t["lat"], t["lon"]) or haversine_km(
                    best.lat, best.lon, t["lat"], t["lon"]) < 1, f"{rid}: {t['surface']} in {region} is {best}"
        return {"id": rid, "country": country, "region": region, "published": published, "text": text,
                "toponyms": toponyms}  # fmt: skip


def stats(records: list[dict]) -> dict:
    tops = [t for r in records for t in r["toponyms"]]
    amb = [t for t in tops if t["ambiguous"]]

    def right(t: dict) -> bool:
        return t["namesake_km"] is not None and t["namesake_km"] <= KM

    return {
        "records": len(records),
        "records_by_country": dict(Counter(r["country"] for r in records).most_common()),
        "records_with_region": sum(1 for r in records if r["region"]),
        "records_with_famous_is_right": sum(1 for r in records if any(t["cue"] == "famous_is_right"
                                                                      for t in r["toponyms"])),
        "toponyms": len(tops),
        "toponyms_by_level": dict(Counter(t["level"] for t in tops).most_common()),
        "ambiguous": len(amb),
        "ambiguous_by_cue": dict(Counter(t["cue"] for t in amb).most_common()),
        "ambiguous_by_level": dict(Counter(t["level"] for t in amb).most_common()),
        "naive_acc161_all": round(sum(map(right, tops)) / len(tops), 4),
        "naive_acc161_ambiguous": round(sum(map(right, amb)) / len(amb), 4),
        "naive_wrong_ambiguous": sum(1 for t in amb if not right(t)),
        "naive_wrong_ambiguous_city_admin2": sum(1 for t in amb if not right(t) and t["level"] in ("city", "admin2")),
        "ambiguous_city_admin2": sum(1 for t in amb if t["level"] in ("city", "admin2")),
        "naive_no_candidate": sum(1 for t in tops if t["namesake_km"] is None),
    }  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=HERE / "local_news.jsonl")
    ap.add_argument("--verbose", action="store_true", help="list every ambiguous toponym")
    args = ap.parse_args()

    b = Builder()
    ids = [r[0] for r in RECORDS]
    assert len(ids) == len(set(ids)), "duplicate ids"
    records = [b.record(*r) for r in RECORDS]
    used = {t for r in RECORDS for t in (m.group(2) for m in MARK.finditer(r[5]))}
    assert not (set(PLACES) - used), f"unused aliases: {sorted(set(PLACES) - used)}"

    s = stats(records)
    by = s["records_by_country"]
    assert s["records"] >= 60, s["records"]
    assert by.get("US", 0) >= 30 and by.get("CA", 0) >= 8 and by.get("AU", 0) >= 8 and by.get("GB", 0) >= 8, by
    assert s["records_with_famous_is_right"] >= 6
    assert 0.2 <= s["records_with_region"] / s["records"] <= 0.3, s["records_with_region"]
    for r in records:
        assert r["toponyms"], r["id"]
        spans = sorted((t["start"], t["end"]) for t in r["toponyms"])
        assert all(a[1] <= b_[0] for a, b_ in zip(spans, spans[1:])), f"{r['id']}: overlapping spans"

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")

    if args.verbose:
        for r in records:
            for t in r["toponyms"]:
                if t["ambiguous"]:
                    mark = "ok " if t["namesake_km"] is not None and t["namesake_km"] <= KM else "BAD"
                    print(f"{r['id']} {mark} {t['surface']:<18} gold={t['name']},{t['admin1'] or t['country_code']}"
                          f" naive={t['namesake_name']},{t['namesake_country_code']} {t['namesake_km']} km [{t['cue']}]")
    print(json.dumps(s, indent=1))
    print(f"wrote {len(records)} records to {args.out}")
    print(f"naive most-populous choice is > {KM:.0f} km from gold for {s['naive_wrong_ambiguous']} of "
          f"{s['ambiguous']} ambiguous toponyms ({s['naive_wrong_ambiguous_city_admin2']} of "
          f"{s['ambiguous_city_admin2']} towns and counties)")


if __name__ == "__main__":
    main()
