"""Rebuild tests/devset/dev.jsonl and heldout.jsonl from the hand labels below.

The labels were written by reading each text (see README.md for the rules);
this script only attaches the article texts from ../shared and checks every
quote is an exact substring (curly and straight quotes are treated alike while
searching; the stored quote is the exact text). Run from the repository root:

    .venv/bin/python tests/devset/build_devset.py [/path/to/shared]

The .jsonl files are the source of truth for the scorer; this file records how
they were made and is the easiest place to correct a label.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared")
OUT = Path(__file__).resolve().parent

# --- watchlists, written as a user would write them in config -----------------

META = {
    "id": "meta",
    "name": "Meta",
    "aliases": ["Meta Platforms", "Facebook", "Meta AI", "Meta Superintelligence Labs"],
    "people": {
        "Mark Zuckerberg": "CEO",
        "Yann LeCun": "Chief AI Scientist",
        "Alexandr Wang": "Chief AI Officer",
        "Nat Friedman": "executive",
    },
}
OPEN_SOURCE_AI = {
    "id": "open-source-ai",
    "name": "Open-sourcing AI models",
    "proposition": "Meta releases its most capable AI models openly (open weights or open source).",
    "keywords": ["open source", "open-source", "open sourcing", "open-sourcing", "open weight",
                 "open weights", "open model", "open models", "closed model", "closed models",
                 "Llama", "Behemoth"],
    "pro": ["open source", "open-source", "open sourcing", "open-sourcing", "open weights",
            "openly release", "open models", "the open one"],
    "con": ["closed model", "closed models", "closed-source", "proprietary", "keep closed", "restricted"],
}
SEED_WATCHLIST = {"entities": [META], "topics": [OPEN_SOURCE_AI]}

WEWORK = {
    "id": "wework",
    "name": "WeWork",
    "aliases": ["The We Company", "We Company"],
    "people": {"Marcelo Claure": "Executive Chairman", "Adam Neumann": "co-founder, former CEO"},
}
WEWORK_LAYOFFS = {
    "id": "wework-job-cuts",
    "name": "Job cuts at WeWork",
    "proposition": "WeWork is cutting jobs and scaling back its business as part of its restructuring.",
    "keywords": ["layoffs", "job cuts", "lay off", "job eliminations", "restructuring", "headcount",
                 "employees", "jobs"],
    "pro": ["cut jobs", "job cuts", "layoffs", "eliminate", "scale back", "job eliminations"],
    "con": ["hiring", "no layoffs", "expand", "grow headcount"],
}
WEWORK_REGULATORS = {
    "id": "wework-regulators",
    "name": "WeWork and regulators",
    "proposition": "WeWork cooperates with government investigations into the company.",
    "keywords": ["attorney general", "investigation", "inquiry", "SEC", "regulator", "subpoena", "NYAG"],
    "pro": ["cooperating", "cooperate", "comply"],
    "con": ["refuse", "contest", "fight", "deny"],
}
WEWORK_WATCHLIST = {"entities": [WEWORK], "topics": [WEWORK_LAYOFFS, WEWORK_REGULATORS]}

DISNEY_WATCHLIST = {
    "entities": [{
        "id": "disney",
        "name": "Walt Disney Co.",
        "aliases": ["Disney", "The Walt Disney Company", "Walt Disney"],
        "people": {"Bob Iger": "CEO", "Kevin Mayer": "Chairman, Direct-to-Consumer and International"},
    }],
    "topics": [
        {
            "id": "disney-plus",
            "name": "Disney+ streaming",
            "proposition": "Disney's streaming service Disney+ is succeeding.",
            "keywords": ["Disney+", "streaming service", "subscribers", "sign-ups", "launch", "outage",
                         "glitch", "retention", "demand"],
            "pro": ["demand", "success", "signed up", "retention", "pleased"],
            "con": ["glitch", "problems", "outage", "issues", "logged off"],
        },
        {
            "id": "sports-streaming",
            "name": "Sports and the pay-TV bundle",
            "proposition": "Disney will move its marquee sports from the pay-TV bundle to streaming.",
            "keywords": ["ESPN", "ESPN+", "sports", "pay-TV", "bundle", "cord-cutting", "NFL", "NBA"],
            "pro": ["stream", "streaming service", "direct-to-consumer"],
            "con": ["bundle", "cable", "broadcast"],
        },
    ],
}

APPLE = {"id": "apple", "name": "Apple", "aliases": ["Apple Inc."], "people": {"Tim Cook": "CEO"}}
APPLE_WATCHLIST = {
    "entities": [APPLE],
    "topics": [
        {
            "id": "apple-enterprise",
            "name": "Apple in the enterprise",
            "proposition": "Apple is committed to serving business and enterprise customers.",
            "keywords": ["enterprise", "business", "Fortune 500", "iOS apps", "custom apps", "professional"],
            "pro": ["enterprise", "business customers", "proud", "took that challenge"],
            "con": ["consumer only", "not a priority"],
        },
        {
            "id": "apple-privacy",
            "name": "User privacy",
            "proposition": "Apple treats user privacy as a core commitment.",
            "keywords": ["privacy", "personal data", "human right", "data"],
            "pro": ["fundamental human right", "embedded", "protect"],
            "con": ["collect", "track", "share data"],
        },
    ],
}

PGE_WATCHLIST = {
    "entities": [{
        "id": "pge",
        "name": "PG&E",
        "aliases": ["Pacific Gas & Electric", "Pacific Gas and Electric", "Pacific Gas & Electric Co."],
        "people": {"Bill Johnson": "CEO, PG&E Corp.", "Andy Vesey": "CEO, Pacific Gas and Electric Co."},
    }],
    "topics": [{
        "id": "power-shutoffs",
        "name": "Public safety power shutoffs",
        "proposition": "PG&E should cut power pre-emptively to prevent wildfires.",
        "keywords": ["power shutoff", "shut off power", "shutting off power", "blackout", "blackouts",
                     "outage", "outages", "de-energize", "restore power", "restoring power"],
        "pro": ["public safety", "shut off", "prevent fires", "won't roll the dice"],
        "con": ["disruptive", "overkill", "avoid outages"],
    }],
}

STADIA_WATCHLIST = {
    "entities": [
        {"id": "google", "name": "Google", "aliases": ["Alphabet"],
         "people": {"Sundar Pichai": "CEO", "Phil Harrison": "Stadia general manager",
                    "Jack Buser": "director for games"}},
        {"id": "ubisoft", "name": "Ubisoft", "aliases": [],
         "people": {"Yves Guillemot": "CEO", "Chris Early": "SVP partnerships and revenue"}},
    ],
    "topics": [
        {
            "id": "cloud-gaming",
            "name": "Cloud game streaming",
            "proposition": "Game streaming (cloud gaming) is the future of gaming.",
            "keywords": ["streaming", "cloud", "Stadia", "xCloud", "game streaming", "cloud gaming"],
            "pro": ["future", "cloud platform", "believers", "seamless", "next big jump"],
            "con": ["bandwidth", "latency", "not ready", "binary"],
        },
        {
            "id": "stadia-exclusives",
            "name": "Stadia exclusives",
            "proposition": "Publishers will make games exclusive to Stadia.",
            "keywords": ["exclusive", "exclusives", "exclusively"],
            "pro": ["exclusive", "built specifically for the platform"],
            "con": ["as many people as possible", "multiplatform", "every platform"],
        },
    ],
}

HOME_DEPOT_WATCHLIST = {
    "entities": [
        {"id": "home-depot", "name": "The Home Depot", "aliases": ["Home Depot"],
         "people": {"Craig Menear": "Chairman and CEO"}},
        {"id": "lowes", "name": "Lowe's", "aliases": ["Lowe's Companies"],
         "people": {"Marvin Ellison": "CEO"}},
    ],
    "topics": [
        {
            "id": "one-home-depot",
            "name": "One Home Depot investments",
            "proposition": "Home Depot's One Home Depot strategic investments are paying off.",
            "keywords": ["One Home Depot", "strategic investments", "investments"],
            "pro": ["on track", "positive results", "growth"],
            "con": ["below our expectations", "take longer"],
        },
        {
            "id": "hd-sales-outlook",
            "name": "Sales outlook",
            "proposition": "Home Depot expects strong sales growth this fiscal year.",
            "keywords": ["guidance", "sales growth", "comparable sales", "outlook", "forecast", "sees"],
            "pro": ["raise", "strong", "growth"],
            "con": ["cut", "lower", "down from previous guidance"],
        },
    ],
}

INSTAGRAM_WATCHLIST = {
    "entities": [{"id": "instagram", "name": "Instagram", "aliases": [],
                  "people": {"Adam Mosseri": "Head of Instagram"}}],
    "topics": [
        {
            "id": "hidden-likes",
            "name": "Hiding like counts",
            "proposition": "Instagram removes public like counts to reduce pressure on users.",
            "keywords": ["likes", "like counts", "hiding likes", "metrics", "demetrication", "follower counts"],
            "pro": ["hide likes", "less pressurized", "remove likes", "toxic"],
            "con": ["metrics matter", "show likes"],
        },
        {
            "id": "instagram-privacy",
            "name": "User privacy",
            "proposition": "Instagram protects users' personal information.",
            "keywords": ["privacy", "contact information", "phone number", "email address", "personal information",
                         "minors"],
            "pro": ["clearly informed", "choose not to display", "protect"],
            "con": ["exposed", "public", "security risk"],
        },
    ],
}

# heldout watchlists

SPACEX = {"id": "spacex", "name": "SpaceX", "aliases": ["Space Exploration Technologies"],
          "people": {"Elon Musk": "CEO", "Gwynne Shotwell": "President and COO"}}
BLUE_ORIGIN = {"id": "blue-origin", "name": "Blue Origin", "aliases": [],
               "people": {"Jeff Bezos": "founder", "Bob Smith": "CEO"}}
SNC = {"id": "sierra-nevada", "name": "Sierra Nevada Corporation", "aliases": ["SNC", "Sierra Nevada Corp."],
       "people": {"Fatih Ozmen": "CEO"}}
LUNAR_LANDERS = {
    "id": "lunar-landers",
    "name": "Commercial lunar landers",
    "proposition": "Commercial lunar landers will be ready to deliver payloads to the Moon within a few years.",
    "keywords": ["lunar lander", "lander", "Moon", "moon", "CLPS", "payload", "payloads", "Starship",
                 "Blue Moon", "lunar surface"],
    "pro": ["ready", "begin", "deliver", "capable", "payload capacity"],
    "con": ["delay", "not ready", "declined to state"],
}
NASA = {"id": "nasa", "name": "NASA", "aliases": ["National Aeronautics and Space Administration"],
        "people": {"Jim Bridenstine": "Administrator", "Thomas Zurbuchen": "Associate Administrator, Science"}}
COMMERCIAL_LUNAR = {
    "id": "commercial-lunar-delivery",
    "name": "Commercial lunar delivery",
    "proposition": "Commercial companies should deliver NASA's payloads to the Moon.",
    "keywords": ["commercial", "providers", "lander", "landers", "CLPS", "payloads", "moon", "Moon"],
    "pro": ["bring on", "providers", "partners", "commercial"],
    "con": ["own the delivery systems", "in-house"],
}

BIG_MACHINE_WATCHLIST = {
    "entities": [
        {"id": "big-machine", "name": "Big Machine Label Group",
         "aliases": ["Big Machine", "Big Machine Records"],
         "people": {"Scott Borchetta": "founder and CEO", "Scooter Braun": "owner"}},
        {"id": "dick-clark", "name": "Dick Clark Productions", "aliases": ["dcp"], "people": {}},
    ],
    "topics": [{
        "id": "swift-catalog",
        "name": "Taylor Swift performing her catalog",
        "proposition": "Taylor Swift is free to perform and use her earlier songs (AMAs, Netflix documentary).",
        "keywords": ["perform", "AMAs", "American Music Awards", "Netflix", "documentary", "catalog",
                     "master recordings", "licensing", "license"],
        "pro": ["approves", "licensing agreement", "free to perform", "honor all of her requests"],
        "con": ["block", "prevent", "not allowed", "could not perform"],
    }],
}

EMIRATES_WATCHLIST = {
    "entities": [
        {"id": "emirates", "name": "Emirates", "aliases": ["Emirates Airline"],
         "people": {"Tim Clark": "President", "Sheikh Ahmed bin Saeed Al Maktoum": "Chairman and CEO"}},
        {"id": "boeing", "name": "Boeing", "aliases": ["The Boeing Company"],
         "people": {"Dennis Muilenburg": "CEO"}},
    ],
    "topics": [{
        "id": "emirates-fleet",
        "name": "Emirates fleet expansion",
        "proposition": "Emirates is expanding its fleet.",
        "keywords": ["fleet", "expansion", "order", "aircraft", "jets", "787", "777X", "A350", "A380"],
        "pro": ["expand", "order", "purchase", "growth"],
        "con": ["consolidation", "reduction", "cancel", "cutback"],
    }],
}

GANNETT_WATCHLIST = {
    "entities": [
        {"id": "gannett", "name": "Gannett",
         "aliases": ["New Media Investment Group", "New Media", "GateHouse Media", "GateHouse"],
         "people": {"Michael Reed": "Chairman", "Paul Bascobert": "CEO, Gannett Media"}},
        {"id": "mcclatchy", "name": "McClatchy", "aliases": ["McClatchy Co."],
         "people": {"Craig Forman": "CEO"}},
    ],
    "topics": [
        {
            "id": "newsroom-cuts",
            "name": "Newsroom cost-cutting",
            "proposition": "The company cuts costs and newsroom jobs.",
            "keywords": ["cost-cutting", "layoffs", "laid off", "synergies", "cuts", "staff", "jobs",
                         "end Saturday publication"],
            "pro": ["synergies", "cut", "laid off", "end"],
            "con": ["invest", "hire", "expand"],
        },
        {
            "id": "news-investment",
            "name": "Investing in news",
            "proposition": "The company invests in digital news and growth.",
            "keywords": ["digital", "investing", "growth", "subscriptions", "investigative"],
            "pro": ["investing for growth", "digital initiatives", "invest"],
            "con": ["dividends", "cuts"],
        },
    ],
}

SPURS_WATCHLIST = {
    "entities": [{"id": "tottenham", "name": "Tottenham Hotspur", "aliases": ["Tottenham", "Spurs"],
                  "people": {"Daniel Levy": "Chairman", "Jose Mourinho": "Head Coach"}}],
    "topics": [{
        "id": "spurs-manager",
        "name": "Jose Mourinho's appointment",
        "proposition": "Jose Mourinho is the right manager for Tottenham.",
        "keywords": ["Mourinho", "manager", "appointment", "head coach", "Pochettino"],
        "pro": ["accomplished", "renowned", "excited", "welcome"],
        "con": ["sacked", "poor run of results"],
    }],
}

TWITTER_WATCHLIST = {
    "entities": [
        {"id": "twitter", "name": "Twitter", "aliases": ["Twitter Inc."], "people": {"Jack Dorsey": "CEO"}},
        {"id": "conservatives", "name": "Conservative Party", "aliases": ["Conservatives", "Tories", "CCHQ"],
         "people": {"Boris Johnson": "Leader", "Dominic Raab": "Foreign Secretary",
                    "James Cleverly": "Party Chairman"}},
    ],
    "topics": [{
        "id": "campaign-misinformation",
        "name": "Misleading political campaigning online",
        "proposition": "Misleading social-media tactics by political campaigns should be stopped.",
        "keywords": ["misinformation", "misleading", "mislead", "fact-check", "factcheckUK", "disinformation",
                     "doctored", "account"],
        "pro": ["corrective action", "mislead", "inappropriate"],
        "con": ["no apology", "rebuttal", "satire", "clearly linked"],
    }],
}

BI_WATCHLIST = {
    "entities": [
        {"id": "amazon", "name": "Amazon", "aliases": ["Amazon.com", "Amazon Music"],
         "people": {"Jeff Bezos": "CEO", "Andy Jassy": "CEO, AWS"}},
        {"id": "alibaba", "name": "Alibaba", "aliases": ["Alibaba Group", "Tmall"],
         "people": {"Daniel Zhang": "CEO", "Jack Ma": "co-founder"}},
        {"id": "softbank", "name": "SoftBank", "aliases": ["SoftBank Group"],
         "people": {"Masayoshi Son": "CEO"}},
    ],
    "topics": [
        {
            "id": "free-music",
            "name": "Free music streaming",
            "proposition": "Music streaming should be offered free to listeners, paid for by ads.",
            "keywords": ["music", "streaming", "free", "ad-supported", "Amazon Music", "Spotify"],
            "pro": ["free", "ad-supported"],
            "con": ["subscription only", "paid"],
        },
        {
            "id": "singles-day-sales",
            "name": "Singles Day sales figures",
            "proposition": "Alibaba's reported Singles Day sales are accurate.",
            "keywords": ["Singles Day", "sales", "GMV", "misreported", "figures"],
            "pro": ["denied", "accurate", "legal action"],
            "con": ["misreported", "inflated", "fake"],
        },
        {
            "id": "wework-profit",
            "name": "WeWork turnaround",
            "proposition": "WeWork will become profitable.",
            "keywords": ["WeWork", "profit", "profitable", "revenue", "turnaround"],
            "pro": ["turn a profit", "profitable", "new sources of revenue"],
            "con": ["losses", "cash burn"],
        },
    ],
}

ALIBABA_HK_WATCHLIST = {
    "entities": [{"id": "alibaba", "name": "Alibaba", "aliases": ["Alibaba Group"],
                  "people": {"Daniel Zhang": "CEO", "Jack Ma": "co-founder"}}],
    "topics": [{
        "id": "hk-listing",
        "name": "Hong Kong listing",
        "proposition": "Alibaba lists its shares in Hong Kong.",
        "keywords": ["listing", "Hong Kong", "share sale", "IPO", "secondary listing", "bourse", "float"],
        "pro": ["list", "raise", "listing"],
        "con": ["delay", "postpone", "cancel"],
    }],
}

FB_APPLE_WATCHLIST = {
    "entities": [
        {"id": "facebook", "name": "Facebook", "aliases": ["Facebook Inc."],
         "people": {"Mark Zuckerberg": "CEO", "Sheryl Sandberg": "COO"}},
        APPLE,
        {"id": "google", "name": "Google", "aliases": ["Alphabet"], "people": {"Sundar Pichai": "CEO"}},
    ],
    "topics": [
        {
            "id": "enterprise-certificates",
            "name": "Apple enterprise certificates",
            "proposition": "Apple lets Facebook and Google use enterprise developer certificates for their apps.",
            "keywords": ["enterprise certificate", "developer certificate", "developer tool", "development tool",
                         "internal apps", "revoked", "restore", "restoring", "certificate"],
            "pro": ["restoring", "reinstate", "resolved", "up and running"],
            "con": ["revoked", "disabled", "abusing", "blocking"],
        },
        {
            "id": "research-apps",
            "name": "Data collection by research apps",
            "proposition": "Tech companies may collect extensive user data through paid research apps.",
            "keywords": ["Facebook Research", "Screenwise Meter", "research app", "data collection", "track"],
            "pro": ["market research", "consent"],
            "con": ["sidestep", "privacy", "withdrew"],
        },
    ],
}

ROGERS_WATCHLIST = {
    "entities": [{"id": "rogers", "name": "Rogers Communications", "aliases": ["Rogers", "Rogers Media"],
                  "people": {"Joe Natale": "CEO"}}],
    "topics": [
        {
            "id": "magazine-sale",
            "name": "Sale of the magazine business",
            "proposition": "Rogers sells its magazine brands.",
            "keywords": ["magazines", "magazine", "sale", "buyer", "bid", "Maclean's", "Chatelaine", "publishing"],
            "pro": ["sell", "sale", "deal"],
            "con": ["keep", "retain"],
        },
        {
            "id": "publishing-jobs",
            "name": "Publishing job cuts",
            "proposition": "Rogers cuts publishing staff.",
            "keywords": ["laid off", "layoffs", "jobs", "staff", "headcount", "cuts"],
            "pro": ["laid off", "cuts", "sustainable"],
            "con": ["maintain headcount", "hire"],
        },
    ],
}

BREXIT_WATCHLIST = {
    "entities": [
        {"id": "smmt", "name": "Society of Motor Manufacturers and Traders", "aliases": ["SMMT"],
         "people": {"Mike Hawes": "Chief Executive"}},
        {"id": "psa", "name": "PSA Group", "aliases": ["Groupe PSA", "Vauxhall", "Peugeot"],
         "people": {"Carlos Tavares": "CEO"}},
    ],
    "topics": [
        {
            "id": "no-deal-brexit",
            "name": "No-deal Brexit",
            "proposition": "A no-deal (hard) Brexit is acceptable for the UK car industry.",
            "keywords": ["Brexit", "no deal", "without a deal", "hard Brexit", "EU", "trade deal"],
            "pro": ["project fear", "opportunities"],
            "con": ["catastrophic", "serious challenges", "disappointed", "need a deal"],
        },
        {
            "id": "uk-car-production",
            "name": "UK car production outlook",
            "proposition": "UK car production has a healthy future.",
            "keywords": ["production", "car production", "plant", "investment", "output", "make cars"],
            "pro": ["growth", "invest", "keep building"],
            "con": ["wrong direction", "close", "closing", "uncompetitive", "pausing"],
        },
    ],
}

SUNCOR_WATCHLIST = {
    "entities": [
        {"id": "suncor", "name": "Suncor Energy", "aliases": ["Suncor"], "people": {"Mark Little": "CEO"}},
        {"id": "edc", "name": "Export Development Canada", "aliases": ["EDC"],
         "people": {"Mairead Lavery": "President and CEO"}},
    ],
    "topics": [
        {
            "id": "suncor-libya",
            "name": "Suncor in Libya",
            "proposition": "Suncor can keep operating in Libya.",
            "keywords": ["Libya", "Libyan", "production in Libya", "Libyan assets"],
            "pro": ["resume", "continue", "optimistic"],
            "con": ["impede", "shut in", "suspended", "no longer operate"],
        },
        {
            "id": "risk-insurance-disclosure",
            "name": "Disclosure of political risk insurance",
            "proposition": "Political risk insurance payments should be disclosed publicly.",
            "keywords": ["political risk insurance", "risk mitigation", "payments", "claim", "disclose",
                         "confidentiality", "policy"],
            "pro": ["disclose", "transparency", "openness"],
            "con": ["confidentiality", "declined"],
        },
    ],
}

HOCKEY_WATCHLIST = {
    "entities": [
        {"id": "kelowna-rockets", "name": "Kelowna Rockets", "aliases": ["Rockets"],
         "people": {"Bruce Hamilton": "General Manager"}},
        {"id": "whl", "name": "Western Hockey League", "aliases": ["WHL"],
         "people": {"Ron Robison": "Commissioner"}},
    ],
    "topics": [{
        "id": "head-trauma",
        "name": "Player safety and head trauma",
        "proposition": "Junior hockey leagues do enough to protect players from head trauma.",
        "keywords": ["concussion", "head trauma", "fighting", "fights", "hits to the head", "lawsuit",
                     "concussion protocol", "safety"],
        "pro": ["concussion protocol", "good job", "few fights"],
        "con": ["not enough", "encouraged"],
    }],
}

STELLAS_WATCHLIST = {
    "entities": [{"id": "stellas", "name": "Stella's Cafe", "aliases": ["Stella's", "Stella's Café"],
                  "people": {"Tore Sohlberg": "co-owner", "Lehla Abreder": "co-owner"}}],
    "topics": [
        {
            "id": "stellas-union",
            "name": "Unionization",
            "proposition": "Stella's accepts its workers joining a union.",
            "keywords": ["union", "unionize", "UFCW", "vote", "contract", "bargaining"],
            "pro": ["respected the outcome", "respect"],
            "con": ["oppose", "challenge"],
        },
        {
            "id": "stellas-workplace",
            "name": "Workplace conduct",
            "proposition": "Stella's is fixing workplace harassment and mistreatment.",
            "keywords": ["harassment", "workplace", "respectful", "safe", "Not My Stella's"],
            "pro": ["respectful", "supportive", "safe", "healthy workplace"],
            "con": ["deny", "dismiss"],
        },
    ],
}


# --- gold statements --------------------------------------------------------


def S(quote, speaker, entity, topic, stance, kind, *, date=None, precision=None, cue=None,
      person=None, alts=(), denial=False, occurrence=None):
    """One gold statement. date=None means: the publication date (no cue in the text);
    date="-" means: not determinable from the text (stated_at null)."""
    return {
        "quote": quote, "speaker": speaker, "person": person, "speaker_alternatives": list(alts),
        "entity": entity, "topic": topic, "stance": stance, "kind": kind, "is_denial": denial,
        "_date": date, "_precision": precision, "date_cue": cue, "occurrence": occurrence,
    }


MZ, YL, AW = "Mark Zuckerberg", "Yann LeCun", "Alexandr Wang"
OS = "open-source-ai"

SEEDS = [
    {
        "id": "seed-000", "seed": "000_60525f76f6e2af3d", "published": "2025-08-28",
        "watchlist": SEED_WATCHLIST,
        "statements": [
            S("careful about what we choose to open source", "Zuckerberg", "meta", OS, "hedged", "direct",
              person=MZ, date="2025", precision="year", cue="recent post"),
        ],
    },
    {
        "id": "seed-001", "seed": "001_5a76a52844fc09c6", "published": "2025-07-30",
        "watchlist": SEED_WATCHLIST,
        "statements": [
            # the headline appears twice in the page text; both are the outlet's paraphrase of him
            S("Zuckerberg: Meta Won't Open Source All AI Models", "Zuckerberg", "meta", OS, "hedged", "indirect",
              person=MZ, occurrence=0, date="2025-07-30", cue="on Wednesday (the article's subject)"),
            S("Zuckerberg: Meta Won't Open Source All AI Models", "Zuckerberg", "meta", OS, "hedged", "indirect",
              person=MZ, occurrence=1, date="2025-07-30", cue="on Wednesday (the article's subject)"),
            S("outlined his vision for “personal superintelligence” on Wednesday, describing a future where "
              "artificial intelligence empowers individuals to achieve their specific objectives",
              "Mark Zuckerberg, CEO of Meta", "meta", None, None, "indirect", person=MZ,
              date="2025-07-30", cue="on Wednesday"),
            S("Zuckerberg emphasized the importance of broadly sharing the benefits of superintelligence",
              "Zuckerberg", "meta", None, None, "indirect", person=MZ),
            S("the emergence of new safety concerns that will necessitate careful risk mitigation and a cautious "
              "approach to open-sourcing", "he", "meta", OS, "hedged", "indirect", person=MZ),
            S("future Llama models would become the most advanced in the industry starting in 2024",
              "Zuckerberg", "meta", OS, "pro", "indirect", person=MZ, date="-", cue="previously"),
            S("if a qualitative shift in a model’s capabilities raises concerns about responsible open-sourcing, "
              "Meta would refrain from doing so", "He", "meta", OS, "hedged", "indirect", person=MZ, date="-"),
            S("Meta’s business model isn’t dependent on selling access to AI models, meaning that releasing Llama "
              "doesn’t negatively impact its revenue or research investment, unlike closed-source providers",
              "Zuckerberg", "meta", OS, "pro", "indirect", person=MZ, date="-", cue="previously"),
            S("Meta has temporarily halted testing of its latest Llama model, known as Behemoth, to concentrate "
              "its resources on developing a closed model", "Meta", "meta", OS, "con", "report",
              alts=["Recent reports"], date="2025", precision="year", cue="Recent reports"),
            S("Zuckerberg’s recent communication confirms Meta’s intention to deliver “personal "
              "superintelligence” through its own products, such as augmented reality glasses and virtual "
              "reality headsets", "Zuckerberg", "meta", None, None, "indirect", person=MZ,
              date="2025-07", precision="month", cue="recent communication"),
            S("Personal devices like glasses that understand our context because they can see what we see, hear "
              "what we hear, and interact with us throughout the day will become our primary computing devices",
              "Zuckerberg", "meta", None, None, "direct", person=MZ),
            S("reiterated the company’s commitment to open-source AI", "a Meta spokesperson", "meta", OS, "pro",
              "indirect", person="spokesperson", denial=True),
            S("Meta anticipates continuing to train both open and closed-source models in the future",
              "The spokesperson", "meta", OS, "hedged", "indirect", person="spokesperson"),
            S("Our position on open source AI is unchanged", "the spokesperson", "meta", OS, "pro", "direct",
              person="spokesperson", denial=True),
            S("We plan to continue releasing leading open source models. We haven’t released everything we’ve "
              "developed historically and we expect to continue training a mix of open and closed models going "
              "forward", "the spokesperson", "meta", OS, "hedged", "direct", person="spokesperson", denial=True),
        ],
    },
    {
        "id": "seed-002", "seed": "002_f7d0b1ff6ab378ce", "published": "2025-01-01",
        "published_precision": "year",
        "watchlist": SEED_WATCHLIST,
        "statements": [
            S("Zuckerberg advocates for a more flexible interpretation of open source in AI, where model weights "
              "are shared but usage is governed by custom licenses that restrict harmful applications and require "
              "permissions for large-scale commercial use", "Zuckerberg", "meta", OS, "pro", "indirect",
              person=MZ, date="2025", precision="year"),
        ],
    },
    {
        "id": "seed-003", "seed": "003_e35cc5488f304210", "published": "2025-07-15",
        "watchlist": SEED_WATCHLIST,
        "statements": [
            S("Open Source AI is the Path Forward", "Mark Zuckerberg", "meta", OS, "pro", "direct", person=MZ,
              date="2024-07", precision="month", cue="Almost exactly a year ago"),
            S("Meta’s newly formed superintelligence lab has discussed making a series of changes to the "
              "company’s artificial intelligence strategy", "Meta’s newly formed superintelligence lab", "meta",
              None, None, "report", alts=["Meta Superintelligence Labs", "Meta"],
              date="2025-07", precision="month"),
            S("discussed abandoning the company’s most powerful open source A.I. model, called Behemoth, in favor "
              "of developing a closed model", "a small group of top members of the lab, including Alexandr Wang",
              "meta", OS, "con", "report", person=AW, alts=["two people with knowledge of the matter"],
              date="2025-07", precision="month", cue="Last week"),
            S("Our position on open source AI is unchanged", "a spokesperson for Meta", "meta", OS, "pro",
              "direct", person="spokesperson", denial=True),
            S("We plan to continue releasing leading open source models. We haven’t released everything we’ve "
              "developed historically, and we expect to continue training a mix of open and closed models going "
              "forward", "a spokesperson for Meta", "meta", OS, "hedged", "direct", person="spokesperson",
              denial=True),
            S("the open sourcing of Llama is what was fueling Meta's AI growth and would ensure they won the "
              "market", "Zuckerberg", "meta", OS, "pro", "indirect", person=MZ, date="-",
              cue="for months and months"),
            S("biggest mistake", "Zuckerberg", "meta", None, None, "direct", person=MZ, date="-"),
            S("The platform that will win will be the open one", "Yann LeCun", "meta", OS, "pro", "direct",
              person=YL, date="-", cue="had said"),
            S("Big plans", "he", "meta", None, None, "direct", person=YL, alts=["LeCun"],
              date="2025", precision="year", cue="most recent post"),
        ],
    },
]

WW, WWJ, WWR = "wework", "wework-job-cuts", "wework-regulators"
MC = "Marcelo Claure"

DEV_ARTICLES = [
    {
        "id": "wework-venturebeat", "article": "06e5123e", "published": "2019-11-18",
        "watchlist": WEWORK_WATCHLIST,
        "statements": [
            S("which is expected to lay off thousands of employees beginning this week", "The company", WW, WWJ,
              "pro", "report", alts=["WeWork"]),
            S("it had been contacted by the office of the NYAG, Letitia James", "The company", WW, WWR, "neutral",
              "indirect", alts=["WeWork"], date="2019-11-18", cue="on Monday"),
            S("We received an inquiry from the office of the New York State Attorney General and are cooperating "
              "in the matter", "a WeWork spokesperson", WW, WWR, "pro", "direct", person="spokesperson"),
            S("Job cuts will be announced later this week in areas that do not support WeWork’s core business "
              "goals", "The We Company’s recently named executive chair Marcelo Claure", WW, WWJ, "pro",
              "indirect", person=MC),
            S("WeWork is preparing to cut 4,000 jobs", "WeWork", WW, WWJ, "pro", "report",
              alts=["The New York Times"], date="2019-11-17", cue="on Sunday"),
            S("Next steps to shape the company’s future will be divulged in an all-company meeting on Friday",
              "Claure", WW, None, None, "indirect", person=MC),
            S("WeWork needs a more efficient and more customer-centric organization to grow", "He", WW, WWJ, "pro",
              "indirect", person=MC),
            S("We are going to eliminate and scale back certain functions and responsibilities", "Claure", WW, WWJ,
              "pro", "direct", person=MC),
            S("An October 11 presentation to bondholders indicated administrative jobs would be cut, along with "
              "jobs in WeWork’s venture capital arm and in so-called growth-related functions",
              "An October 11 presentation to bondholders", WW, WWJ, "pro", "report", alts=["WeWork"],
              date="2019-10-11", cue="An October 11 presentation"),
        ],
    },
    {
        "id": "wework-therealdeal", "article": "bc13ff87", "published": "2019-11-18",
        "watchlist": WEWORK_WATCHLIST,
        "statements": [
            S("layoffs will begin this week in the U.S., and that a planned all-hands meeting will be postponed "
              "from Tuesday to Friday, where Claure will present the company’s five-year plan",
              "chairman Marcelo Claure", WW, WWJ, "pro", "indirect", person=MC, alts=["a company email"]),
            S("In the areas of the business that do not directly support our core business goals, we have to make "
              "some necessary job eliminations", "Claure", WW, WWJ, "pro", "direct", person=MC),
            S("We are going to eliminate and scale back certain functions and responsibilities, which will "
              "increase efficiency and also accountability", "Claure", WW, WWJ, "pro", "direct", person=MC),
            S("to sign the terms of the contract by Monday, otherwise it would consider their resignations "
              "voluntary", "WeWork", WW, WWJ, "pro", "indirect", date="2019-11", precision="month"),
        ],
    },
    {
        "id": "disney-latimes", "article": "098bb3e9", "published": "2019-11-19",
        "watchlist": DISNEY_WATCHLIST,
        "statements": [
            S("overwhelming demand and a computer-coding glitch led to widespread problems last week when the "
              "Burbank entertainment giant launched Disney+", "Walt Disney Co. executive Kevin Mayer", "disney",
              "disney-plus", "hedged", "indirect", person="Kevin Mayer", date="2019-11-19", cue="said Tuesday"),
            S("We had some issues ... we had some customer service issues that didn’t make me feel good", "Mayer",
              "disney", "disney-plus", "con", "direct", person="Kevin Mayer", date="2019-11-19",
              cue="said Tuesday"),
            S("Disney’s tech teams isolated the problem, Mayer said, and “patched” the software as the company "
              "continued to sign up additional subscribers throughout the week", "Mayer", "disney",
              "disney-plus", "pro", "indirect", person="Kevin Mayer"),
            S("the company was pleased with Disney+ retention so far", "Mayer", "disney", "disney-plus", "pro",
              "indirect", person="Kevin Mayer"),
            S("We’ve never had demand that we saw that day, and continue to see", "Mayer", "disney", "disney-plus",
              "pro", "direct", person="Kevin Mayer"),
            S("We will see the industry shake out a bit", "Mayer", "disney", None, None, "direct",
              person="Kevin Mayer"),
            S("Not everyone will succeed", "Mayer", "disney", None, None, "direct", person="Kevin Mayer"),
            S("it depends on the cost of the service, but he said that he thinks the number will be between four "
              "to six services, depending on whether subscribers continue to pay for a traditional bundle of "
              "channels", "Mayer", "disney", None, None, "indirect", person="Kevin Mayer"),
            S("Disney is expected to switch gears again by concentrating its sports offerings on a more "
              "comprehensive ESPN streaming service", "Disney", "disney", "sports-streaming", "pro", "report"),
            S("There will be a time ... when the pay-TV numbers are low enough", "Mayer", "disney",
              "sports-streaming", "hedged", "direct", person="Kevin Mayer"),
            S("We want to serve consumers the way they wish to be served", "Mayer", "disney", "sports-streaming",
              "pro", "direct", person="Kevin Mayer"),
            S("Operating is a lot different than a strategy role", "Mayer", "disney", None, None, "direct",
              person="Kevin Mayer"),
            S("I love what I’m doing", "Mayer", "disney", None, None, "direct", person="Kevin Mayer"),
        ],
    },
    {
        "id": "apple-crn", "article": "291a8bf3", "published": "2019-11-19",
        "watchlist": APPLE_WATCHLIST,
        "statements": [
            S('Apple was "pulled into the enterprise', "CEO Tim Cook", "apple", "apple-enterprise", "pro",
              "direct", person="Tim Cook", date="2019-11-19", cue="said Tuesday"),
            S("After the first iPhones shipped, people began using them for business, forcing the consumer "
              "computing giant to adapt quickly", "Cook", "apple", "apple-enterprise", "pro", "indirect",
              person="Tim Cook"),
            S('Customers "began to say we want you to do this and that," Cook told Benioff, which ultimately meant '
              'making the "best mobile operating system for enterprise', "Cook", "apple", "apple-enterprise",
              "pro", "direct", person="Tim Cook"),
            S("We really took that challenge to heart", "he", "apple", "apple-enterprise", "pro", "direct",
              person="Tim Cook"),
            S('some people carry two phones, and "we love you for that," Cook said, most do their personal and '
              'professional tasks on the same device', "Cook", "apple", "apple-enterprise", "pro", "indirect",
              person="Tim Cook"),
            S("Apple is now in every Fortune 500 company, and eight out of ten companies are writing custom iOS "
              "apps", "Cook", "apple", "apple-enterprise", "pro", "indirect", person="Tim Cook"),
            S("he's extremely proud of his company's trajectory on that front", "Cook", "apple",
              "apple-enterprise", "pro", "indirect", person="Tim Cook"),
            S("he's not Alicia Keys", "Cook", "apple", None, None, "indirect", person="Tim Cook"),
            S("the admiration is mutual", "Cook", "apple", None, None, "indirect", person="Tim Cook"),
            S("I love the way you're constantly taking all the new things and quickly incorporating those, "
              "whether its Siri shortcuts, or handoffs", "he", "apple", None, None, "direct", person="Tim Cook"),
            S('going way off script in a way that only he could do, making everyone laugh along the way', "Cook",
              "apple", None, None, "direct", person="Tim Cook"),
            S("I can feel him and his presence when I come here", "Cook", "apple", None, None, "direct",
              person="Tim Cook"),
            S('which Apple views as "a fundamental human right', "Apple", "apple", "apple-privacy", "pro",
              "direct"),
            S("Another is stewardship of the Earth", "Cook", "apple", None, None, "indirect", person="Tim Cook"),
            S('Apple employs about 450 Dreamers, and he sees "first hand their love of their country and '
              'commitment to it', "Cook", "apple", None, None, "indirect", person="Tim Cook"),
            S('Privacy, like environmental sustainability, are not "bolt-on things," Cook said, but instead '
              '"embedded in who we are', "Cook", "apple", "apple-privacy", "pro", "direct", person="Tim Cook"),
        ],
    },
    {
        "id": "pge-timesunion", "article": "d0382c0d", "published": "2019-11-20",
        "watchlist": PGE_WATCHLIST,
        "statements": [
            S("Pacific Gas & Electric Co. was set to begin shutting off power Wednesday to some 375,000 people in "
              "18 Northern and central California counties", "Pacific Gas & Electric Co.", "pge",
              "power-shutoffs", "pro", "report", alts=["PG&E"]),
            S("forecasts called for low humidity and winds gusting at times to 55 mph (88.5 kph), which might "
              "fling tree branches or other debris into power lines, causing sparks that could set catastrophic "
              "fires in the region", "PG&E officials", "pge", "power-shutoffs", "pro", "indirect",
              person="officials"),
            S("One Napa County reporting station hasn’t seen a measurable drop of rain since mid-September — the "
              "first time that’s happened since 1905", "Scott Strenfel, PG&E's principal meteorologist", "pge",
              None, None, "indirect", person="Scott Strenfel"),
            S("The northern Sierra Nevada has seen a fraction of an inch of rain in the past two months instead of "
              "the usual 5 inches (127 millimeters)", "he", "pge", None, None, "indirect",
              person="Scott Strenfel"),
            S("This lack of rain is keeping the threat of fire very real, this late in the season, in many areas",
              "Scott Strenfel, PG&E's principal meteorologist", "pge", None, None, "direct",
              person="Scott Strenfel"),
            S("The weather should ease by Thursday morning, allowing PG&E to begin restoring power",
              "Mark Quinlan, PG&E's senior director of emergency preparedness and response", "pge",
              "power-shutoffs", "neutral", "indirect", person="Mark Quinlan"),
            S("it will closely monitor the weather and could further reduce that number if it improves",
              "The utility", "pge", "power-shutoffs", "hedged", "indirect", alts=["PG&E"]),
            S("The outages have been “terribly disruptive” and PG&E is taking steps to avoid them in the future "
              "but at the moment, “we won’t roll the dice on public safety", "company CEO Andy Vesey", "pge",
              "power-shutoffs", "hedged", "direct", person="Andy Vesey"),
        ],
    },
    {
        "id": "stadia-hollywoodreporter", "article": "8267acac", "published": "2019-11-19",
        "watchlist": STADIA_WATCHLIST,
        "statements": [
            S("You’re going to see a number of things that Stadia can do that is not possible on other platforms",
              "Jack Buser, director for games at the tech giant", "google", "cloud-gaming", "pro", "direct",
              person="Jack Buser", occurrence=0),
            S("Stadia has been built from the ground up to be a cloud platform",
              "Jack Buser, director for games at Google", "google", "cloud-gaming", "pro", "direct",
              person="Jack Buser"),
            S("You’re going to see a number of things that Stadia can do that is not possible on other platforms",
              "Jack Buser", "google", "cloud-gaming", "pro", "direct", person="Jack Buser", occurrence=1),
            S("The key to Stadia's success, says Buser, is Google's built-in infrastructure", "Buser", "google",
              "cloud-gaming", "pro", "indirect", person="Jack Buser"),
            S("We have one of the largest private networks in the world", "he", "google", "cloud-gaming", "pro",
              "direct", person="Jack Buser"),
            S("Google's servers can “deliver extremely high fidelity content all over the world", "he", "google",
              "cloud-gaming", "pro", "indirect", person="Jack Buser"),
            S("The goal is to deliver a “seamless experience” that presents blockbuster games to Stadia users on "
              "whatever device they choose to play on", "Buser", "google", "cloud-gaming", "pro", "indirect",
              person="Jack Buser"),
            S("Google offers an extension of the market of people who can play our games",
              "Chris Early, senior vp partnerships and revenue at Ubisoft", "ubisoft", "cloud-gaming", "pro",
              "direct", person="Chris Early"),
            S("They help extend our reach by letting people who maybe don’t own a console or PC join in",
              "Chris Early", "ubisoft", "cloud-gaming", "pro", "direct", person="Chris Early"),
            S("Streaming is somewhat binary", "Early", "ubisoft", "cloud-gaming", "hedged", "direct",
              person="Chris Early"),
            S("You are either in a place with adequate bandwidth or you’re not", "Early", "ubisoft",
              "cloud-gaming", "hedged", "direct", person="Chris Early"),
            S("Ubisoft are “believers” in game streaming as a viable future for the industry", "Early", "ubisoft",
              "cloud-gaming", "pro", "indirect", person="Chris Early"),
            S("The groundwork is there", "Buser", "google", "cloud-gaming", "pro", "direct", person="Jack Buser"),
            S("In terms of running games and having an experience that feels as good as or better than best "
              "consoles that exist today. The creativity that is coming from the game development community will "
              "break the boundaries of what was previously possible. It's just staggering", "Buser", "google",
              "cloud-gaming", "pro", "direct", person="Jack Buser"),
            S("there is a possibility that future Ubisoft games could be built and launched specifically for the "
              "platform", "Early", "ubisoft", "stadia-exclusives", "hedged", "indirect", person="Chris Early"),
            S("Our objective is to make the best game and get it in front of as many people as possible", "he",
              "ubisoft", "stadia-exclusives", "con", "direct", person="Chris Early"),
            S("I think the interesting question is if we’re getting to a place that requires a game to be run in "
              "the cloud, does that become Stadia exclusive? While the intent may not be that, because [the game] "
              "may be exclusive to services that operate with a cloud base, whether that’s xCloud or Stadia or "
              "whatever else, that does become something we'd look at", "he", "ubisoft", "stadia-exclusives",
              "hedged", "direct", person="Chris Early"),
            S("This is where you’ll see the next big jump in what games can be", "he", "google", "cloud-gaming",
              "pro", "direct", person="Jack Buser"),
            S("You’ll never download a game or have to download an update. We’re already used to this in movies "
              "and TV, we just haven’t seen it in games yet. It’s tough to go back to console", "he", "google",
              "cloud-gaming", "pro", "direct", person="Jack Buser"),
        ],
    },
    {
        "id": "homedepot-foxbusiness", "article": "51374560", "published": "2019-11-19",
        "watchlist": HOME_DEPOT_WATCHLIST,
        "statements": [
            S("Our third quarter results reflected broad-based growth across our business, yet sales were below "
              "our expectations driven by the timing of certain benefits associated with our One Home Depot "
              "strategic investments", "chairman, CEO and president Craig Menear", "home-depot", "one-home-depot",
              "hedged", "direct", person="Craig Menear"),
            S("We are largely on track with these investments and have seen positive results, but some of the "
              "benefits anticipated for fiscal 2019 will take longer to realize than our initial assumptions",
              "Menear", "home-depot", "one-home-depot", "hedged", "direct", person="Craig Menear"),
            S("Home Depot sees fiscal year 2019 sales growth of 1.8 percent and comparable sales growth of 3.5 "
              "percent, down from previous guidance of up 2.3 percent and up 4 percent, respectively",
              "Home Depot", "home-depot", "hd-sales-outlook", "con", "indirect"),
        ],
    },
    {
        "id": "instagram-wired", "article": "d48aeb9c", "published": "2019-11-15",
        "watchlist": INSTAGRAM_WATCHLIST,
        "statements": [
            S("has spoken out about the toxic consequences of overemphasizing statistics like follower and like "
              "counts", "Instagram head Adam Mosseri", "instagram", "hidden-likes", "pro", "indirect",
              person="Adam Mosseri", date="-"),
            S("Instagram wants to be “a space that feels much less pressurized", "Mosseri", "instagram",
              "hidden-likes", "pro", "indirect", person="Adam Mosseri", date="-"),
            S("There are now 140 million monthly active “businesses” across Facebook’s various platforms",
              "the company", "instagram", None, None, "indirect", alts=["Instagram"]),
            S("the company notifies people who it thinks could benefit from converting their personal accounts "
              "into business ones", "Kym Lino, a spokesperson for Instagram", "instagram", None, None,
              "indirect", person="Kym Lino"),
            S("We use a machine learning model which predicts likely commercial intent of Instagram accounts to "
              "identify potential accounts that may benefit from professional tools like analytics", "they",
              "instagram", None, None, "direct", person="Kym Lino"),
            S("Businesses and creators are clearly informed in the sign-up or conversion flow that the contact "
              "information they would like to make public to help people contact them will be displayed", "Lino",
              "instagram", "instagram-privacy", "pro", "direct", person="Kym Lino"),
        ],
    },
]

SX, BO, SN, LL = "spacex", "blue-origin", "sierra-nevada", "lunar-landers"
CLD = "commercial-lunar-delivery"
BM, DCP, SW = "big-machine", "dick-clark", "swift-catalog"

HELDOUT = [
    {
        "id": "clps-spacenews", "article": "d1c57d78", "published": "2019-11-18",
        "watchlist": {"entities": [SPACEX, BLUE_ORIGIN, SNC], "topics": [LUNAR_LANDERS]},
        "statements": [
            S("Starhip will be able to deliver up to 100 metric tons of cargo to the surface of the moon and "
              "return an unspecified amount back to Earth",
              "Gwynne Shotwell, president and chief operating officer of SpaceX", SX, LL, "pro", "indirect",
              person="Gwynne Shotwell"),
            S("We do think this is a really neat program. It reminds us a bit of the COTS program", "Shotwell",
              SX, LL, "pro", "direct", person="Gwynne Shotwell"),
            S("Starship lunar lander missions could begin in 2022", "Shotwell", SX, LL, "pro", "indirect",
              person="Gwynne Shotwell"),
            S("Such missions would be cargo only, but she said could serve as a “nice stepping stone” to later "
              "crewed missions", "she", SX, LL, "pro", "indirect", person="Gwynne Shotwell"),
            S("SpaceX would fly Starship “a lot” before flying any missions with people on board", "She", SX, LL,
              "hedged", "indirect", person="Gwynne Shotwell"),
            S("Blue Origin will offer NASA its Blue Moon lander that the company unveiled in May, capable of "
              "carrying several tons of cargo to the lunar surface", "Blue Origin", BO, LL, "pro", "report"),
            S("It has a lot of payload capacity, power to get through the lunar night, a very large, open payload "
              "deck", "Brent Sherwood, vice president of advanced development programs at Blue Origin", BO, LL,
              "pro", "direct", person="Brent Sherwood"),
            S("it would depend on the specifics of each individual CLPS task order", "He", BO, LL, "hedged",
              "indirect", person="Brent Sherwood"),
            S("Our company is in a great position not only to bid on smaller payloads going to the Moon because we "
              "build our own satellite systems", "John Roth, vice president of business development at SNC", SN,
              LL, "pro", "direct", person="John Roth"),
            S("the company could take larger payloads leveraging technologies developed for its Dream Chaser "
              "vehicle", "Roth", SN, LL, "pro", "indirect", person="John Roth"),
            S("SNC would be able to start lunar lander missions in 2022", "he", SN, LL, "pro", "indirect",
              person="John Roth"),
        ],
    },
    {
        "id": "clps-aljazeera", "article": "42aad16b", "published": "2019-11-19",
        "watchlist": {"entities": [NASA, BLUE_ORIGIN], "topics": [COMMERCIAL_LUNAR]},
        "statements": [
            S("We have a need and saw a need to bring on some additional providers that had enhanced lander "
              "capabilities", "Steve Clarke, deputy associate administrator for exploration in NASA’s Science "
              "Mission Directorate", "nasa", CLD, "pro", "direct", person="Steve Clarke", date="2019-11-18",
              cue="NASA on Monday ... in a conference call"),
            S("This is based on our objectives, the agency’s objectives, to get to the moon as soon as possible, "
              "both from a scientific standpoint and from a human exploration standpoint", "he", "nasa", CLD, "pro",
              "direct", person="Steve Clarke", date="2019-11-18", cue="NASA on Monday ... in a conference call"),
            S("nine US companies were eligible to bid for contracts to regularly launch spacecraft carrying "
              "instruments and experiments, and to land that cargo on the moon as early as next year", "NASA",
              "nasa", CLD, "pro", "indirect", date="2018-11", precision="month", cue="A year ago"),
            S("returning to the moon was necessary to build the infrastructure and knowledge base to send "
              "astronauts to Mars", "NASA’s Administrator Jim Bridenstine", "nasa", None, None, "indirect",
              person="Jim Bridenstine", date="2019-05", precision="month", cue="In May"),
            S("they have detected water vapour above that moon’s icy crust", "NASA’s scientists", "nasa", None,
              None, "indirect", person="scientists"),
            S("this discovery is further evidence that the essential ingredients for life - chemical elements, "
              "sources of energy and liquid water - are on Europa", "NASA", "nasa", None, None, "indirect"),
            S("We’re honoured to join this community of 14 providers, diverse providers that are taking us back to "
              "the moon. And we are going", "Brent Sherwood, vice president of Advanced Development Programs at "
              "Blue Origin", BO, CLD, "pro", "direct", person="Brent Sherwood"),
            S("It’s very exciting times. We’re using our Blue Moon lander, which is [a] big one", "Brent Sherwood",
              BO, CLD, "pro", "direct", person="Brent Sherwood"),
        ],
    },
    {
        "id": "bigmachine-foxnews", "article": "eb62ac84", "published": "2019-11-18",
        "watchlist": BIG_MACHINE_WATCHLIST,
        "statements": [
            S("issued a statement that appeared to make it possible for Swift to perform her songs at the upcoming "
              "American Music Awards", "Big Machine Records", BM, SW, "pro", "indirect", date="2019-11-18",
              cue="On Monday"),
            S("Big Machine and Dick Clark Productions had “come to terms on a licensing agreement that approves "
              "their artists’ performances to stream post show and for re-broadcast on mutually approved platform",
              "The statement", BM, SW, "pro", "indirect", alts=["Big Machine"], date="2019-11-18",
              cue="On Monday"),
            S("it would not only cover Swift’s performance, but the performance of Thomas Rhett as well",
              "The agreement", BM, SW, "pro", "indirect", alts=["Big Machine", "The statement"],
              date="2019-11-18", cue="On Monday"),
            S("It should be noted that recording artists do not need label approval for live performances on "
              "television or any other live media. Record label approval is only needed for contracted artists' "
              "audio and visual recordings and in determining how those works are distributed", "the statement",
              BM, SW, "pro", "direct", alts=["Big Machine"], date="2019-11-18", cue="On Monday"),
            S("Dick Clark Productions denied that it had settled on an arrangement with the music label",
              "Dick Clark Productions", DCP, SW, "neutral", "indirect", denial=True, date="2019-11-18",
              cue="on Monday"),
            S("At no time did Dick Clark Productions agree to, create, authorize or distribute a statement in "
              "partnership with Big Machine Label Group regarding Taylor Swift’s performance at the 2019 American "
              "Music Awards", "the production company", DCP, SW, "neutral", "direct", denial=True,
              alts=["Dick Clark Productions"]),
            S("Any final agreement on this matter needs to be made directly with Taylor Swift’s management team. "
              "We have no further comment", "the production company", DCP, SW, "neutral", "direct",
              alts=["Dick Clark Productions"]),
            S("The company flat-out denied the allegations in a statement shared to its website", "The company",
              BM, SW, "pro", "indirect", denial=True, alts=["Big Machine"], date="2019-11-15",
              cue="her tumblr statements yesterday (Swift posted on Thursday)"),
            S("As Taylor Swift's partner for over a decade, we were shocked to see her tumblr statements yesterday "
              "based on false information", "the statement", BM, SW, "pro", "direct", denial=True,
              alts=["Big Machine"], date="2019-11-15", cue="yesterday (Swift posted on Thursday)"),
            S("At no point did we say Taylor could not perform on the AMAs or block her Netflix special. In fact, "
              "we do not have the right to keep her from performing live anywhere. Since Taylor's decision to "
              "leave Big Machine last fall, we have continued to honor all of her requests to license her catalog "
              "to third parties as she promotes her current record in which we do not financially participate",
              "the statement", BM, SW, "pro", "direct", denial=True, alts=["Big Machine"], date="2019-11-15",
              cue="yesterday (Swift posted on Thursday)"),
            S("The truth is, Taylor has admitted to contractually owing millions of dollars and multiple assets to "
              "our company, which is responsible for 120 hardworking employees who helped build her career",
              "the statement", BM, None, None, "direct", alts=["Big Machine"], date="2019-11-15",
              cue="same statement"),
            S("We have worked diligently to have a conversation about these matters with Taylor and her team to "
              "productively move forward", "the statement", BM, None, None, "direct", alts=["Big Machine"],
              date="2019-11-15", cue="same statement"),
            S("We started to see progress over the past two weeks and were optimistic as recently as yesterday "
              "that this may get resolved. However, despite our persistent efforts to find a private and mutually "
              "satisfactory solution, Taylor made a unilateral decision last night to enlist her fanbase in a "
              "calculated manner that greatly affects the safety of our employees and their families",
              "the statement", BM, None, None, "direct", alts=["Big Machine"], date="2019-11-15",
              cue="same statement"),
        ],
    },
    {
        "id": "emirates-cnbc", "article": "374ac9a5", "published": "2019-11-20",
        "watchlist": EMIRATES_WATCHLIST,
        "statements": [
            S("Emirates Airline finalized a deal to purchase 30 of Boeing 's 787-9 Dreamliner jets",
              "executives of both companies", "emirates", "emirates-fleet", "pro", "indirect",
              date="2019-11-20", cue="announced Wednesday"),
            S("Emirates Airline finalized a deal to purchase 30 of Boeing 's 787-9 Dreamliner jets",
              "executives of both companies", "boeing", "emirates-fleet", "pro", "indirect",
              date="2019-11-20", cue="announced Wednesday"),
            S("the airline — the largest international carrier in the world — will recommence its expansion in "
              "the early 2020s, following its current period of consolidation", "Emirates President Tim Clark",
              "emirates", "emirates-fleet", "hedged", "indirect", person="Tim Clark"),
            S("Clark in October revealed lofty plans to expand the Emirates fleet by 30% by the end of 2025",
              "Clark", "emirates", "emirates-fleet", "pro", "indirect", person="Tim Clark", date="2019-10",
              precision="month", cue="in October"),
            S("it announced an order of 50 Airbus A350-900 jets on Monday at a value of $16 billion at list prices",
              "it", "emirates", "emirates-fleet", "pro", "indirect", alts=["Emirates"], date="2019-11-18",
              cue="on Monday"),
        ],
    },
    {
        "id": "gannett-latimes", "article": "8634d121", "published": "2019-11-19",
        "watchlist": GANNETT_WATCHLIST,
        "statements": [
            S("will create a “stronger” and “more viable” print and digital news enterprise “with deep local roots "
              "and national scale", "Michael Reed, the CEO of New Media Investment Group", "gannett", None, None,
              "direct", person="Michael Reed", date="2019-11-14", cue="on Nov. 14"),
            S("he expects to wring as much as $300 million in “synergies” from the combination", "Reed", "gannett",
              "newsroom-cuts", "pro", "indirect", person="Michael Reed", date="-", cue="has said"),
            S("the company would not disclose the actual number but called it “immaterial", "the company",
              "gannett", "newsroom-cuts", "neutral", "indirect", alts=["GateHouse"], date="2019",
              precision="year", cue="Earlier this year"),
            S("McClatchy reported a loss of $304.7 million on revenue of $167.4 million in the third quarter ended "
              "Sept. 29", "McClatchy", "mcclatchy", None, None, "indirect"),
            S("the company also reported long-term debt of more than $700 million", "the company", "mcclatchy",
              None, None, "indirect", alts=["McClatchy"]),
            S("its finances were so impaired that it wouldn’t have the cash or cash flow to make a required "
              "minimum contribution of $124 million to its pension fund next year and was negotiating a possible "
              "takeover of the plan by the government’s Pension Benefit Guarantee Corp.", "McClatchy",
              "mcclatchy", None, None, "indirect"),
            S("the merger would allow the company to quickly pay down debt and “to return capital to shareholders "
              "through dividends, in addition to investing for growth that will drive revenues",
              "Reed, who will be the merged company’s chairman", "gannett", "news-investment", "pro", "indirect",
              person="Michael Reed", date="2019-10-31", cue="on Oct. 31"),
            S("McClatchy is planning to end Saturday publication of all its newspapers by the end of next year, "
              "though it will post new articles online", "McClatchy", "mcclatchy", "newsroom-cuts", "pro",
              "report"),
        ],
    },
    {
        "id": "spurs-sky", "article": "92101975", "published": "2019-11-20",
        "watchlist": SPURS_WATCHLIST,
        "statements": [
            S("I am excited to be joining a club with such a great heritage and such passionate supporters",
              "The 56-year-old", "tottenham", "spurs-manager", "pro", "direct", person="Jose Mourinho",
              alts=["Mourinho"]),
            S("The quality in both the squad and the academy excites me. Working with these players is what has "
              "attracted me", "The 56-year-old", "tottenham", "spurs-manager", "pro", "direct",
              person="Jose Mourinho", alts=["Mourinho"]),
            S("Jose is one of the world's most accomplished managers having won 25 senior trophies", "Tottenham",
              "tottenham", "spurs-manager", "pro", "direct", date="2019-11-20", cue="November 20, 2019"),
            S("He is renowned for his tactical prowess and has managed FC Porto, Inter Milan, Chelsea, Real Madrid "
              "and Manchester United", "Tottenham", "tottenham", "spurs-manager", "pro", "direct",
              date="2019-11-20", cue="November 20, 2019"),
            S("He has won a domestic title in a record four different countries (Portugal, England, Italy and "
              "Spain) and is one of only three managers to have won the UEFA Champions League twice with two "
              "clubs, FC Porto in 2004 and Inter Milan in 2010", "Tottenham", "tottenham", "spurs-manager", "pro",
              "direct", date="2019-11-20", cue="November 20, 2019"),
            S("Welcome Jose", "Tottenham", "tottenham", "spurs-manager", "pro", "direct", date="2019-11-20",
              cue="on Wednesday"),
        ],
    },
    {
        "id": "tories-twitter-ap", "article": "e7994d55", "published": "2019-11-20",
        "watchlist": TWITTER_WATCHLIST,
        "statements": [
            S("the Twitter account was clearly linked to the Conservatives", "Foreign Secretary Dominic Raab",
              "conservatives", "campaign-misinformation", "con", "indirect", person="Dominic Raab"),
            S("We make no apology for having an instant rebuttal to all the nonsense and lies put out", "Raab",
              "conservatives", "campaign-misinformation", "con", "direct", person="Dominic Raab"),
            S("Twitter pledged to take “decisive corrective action” against similar strategies in the future",
              "Twitter", "twitter", "campaign-misinformation", "pro", "indirect"),
            S("described the doctored video as lighthearted satire", "The chairman of the Conservative Party",
              "conservatives", "campaign-misinformation", "con", "indirect", person="James Cleverly",
              alts=["chairman"], date="2019-11", precision="month", cue="earlier this month"),
            S("Look what I have said I’m going to do as a politician and look what I’ve delivered", "he",
              "conservatives", None, None, "direct", person="Boris Johnson", date="2019-11-19",
              cue="debate ... on Tuesday"),
            S("his often-repeated vow that Britain would leave the EU on Oct. 31", "Johnson", "conservatives",
              None, None, "indirect", person="Boris Johnson", date="-", cue="often-repeated"),
        ],
    },
    {
        "id": "tech-briefing-bi", "article": "fde930b0", "published": "2019-11-19",
        "watchlist": BI_WATCHLIST,
        "statements": [
            S("he wants the company to turn a profit by 2021", "SoftBank CEO Masayoshi Son", "softbank",
              "wework-profit", "pro", "indirect", person="Masayoshi Son"),
            S("to look for new sources of revenue as SoftBank attempts to rescue the company", "Masayoshi Son",
              "softbank", "wework-profit", "pro", "indirect", person="Masayoshi Son"),
            S("customers without a Prime membership or subscription to Amazon Music Unlimited could now access "
              "ad-supported music for free", "The company", "amazon", "free-music", "pro", "indirect",
              alts=["a blog post", "Amazon"]),
            S("Alibaba leaders have denied 'sensational' claims made in viral Weibo post that said the Chinese "
              "e-commerce giant misreported its Singles Day sales", "Alibaba leaders", "alibaba",
              "singles-day-sales", "pro", "indirect", denial=True, alts=["Alibaba"]),
            S("responded to the allegations in a post on WeChat, threatening legal action",
              "Peng Mei — project manager for communications on Singles Day and PR director of Tmall", "alibaba",
              "singles-day-sales", "pro", "indirect", person="Peng Mei"),
        ],
    },
    {
        "id": "alibaba-cityam", "article": "360c732d", "published": "2019-11-20",
        "watchlist": ALIBABA_HK_WATCHLIST,
        "statements": [
            S("Alibaba is set to raise up to $12.9bn (£10bn) from its record-breaking second listing in Hong Kong, "
              "pricing its shares at a 2.8 per cent discount to their New York close", "Alibaba", "alibaba",
              "hk-listing", "pro", "report"),
            S("The Chinese e-commerce giant is set to officially announce the terms of the deal later on Wednesday",
              "The Chinese e-commerce giant", "alibaba", "hk-listing", "pro", "report", alts=["Alibaba"]),
            S("Alibaba’s listing ceremony is due to be held at the Hong Kong Stock Exchange next Tuesday",
              "Alibaba", "alibaba", "hk-listing", "pro", "report"),
        ],
    },
]

FB, GOO, EC = "facebook", "google", "enterprise-certificates"

HELDOUT_QUOTES = [
    {
        "id": "certificates-ctv", "quotes": 26, "published": "2019-01-31",
        "watchlist": FB_APPLE_WATCHLIST,
        "statements": [
            S("Apple is restoring its access to a key development tool that the iPhone maker disabled Wednesday",
              "Facebook", FB, EC, "pro", "indirect"),
            S("Facebook was abusing the tool , known as a developer enterprise certificate, to distribute the app "
              "on iPhones in a way that allowed the social network to sidestep Apple restrictions on data "
              "collection", "Apple", "apple", EC, "con", "indirect"),
            S("it is \"working closely\" with Apple to reinstate access", "Facebook", FB, EC, "pro", "indirect",
              date="2019-01-30", cue="In an internal memo sent on Wednesday"),
            S("to install the public versions of apps from the app store", "It", FB, EC, "neutral", "indirect",
              alts=["Facebook"], date="2019-01-30", cue="internal memo sent on Wednesday"),
            S("Apps that it said \"may not work\" included internal versions of Facebook, Workplace, Instagram and "
              "the Ride app", "it", FB, EC, "neutral", "indirect", alts=["Facebook"], date="2019-01-30",
              cue="internal memo sent on Wednesday"),
            S("it is \"in the process of getting our internal apps up and running.", "Facebook", FB, EC, "pro",
              "indirect"),
            S("the issue had no impact on its consumer services", "The company", FB, EC, "neutral", "indirect",
              alts=["Facebook"]),
            S("Apple has also revoked its enterprise certificate, blocking Google employees from testing new app "
              "features on iPhones", "Google", GOO, EC, "con", "indirect", date="2019-01-31", cue="said Thursday"),
            S("We're working with Apple to fix a temporary disruption to some of our corporate iOS apps, which we "
              "expect will be resolved soon", "the company", GOO, EC, "pro", "direct", alts=["Google"]),
        ],
    },
    {
        "id": "rogers-globe", "quotes": 74, "published": None,
        "watchlist": ROGERS_WATCHLIST,
        "statements": [
            S("it was hoping to sign a deal by the end of the year", "it", "rogers", "magazine-sale", "pro",
              "report", alts=["Rogers", "sources familiar with the negotiations"]),
            S("was needed to keep the business “sustainable.", "the company", "rogers", "publishing-jobs", "pro",
              "indirect", alts=["Rogers Media"], cue="In June"),
            S("We do not comment on mergers and acquisitions", "Rogers spokesperson Andrea Goldstein", "rogers",
              "magazine-sale", "neutral", "direct", person="Andrea Goldstein", cue="on Sunday"),
            S("the company asked the bid team not to discuss the deal with staff", "the company", "rogers",
              "magazine-sale", "neutral", "report", alts=["Rogers", "sources familiar with the situation"]),
        ],
    },
    {
        "id": "brexit-cars-globe", "quotes": 81, "published": None,
        "watchlist": BREXIT_WATCHLIST,
        "statements": [
            S("Total car production fell 9.1 per cent to 1.5 million units last year after dropping by 3.7 per "
              "cent in 2017", "the Society of Motor Manufacturers and Traders", "smmt", "uk-car-production", "con",
              "indirect", alts=["SMMT"], cue="figures released on Wednesday"),
            S("The figures suggest this industry is going in the wrong direction",
              "Mike Hawes, the SMMT’s chief executive", "smmt", "uk-car-production", "con", "direct",
              person="Mike Hawes"),
            S("while the industry has been affected by a slowdown in China and new emission-control regulations in "
              "Europe, Brexit is the biggest challenge", "Mr. Hawes", "smmt", "no-deal-brexit", "con", "indirect",
              person="Mike Hawes"),
            S("What we need most urgently is a deal", "Mr. Hawes", "smmt", "no-deal-brexit", "con", "direct",
              person="Mike Hawes"),
            S("To leave [the EU] without a deal would be, quite frankly, catastrophic for the industry",
              "Mr. Hawes", "smmt", "no-deal-brexit", "con", "direct", person="Mike Hawes"),
            S("Brexit uncertainty has already dampened demand for cars in Britain", "Mr. Hawes", "smmt",
              "no-deal-brexit", "con", "indirect", person="Mike Hawes"),
            S("The number of cars produced for the domestic market fell 16.3 per cent last year", "the SMMT",
              "smmt", "uk-car-production", "con", "indirect"),
            S("shows that investors are pausing and waiting to see what the long-term relationship will be between "
              "the U.K. and the EU", "he", "smmt", "uk-car-production", "con", "direct", person="Mike Hawes"),
            S("more than 1,100 trucks carrying parts pass through the Port of Dover every day and head to plants "
              "across the country", "The SMMT", "smmt", None, None, "indirect"),
            S("We’ll still sell cars", "Mr. Hawes", "smmt", "uk-car-production", "hedged", "direct",
              person="Mike Hawes"),
            S("Whether we still make them is what matters in terms of the most immediate effect", "Mr. Hawes",
              "smmt", "uk-car-production", "hedged", "direct", person="Mike Hawes"),
            S("while the EU is the biggest market for British cars, another 15 per cent of exports go to countries "
              "that have trade deals with the EU", "He", "smmt", "no-deal-brexit", "neutral", "indirect",
              person="Mike Hawes"),
            S("And those preferential trade arrangements will be lost if we exit Europe without a deal", "he",
              "smmt", "no-deal-brexit", "con", "direct", person="Mike Hawes"),
            S("Look at the figures [released on Wednesday]. That’s project reality", "he", "smmt",
              "no-deal-brexit", "con", "direct", person="Mike Hawes"),
            S("Brexit and a hard Brexit in particular, will pose serious challenges to the future competitiveness "
              "of this industry. Those are facts", "he", "smmt", "no-deal-brexit", "con", "direct",
              person="Mike Hawes"),
            S("has already indicated it’s considering closing its plant outside Liverpool", "France’s PSA Group",
              "psa", "uk-car-production", "con", "indirect", alts=["PSA Group"]),
            S("The company is “extremely disappointed the threat of a hard Brexit has not been removed",
              "Vauxhall’s U.K. managing director Stephen Norman", "psa", "no-deal-brexit", "con", "direct",
              person="Stephen Norman", cue="recently"),
        ],
    },
    {
        "id": "suncor-globe", "quotes": 83, "published": None,
        "watchlist": SUNCOR_WATCHLIST,
        "statements": [
            S("it had received $300-million in “risk mitigation” payments relating to its Libyan operations",
              "Suncor", "suncor", "risk-insurance-disclosure", "neutral", "indirect", cue="On Wednesday"),
            S("Suncor reported a profit of $3.3-billion on revenue of $38.98-billion for the 12 months ended Dec. "
              "31, 2018", "Suncor", "suncor", None, None, "indirect"),
            S("We are obligated to respect the confidentiality of our policy holders and their policies with us",
              "it", "edc", "risk-insurance-disclosure", "con", "direct", alts=["EDC"]),
            S("Suncor reported receiving $300-million in “risk mitigation” payments relating to its Syrian "
              "operations, without identifying the source", "Suncor", "suncor", "risk-insurance-disclosure",
              "neutral", "indirect", date="2012", precision="year", cue="The following year (after 2011)"),
            S("EDC disclosed a $300-million claim without identifying the customer", "EDC", "edc",
              "risk-insurance-disclosure", "neutral", "indirect", date="2012", precision="year",
              cue="Meanwhile (the following year)"),
            S("EDC had the largest political risk insurance claim charge in its history as a result of the turmoil "
              "in North Africa and the Middle East", "Pierre Gignac, EDC’s then-chief risk officer", "edc",
              "risk-insurance-disclosure", "neutral", "direct", person="Pierre Gignac", date="2013",
              precision="year", cue="in a 2013 commentary"),
            S("it might have to repay some of that sum “dependent on the future performance and cash flows from "
              "Suncor’s Libyan assets.", "The company", "suncor", "suncor-libya", "hedged", "indirect",
              alts=["Suncor"]),
            S("continuing political risk continues to impede its production in Libya", "Suncor", "suncor",
              "suncor-libya", "con", "indirect", cue="as of press time"),
            S("Suncor concluded it could no longer operate in Libya, either", "Suncor", "suncor", "suncor-libya",
              "con", "report"),
            S("EDC says it is self-funding", "EDC", "edc", None, None, "indirect"),
        ],
    },
    {
        "id": "rockets-globalnews", "quotes": 35, "published": None,
        "watchlist": HOCKEY_WATCHLIST,
        "statements": [
            S("the WHL team won’t be addressing a proposed head trauma class-action lawsuit involving former team "
              "captain James McEwan", "The Kelowna Rockets", "kelowna-rockets", "head-trauma", "neutral",
              "indirect", cue="on Monday morning"),
            S("This press conference has nothing to do [with] nor will we have any statement with regards to the "
              "legal issue that [was] brought forward this weekend", "Rockets general manager Bruce Hamilton",
              "kelowna-rockets", "head-trauma", "neutral", "direct", person="Bruce Hamilton"),
            S("they would not speak directly to the lawsuit", "the Rockets", "kelowna-rockets", "head-trauma",
              "neutral", "indirect"),
            S("the team’s general manager defended the leagues’ safety practices", "the team’s general manager",
              "kelowna-rockets", "head-trauma", "pro", "indirect", person="Bruce Hamilton"),
            S("There are so few fights now that the game has dramatically changed … The game has gone to speed and "
              "skill, and that’s the way it is today", "Hamilton", "kelowna-rockets", "head-trauma", "pro",
              "direct", person="Bruce Hamilton"),
            S("The Canadian Hockey League has had a concussion protocol for a long time, probably close to 15 years "
              "we’ve been following this, so we’ve done a pretty good job of that, we feel", "Hamilton",
              "kelowna-rockets", "head-trauma", "pro", "direct", person="Bruce Hamilton"),
            S("as part of the leagues’ concussion protocol, the CHL has a doctor based in Ontario that reviews "
              "players’ testing results any time they have symptoms", "Hamilton", "kelowna-rockets",
              "head-trauma", "pro", "indirect", person="Bruce Hamilton"),
            S("the league had not yet been served with a statement of claim in connection with the case",
              "the WHL commissioner", "whl", "head-trauma", "neutral", "indirect", person="Ron Robison"),
            S("At such time as we receive one, we will thoroughly review it and, if appropriate, we will provide "
              "further comment", "WHL commissioner Ron Robison", "whl", "head-trauma", "neutral", "direct",
              person="Ron Robison"),
        ],
    },
    {
        "id": "stellas-cbc", "quotes": 1, "published": None,
        "watchlist": STELLAS_WATCHLIST,
        "statements": [
            S("they respected the outcome of the vote", "Stella's owners Tore Sohlberg and Lehla Abreder",
              "stellas", "stellas-union", "pro", "indirect", person="Tore Sohlberg",
              alts=["Lehla Abreder", "owners"]),
            S("Our priority is ensuring that we have a respectful, supportive and healthy workplace where employees "
              "can thrive and grow in a safe, positive environment", "they", "stellas", "stellas-workplace", "pro",
              "direct", person="Tore Sohlberg", alts=["Lehla Abreder", "owners"]),
        ],
    },
]


# --- building -----------------------------------------------------------------

_QUOTE_CLASS = {"'": "['’‘`]", "’": "['’‘`]", "‘": "['’‘`]", '"': "[\"“”]", "“": "[\"“”]", "”": "[\"“”]"}


def _pattern(quote: str) -> re.Pattern[str]:
    parts = []
    for ch in quote:
        if ch in _QUOTE_CLASS:
            parts.append(_QUOTE_CLASS[ch])
        elif ch.isspace():
            parts.append(r"\s+")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts).replace(r"\s+\s+", r"\s+"))


def _exact(text: str, quote: str, occurrence: int | None, where: str) -> str:
    found = [m.group(0) for m in _pattern(quote).finditer(text)]
    if not found:
        raise SystemExit(f"{where}: quote not found: {quote[:70]!r}")
    if occurrence is None and len(found) > 1:
        raise SystemExit(f"{where}: quote occurs {len(found)} times, give occurrence: {quote[:70]!r}")
    return found[occurrence or 0]


def _resolve_date(raw, precision, published, published_precision):
    if raw == "-":
        return None, None
    if raw is None:
        if published is None:
            return None, None
        return published, published_precision
    if precision is None:
        precision = "day"
    full = {"year": raw[:4] + "-01-01", "month": raw[:7] + "-01", "day": raw}[precision]
    return full, precision


def _document(spec: dict, text: str, url: str, title: str | None) -> dict:
    published = spec.get("published")
    published_precision = spec.get("published_precision", "day") if published else None
    statements = []
    for number, s in enumerate(spec["statements"]):
        where = f"{spec['id']}#{number}"
        stated_at, precision = _resolve_date(s["_date"], s["_precision"], published, published_precision)
        if (s["topic"] is None) != (s["stance"] is None):
            raise SystemExit(f"{where}: stance must be null exactly when topic is null")
        row = {
            "quote": _exact(text, s["quote"], s["occurrence"], where),
            "speaker": s["speaker"],
            "entity": s["entity"],
            "topic": s["topic"],
            "stance": s["stance"],
            "stated_at": stated_at,
            "precision": precision,
            "kind": s["kind"],
            "is_denial": s["is_denial"],
            "person": s["person"],
            "speaker_alternatives": s["speaker_alternatives"],
            "date_cue": s["date_cue"],
        }
        if s["occurrence"] is not None:
            row["occurrence"] = s["occurrence"]
        statements.append(row)
    entity_ids = {e["id"] for e in spec["watchlist"]["entities"]}
    topic_ids = {t["id"] for t in spec["watchlist"]["topics"]}
    for row in statements:
        assert row["entity"] in entity_ids, (spec["id"], row["entity"])
        assert row["topic"] is None or row["topic"] in topic_ids, (spec["id"], row["topic"])
    return {
        "id": spec["id"],
        "url": url,
        "published": published,
        "published_precision": published_precision,
        "title": title,
        "text": text,
        "watchlist": spec["watchlist"],
        "statements": statements,
    }


def _seed(spec: dict) -> dict:
    text = (SHARED / "seeds" / f"{spec['seed']}.txt").read_text(encoding="utf-8")
    seeds = [json.loads(line) for line in (OUT.parents[1] / "seeds" / "seeds.jsonl").open(encoding="utf-8")]
    bundled = next(row for row in seeds if row["url"].endswith(spec["seed"]))
    if bundled["text"] != text:
        raise SystemExit(f"{spec['id']}: bundled seed text differs from ../shared/seeds")
    return _document(spec, text, bundled["url"], bundled.get("title"))


def _article(spec: dict, truth: dict) -> dict:
    key = next(k for k in truth if k.startswith(spec["article"]))
    return _document(spec, truth[key]["articleBody"], truth[key]["url"], None)


def _quotes(spec: dict, rows: list[dict]) -> dict:
    row = rows[spec["quotes"]]
    return _document(spec, row["text"], row["url"].replace("shari@informedopinions.org:imUP2date8@", ""), None)


def _write(path: Path, documents: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for document in documents:
            out.write(json.dumps(document, ensure_ascii=False) + "\n")
    total = sum(len(d["statements"]) for d in documents)
    print(f"{path.name}: {len(documents)} documents, {total} gold statements")


def main() -> None:
    truth = json.loads((SHARED / "data" / "articles" / "ground-truth.json").read_text(encoding="utf-8"))
    quote_rows = [json.loads(line) for line in (SHARED / "data" / "quotes" / "quotes.jsonl").open(encoding="utf-8")]
    dev = [_seed(s) for s in SEEDS] + [_article(s, truth) for s in DEV_ARTICLES]
    heldout = [_article(s, truth) for s in HELDOUT] + [_quotes(s, quote_rows) for s in HELDOUT_QUOTES]
    _write(OUT / "dev.jsonl", dev)
    _write(OUT / "heldout.jsonl", heldout)


if __name__ == "__main__":
    main()
