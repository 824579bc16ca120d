"""The synthetic catalogue: parties, actors, issues, who engages with what, and phrasings."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# (id, name, kind, aliases, weight): the weight is how often a party speaks, so that the
# principals dominate the record as they do in real reporting.
PARTIES = (
    ("ukraine", "Ukraine", "state", ("Kyiv", "Kiev"), 12),
    ("russia", "Russia", "state", ("Russian Federation", "Moscow", "Kremlin"), 12),
    ("usa", "United States", "state", ("USA", "U.S.", "Washington"), 6),
    ("nato", "NATO", "alliance", ("North Atlantic Treaty Organization",), 4),
    ("eu", "European Union", "union", ("EU", "Brussels"), 5),
    ("belarus", "Belarus", "state", ("Minsk",), 2),
    ("poland", "Poland", "state", ("Warsaw",), 3),
    ("germany", "Germany", "state", ("Berlin",), 3),
    ("france", "France", "state", ("Paris",), 3),
    ("united-kingdom", "United Kingdom", "state", ("UK", "Britain", "London"), 3),
    ("turkey", "Turkey", "state", ("Türkiye", "Ankara"), 3),
    ("china", "China", "state", ("Beijing",), 2),
    ("india", "India", "state", ("New Delhi",), 1),
    ("hungary", "Hungary", "state", ("Budapest",), 2),
    ("moldova", "Moldova", "state", ("Chisinau",), 1),
    ("georgia", "Georgia", "state", ("Tbilisi",), 1),
    ("lithuania", "Lithuania", "state", ("Vilnius",), 1),
    ("latvia", "Latvia", "state", ("Riga",), 1),
    ("estonia", "Estonia", "state", ("Tallinn",), 1),
    ("finland", "Finland", "state", ("Helsinki",), 1),
    ("sweden", "Sweden", "state", ("Stockholm",), 1),
    ("italy", "Italy", "state", ("Rome",), 2),
    ("canada", "Canada", "state", ("Ottawa",), 1),
    ("japan", "Japan", "state", ("Tokyo",), 1),
    ("israel", "Israel", "state", ("Jerusalem",), 1),
    ("brazil", "Brazil", "state", ("Brasilia",), 1),
    ("south-africa", "South Africa", "state", ("Pretoria",), 1),
    ("saudi-arabia", "Saudi Arabia", "state", ("Riyadh",), 1),
    ("african-union", "African Union", "union", ("AU",), 1),
    ("csto", "Collective Security Treaty Organization", "alliance", ("CSTO",), 1),
)

# (role id, role, share of statements)
ROLES = (
    ("leader", "Head of state or government of {party}", 4),
    ("foreign-minister", "Foreign minister of {party}", 3),
    ("spokesperson", "Official spokesperson of {party}", 3),
    ("delegation", "{party}'s negotiating team at the talks", 0),
)

# The fifteen issues of the four articles come first; the others are topic × region.
BASE_ISSUES = (
    ("neutrality", "Neutrality", "Ukraine adopts a neutral, non-aligned status"),
    ("crimea", "Crimea", "Ukraine recognises Crimea as part of Russia"),
    ("donbas", "Donbas", "Ukraine recognises the independence of the Donetsk and Luhansk"),
    ("no-fly-zone", "No-fly zone", "NATO imposes and enforces a no-fly zone over Ukraine"),
    ("humanitarian-corridors", "Humanitarian corridors", "Humanitarian corridors evacuate"),
    ("ceasefire", "Ceasefire", "An immediate, general ceasefire"),
    ("troop-withdrawal", "Troop withdrawal", "Russia withdraws its troops from Ukraine"),
    ("demilitarization", "Demilitarization", "Ukraine demilitarises and gives up its weapons"),
    ("denazification", "Denazification", "Ukraine's government is removed"),
    ("eu-membership", "EU membership", "Ukraine commits to staying out of the European Union"),
    ("security-guarantees", "Security guarantees", "Guarantor states give Ukraine guarantees"),
    ("halt-bombing", "Halt to bombing", "Russia stops bombing Ukrainian cities before talks"),
    ("leaders-talks", "Leaders' talks", "Presidents Zelensky and Putin negotiate directly"),
    ("military-aid", "Military aid", "Western states supply Ukraine with more weapons"),
    ("sanctions", "Sanctions", "Western states tighten sanctions on Russia"),
)
TOPICS = (
    ("local-ceasefire", "Local ceasefire", "A local ceasefire holds around {region}"),
    ("evacuation", "Evacuation", "Civilians are evacuated from {region} under safe passage"),
    ("prisoner-exchange", "Prisoner exchange", "Prisoners taken around {region} are exchanged"),
    ("demining", "Demining", "International teams demine {region}"),
    ("reconstruction", "Reconstruction", "A reconstruction fund rebuilds {region}"),
    ("refugee-return", "Refugee return", "Refugees from {region} return under guarantees"),
    ("monitoring-mission", "Monitoring mission", "International monitors are deployed to {region}"),
    ("referendum", "Referendum", "A referendum on the status of {region} is held"),
    ("energy-truce", "Energy truce", "Neither side strikes the energy infrastructure of {region}"),
    ("aid-access", "Aid access", "Aid convoys reach {region} without inspection delays"),
)
REGIONS = (
    "Kharkiv",
    "Mariupol",
    "Kherson",
    "Zaporizhzhia",
    "Donetsk",
    "Luhansk",
    "Odesa",
    "Mykolaiv",
    "Kyiv",
    "Chernihiv",
    "Sumy",
    "the Black Sea coast",
)

OUTLETS = (
    "Reuters",
    "Associated Press",
    "Agence France-Presse",
    "BBC News",
    "Kyiv Independent",
    "TASS",
    "Interfax",
    "Ukrainska Pravda",
    "The Guardian",
    "Deutsche Welle",
)
PLACES = ("Belarus", "Istanbul", "Antalya", "Geneva", "Vienna", "Riyadh", "video link")

# Verbs per stance score, so summaries and quotes read as what the stance means.
VERBS = {
    2: ("insisted that", "made it a condition of any deal that", "demanded that"),
    1: ("backed the idea that", "said it could agree that", "welcomed the proposal that"),
    0: ("said it was ready to discuss whether", "left open whether", "would consider whether"),
    -1: ("voiced doubts that", "argued against the proposal that", "was wary that"),
    -2: ("ruled out that", "flatly refused to accept that", "dismissed out of hand that"),
}
QUOTES = {
    2: "There will be no agreement unless {claim}.",
    1: "We are ready to agree that {claim}, and we say so openly.",
    0: "We are prepared to talk about whether {claim}, under conditions.",
    -1: "We do not believe that {claim} is the right way forward.",
    -2: "It is out of the question that {claim}.",
}
CONDITIONS = (
    "Only once the shelling of civilian areas stops.",
    "Subject to international guarantees and independent monitoring.",
    "Only as part of a comprehensive settlement.",
    "Provided that the other side makes the first move.",
)


@dataclass
class Catalogue:
    parties: list[dict]
    actors: list[dict]
    issues: list[dict]
    # (party, issue) cells that parties take positions in, with how often each speaks
    cells: list[tuple[str, str]] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)


def catalogue(rng: random.Random, n_parties: int, n_issues: int) -> Catalogue:
    """Parties with three spokespeople and a delegation each; issues; who engages with what."""
    parties, actors, party_weight = [], [], {}
    for pid, name, kind, aliases, weight in PARTIES[:n_parties]:
        parties.append({"id": pid, "name": name, "kind": kind, "aliases": list(aliases)})
        party_weight[pid] = weight
        for role_id, role, _ in ROLES:
            actors.append(
                {
                    "id": f"{pid}-{role_id}",
                    "name": role.format(party=name),
                    "party": pid,
                    "role": role.format(party=name),
                }
            )
    issues = [{"id": i, "name": n, "proposition": p} for i, n, p in BASE_ISSUES]
    for region in REGIONS:
        for tid, name, proposition in TOPICS:
            slug = region.lower().replace("the ", "").replace(" ", "-")
            issues.append(
                {
                    "id": f"{tid}-{slug}",
                    "name": f"{name}: {region}",
                    "proposition": proposition.format(region=region),
                }
            )
    issues = issues[:n_issues]
    result = Catalogue(parties, actors, issues)
    principals = [p["id"] for p in parties[:2]]
    others = [p["id"] for p in parties[2:]]
    for number, issue in enumerate(issues):
        # Every issue engages both principals and a handful of others; the articles'
        # own issues draw more attention than regional ones.
        engaged = principals + rng.sample(others, k=min(len(others), rng.randint(3, 9)))
        attention = 3.0 if number < len(BASE_ISSUES) else 1.0 / (1 + number % 7)
        for party in engaged:
            result.cells.append((party, issue["id"]))
            result.weights.append(party_weight[party] * attention)
    return result
