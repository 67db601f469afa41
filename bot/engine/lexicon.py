"""Practitioner vocabulary: words and phrases that mean the same thing in safeguarding talk.

Each concept is a token (prefixed with "~") added beside the words that express it, so that
"mum", "mother" and "carer" all share `~parent`, and a question phrased in one practitioner's
words meets content written in another's. Multi-word phrases are matched before single words.
"""

from __future__ import annotations

CONCEPTS: dict[str, tuple[str, ...]] = {
    "~parent": (
        "mum", "mother", "mom", "mam", "mummy", "dad", "father", "daddy", "parent", "parents",
        "parenting", "stepdad", "stepfather", "stepmum", "stepmother", "guardian", "caregiver",
        "carers", "family", "families",
    ),
    "~male": (
        "dad", "father", "daddy", "stepdad", "stepfather", "boyfriend", "man", "men", "male",
        "males", "uncle", "grandad", "fathers", "partner", "paramour",
    ),
    "~baby": (
        "baby", "babies", "infant", "infants", "newborn", "newborns", "neonate", "month old",
        "months old", "week old", "weeks old", "non mobile", "pre mobile", "premobile",
        "nonmobile", "not yet crawling", "not crawling", "unborn", "pregnant", "pregnancy",
    ),
    "~teen": (
        "teen", "teens", "teenager", "teenagers", "teenage", "adolescent", "adolescents",
        "young person", "young people", "older child", "older children", "yp",
    ),
    "~child": (
        "child", "children", "kid", "kids", "son", "daughter", "pupil", "pupils", "toddler",
        "toddlers", "boy", "girl", "sibling", "siblings", "brother", "sister", "youngster",
    ),
    "~worker": (
        "social worker", "sw", "practitioner", "practitioners", "professional", "professionals",
        "health visitor", "hv", "teacher", "nurse", "gp", "police", "officer", "worker",
        "workers", "keyworker", "staff", "colleague", "colleagues",
    ),
    "~visit": (
        "set eyes on", "lay eyes on", "laid eyes on", "clapped eyes on", "examined", "checked on", "met", "eyes on", "sight of", "visit", "visits", "visited", "visiting", "home visit", "seen", "saw", "see", "sighted"),
    "~engage": (
        "engage", "engaging", "engaged", "engagement", "cooperate", "cooperative", "cooperating",
        "co operate", "co operative", "co operating", "compliant", "comply", "complying",
        "compliance", "attend", "attending", "attends", "turn up", "turns up", "turning up",
        "go along with", "goes along with", "playing the game", "says the right things",
        "all the right things", "say the right things",
    ),
    "~nochange": (
        "nothing changes", "nothing changed", "nothing has changed", "nothing ever changes",
        "no change", "no changes", "no progress", "not changing", "never changes", "same as before",
        "no improvement", "not improved", "nothing improves", "still the same",
    ),
    "~missed": (
        "missed", "misses", "missing appointments", "did not attend", "didn't attend",
        "didnt attend", "dna", "dnas", "no show", "not brought", "wasn't brought", "was not brought",
        "cancel", "cancelled", "cancels", "cancelling", "didn't turn up", "didnt turn up",
        "did not turn up", "didn't bring", "not attending", "non attendance", "nonattendance",
    ),
    "~appointment": (
        "appointment", "appointments", "clinic", "check up", "checkup", "immunisation",
        "immunisations", "vaccination", "jabs", "dentist", "hospital appointment",
    ),
    "~injury": (
        "bruise", "bruises", "bruising", "bruised", "injury", "injuries", "injured", "mark",
        "marks", "fracture", "fractures", "burn", "burns", "nai", "non accidental",
    ),
    "~hit": (
        "assault", "assaulted", "assaulting", "attacked", "violent", 
        "hit", "hits", "hitting", "hurt", "hurts", "hurting", "beat", "beats", "beaten", "slap",
        "slapped", "punch", "punched", "kick", "kicked", "smack", "smacked", "strangled",
    ),
    "~substance": (
        "alcohol", "drink", "drinking", "drunk", "drugs", "drug", "substance", "substances",
        "cannabis", "heroin", "cocaine", "methadone", "addiction", "addict",
    ),
    "~mentalhealth": (
        "ptsd", "trauma", "self medicating", "personality disorder", "schizophrenia", "mentally ill", 
        "mental health", "depression", "depressed", "anxiety", "psychosis", "mental illness",
        "low mood", "bipolar", "postnatal depression", "breakdown",
    ),
    "~violence": (
        "domestic abuse", "domestic violence", "dv", "da", "violence", "violent", "coercive",
        "controlling", "coercive control", "marac", "idva",
    ),
    "~record": (
        "record", "records", "recording", "recorded", "notes", "case notes", "chronology",
        "chronologies", "write up", "writing up", "documented", "documenting", "case file", "file",
    ),
    "~share": (
        "permission", "allowed to tell", "can i tell", "pass information", 
        "share", "sharing", "shared", "pass on", "passed on", "inform", "informed", "tell",
        "told", "let them know", "consent", "gdpr", "data protection", "confidentiality",
    ),
    "~agree": (
        "agree", "agreed", "agreement", "consensus", "everyone agreed", "all agreed",
        "unanimous", "groupthink", "group think", "go along", "lone voice", "only one",
        "minority view", "outvoted",
    ),
    "~challenge": (
        "wrong call", "wrong decision", "raise it", "raise a concern", "speak up", "question the decision", "nfa", "no further action", "closed the case", 
        "disagree", "disagreed", "disagreement", "challenge", "challenging", "challenged",
        "escalate", "escalation", "escalating", "dispute", "resolution", "overruled",
        "not happy with the decision", "push back",
    ),
    "~manager": ("manager", "managers", "supervisor", "team manager", "line manager", "senior"),
    "~supervision": (
        "traumatic", "trauma", "distressing", "disturbing", "upsetting", "burnout", "burnt out", "switch off", "wellbeing", "vicarious", "supervision", "supervisions", "debrief", "debriefs", "support", "reflective supervision"),
    "~meeting": (
        "chair", "chaired", "conference chair", "panel", 
        "meeting", "meetings", "conference", "core group", "strategy meeting", "strategy discussion",
        "case conference", "child protection conference", "tac", "team around the child",
    ),
    "~school": ("school", "schools", "teacher", "teachers", "college", "nursery", "classroom", "dsl"),
    "~online": (
        "online", "internet", "snapchat", "instagram", "tiktok", "whatsapp", "social media",
        "app", "apps", "messaging", "texting", "texts", "images", "photos", "nudes", "sexting",
        "webcam", "gaming",
    ),
    "~exploit": (
        "exploit", "exploitation", "exploited", "exploiting", "groom", "grooming", "groomed",
        "older boyfriend", "older man", "older men", "older males", "cse", "gifts", "county lines",
    ),
    "~optimism": (
        "optimism", "optimistic", "hopeful", "positive", "best of", "benefit of the doubt",
        "rose tinted", "looking on the bright side", "doing so well", "doing really well",
        "turned a corner",
    ),
    "~neglect": (
        "neglect", "neglected", "neglectful", "dirty", "smelly", "unkempt", "no food", "hungry",
        "empty fridge", "messy", "squalor", "home conditions", "poor conditions", "head lice",
        "nits", "unwashed", "same clothes", "dental decay", "rotten teeth",
    ),
    "~history": (
        "history", "histories", "previous", "previously", "past", "background", "known to",
        "before", "earlier", "prior",
    ),
    "~restart": (
        "new worker", "new social worker", "reopened", "re opened", "re referral", "rereferral",
        "re referred", "fresh start", "clean slate", "start again", "starting again",
        "from scratch", "transferred", "handed over", "new team", "case closed and reopened",
    ),
    "~delay": (
        "stall", "stalled", "stalling", "timely", "postponed", "rolled over", "rolls over", "on hold", 
        "drift", "drifting", "delay", "delayed", "delays", "stuck", "nothing happening",
        "waiting", "slow", "overdue", "months", "dragging", "timescales", "timescale",
    ),
    "~language": (
        "interpreter", "english", "translator", "translate", "language", "first language",
        "learning disability", "learning disabilities", "learning difficulty",
        "learning difficulties", "easy read", "accessible",
    ),
    "~hostile": (
        "hostile", "hostility", "aggressive", "aggression", "angry", "threatening", "threatened",
        "intimidating", "intimidated", "shouted", "shouting", "evasive", "avoid", "avoiding",
        "avoidant", "refuses", "refused", "refusing", "won't let me in", "wont let me in",
        "slammed the door", "uncooperative", "scared of dad", "scared of him",
    ),
    "~selfharm": (
        "self harm", "selfharm", "self harming", "cutting", "suicide", "suicidal", "overdose",
        "ligature", "kill herself", "kill himself", "kill themselves",
    ),
    "~assume": (
        "low income", "benefits", "deprived", "deprivation", "judgemental", 
        "assume", "assumed", "assumption", "assumptions", "presume", "presumed", "stereotype",
        "stereotypes", "culture", "cultural", "religion", "religious", "belief", "beliefs",
        "poverty", "poor", "diversity", "equality", "ethnicity", "race", "traveller",
    ),
    "~attachment": (
        "keen to please", "well behaved", "responsive", "responsiveness", "warmth", "warm", "loving", "interacts", "compliant child", 
        "attachment", "attached", "bond", "bonded", "bonding", "smiling", "smiles", "smiley",
        "happy", "eager to please", "clingy", "affectionate", "cuddles", "interaction",
    ),
    "~voice": (
        "voice", "wishes and feelings", "wishes", "feelings", "lived experience",
        "day in the life", "views", "what the child says", "non verbal", "nonverbal",
        "disabled", "disability", "autistic", "autism", "speak to the child", "talk to the child",
    ),
    "~curious": (
        "curious", "curiosity", "inquisitive", "check", "checking", "verify", "verified",
        "question", "questioning", "dig deeper", "probe", "face value", "taken at face value",
        "believe", "believed", "take their word",
    ),
    "~threshold": (
        "threshold", "thresholds", "level of need", "step up", "step down", "stepped up",
        "stepped down", "early help", "cin", "child in need", "section 47", "s47", "section 17",
        "escalating risk", "risk has changed", "risk changing",
    ),
    "~caring": (
        "shopping", "cleaning", "cooking", "cooks", "medication", "meds", "does the chores", "housework", 
        "caring for", "cares for", "looks after", "look after", "looking after", "young carer",
        "young carers", "caring role", "caring responsibilities",
    ),
    "~review": (
        "serious case review", "serious case reviews", "scr", "scrs", "cspr", "csprs",
        "practice review", "learning review", "case review", "national panel",
        "safeguarding practice review",
    ),
    "~genogram": (
        "mapping", "map the family", "wider family", "extended family", "network around", "family network", 
        "genogram", "genograms", "ecomap", "ecomaps", "family tree", "who lives", "who is in the house",
        "household", "visitors to the home", "new partner", "partners",
    ),
    "~agency": (
        "agency", "agencies", "multi agency", "multiagency", "partner agencies", "health",
        "education", "police", "housing", "probation", "camhs", "adult services",
        "lead professional",
    ),
    "~difficulttalk": (
        "difficult conversation", "difficult conversations", "hard conversation", "bad news",
        "won't want to hear", "wont want to hear", "don't want to hear", "tell them something",
        "jargon", "plain english", "plain language", "understood", "understand",
    ),
    "~everyone": (
        "everyone's responsibility", "everyones responsibility", "only the job", "not my job",
        "my job", "my role", "receptionist", "caretaker", "kitchen", "dinner lady", "lunchtime",
        "minibus", "driver", "cleaner", "volunteer", "volunteers", "admin", "front desk",
        "section 11", "whistleblowing", "whistleblow", "safe recruitment",
    ),
    "~reflect": (
        "reflect", "reflecting", "reflection", "reflective", "going well", "working well",
        "what worries us", "worried about", "needs to happen", "team meeting", "pod", "huddle",
        "learning", "think about our cases",
    ),
}
