"""Practitioner vocabulary: words and phrases that mean the same thing in safeguarding talk.

Each concept is a token (prefixed with "~") added beside the words that express it, so that
"mum", "mother" and "carer" all share `~parent`, and a question phrased in one practitioner's
words meets content written in another's. Phrases are matched on word stems and skip small
filler words ("the", "her", "their"), so "take her word for it" meets "take their word" and
"passing on" meets "pass on": list one form of a phrase, not every inflection.

A concept only helps if it is specific. A member that appears across most themes ("support",
"feelings", "check") makes the whole concept say nothing, so keep generic words out.
"""

from __future__ import annotations


# fmt: off
def _pairs(firsts: tuple[str, ...], seconds: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{a} {b}" for a in firsts for b in seconds)


# "dad hit mum", "he threatens his partner": violence between adults, not towards the worker.
_PARTNER_ABUSE = _pairs(
    ("hit", "beat", "hurt", "threaten", "shout at", "scream at", "push", "strangle", "choke", "control",
     "attack", "assault", "abuse", "punch", "kick", "slap"),
    ("mum", "mother", "wife", "girlfriend", "partner", "husband"),
)
# "I assumed the school was on it": taking another agency's involvement as action.
_ASSUMED_SOMEONE_ELSE = _pairs(
    ("assumed", "presumed", "thought"),
    ("the health visitor", "the school", "social care", "children's services", "the social worker",
     "the gp", "the police", "camhs", "someone", "another agency", "the other agency"),
)
# "can I tell the school", "should they be telling children's services".
_TELLING_AN_AGENCY = _pairs(
    ("tell", "telling", "told", "inform", "informed", "let"),
    ("the school", "children's services", "children's social care", "social care", "social services",
     "the police", "the gp", "health visitor", "the nursery", "adult services", "other agencies",
     "the council", "the mash"),
)

CONCEPTS: dict[str, tuple[str, ...]] = {
    # People in a parenting role.
    "~parent": (
        "mum", "mother", "mom", "mam", "mummy", "dad", "father", "daddy", "parent", "parents",
        "parenting", "stepdad", "stepfather", "stepmum", "stepmother", "guardian", "caregiver",
        "carers", "family", "families",
    ),
    # Men in and around the household (fathers, partners, "hidden" men).
    "~male": (
        "dad", "father", "daddy", "stepdad", "stepfather", "boyfriend", "man", "men", "male",
        "males", "uncle", "grandad", "fathers", "partner", "paramour",
    ),
    # Babies, including the non-mobile: ages are also read from "3 month old".
    "~baby": (
        "baby", "babies", "infant", "infants", "newborn", "newborns", "neonate", "month old",
        "months old", "week old", "weeks old", "non mobile", "pre mobile", "premobile", "nonmobile",
        "not yet crawling", "not crawling", "unborn", "pregnant", "pregnancy",
    ),
    # Adolescents and older children.
    "~teen": (
        "teen", "teens", "teenager", "teenagers", "teenage", "adolescent", "adolescents",
        "young person", "young people", "older child", "older children", "yp",
    ),
    # Children of any age.
    "~child": (
        "child", "children", "kid", "kids", "son", "daughter", "pupil", "pupils", "toddler",
        "toddlers", "boy", "girl", "sibling", "siblings", "brother", "sister", "youngster",
    ),
    # Practitioners of every kind.
    "~worker": (
        "social worker", "sw", "practitioner", "practitioners", "professional", "professionals",
        "health visitor", "hv", "teacher", "nurse", "gp", "police", "police officer",
        "probation officer", "worker", "workers", "keyworker", "staff", "colleague", "colleagues",
    ),
    # Setting eyes on a child or family.
    "~visit": (
        "set eyes on", "lay eyes on", "laid eyes on", "clapped eyes on", "examined", "checked on",
        "eyes on", "sight of", "visit", "visits", "visited", "visiting", "home visit", "seen",
        "saw", "see", "sighted",
    ),
    # Turning up and agreeing: participation that can hide no change.
    "~engage": (
        "engage", "engaging", "engaged", "engagement", "cooperate", "cooperative", "cooperating",
        "co operate", "co operative", "co operating", "compliant", "comply", "complying",
        "compliance", "attend", "attending", "attends", "turn up", "turns up", "turning up",
        "go along with", "goes along with", "playing the game", "says the right things",
        "all the right things", "say the right things", "nod along", "nods along", "nodding along",
        "agree with everything", "agree to everything", "yes to everything", "what i want to hear",
        "what we want to hear", "what you want to hear",
        "tick all the boxes", "ticks all the boxes", "tick the boxes", "ticking boxes",
        "box ticking", "going through the motions", "lip service", "paying lip service",
    ),
    # Nothing is different for the child.
    "~nochange": (
        "nothing changes", "nothing changed", "nothing has changed", "nothing ever changes",
        "no change", "no changes", "no progress", "not changing", "never changes", "same as before",
        "no improvement", "not improved", "nothing improves", "still the same",
        "nothing is different", "anything is different", "no different", "not any different",
        "nothing different",
    ),
    # Appointments a child was not brought to.
    "~missed": (
        "missed", "misses", "missing appointments", "did not attend", "didn't attend",
        "didnt attend", "dna", "dnas", "no show", "not brought", "wasn't brought",
        "was not brought", "cancel appointment", "cancelled appointment", "cancels appointments",
        "cancel clinic", "didn't turn up", "didnt turn up", "failed to attend", "fta", "discharged",
        "discharge", "no shows", "missed appointment", "missed check", "did not turn up",
        "didn't bring", "not attending", "non attendance", "nonattendance",
    ),
    # Health and clinic appointments.
    "~appointment": (
        "appointment", "appointments", "clinic", "check up", "checkup", "immunisation",
        "immunisations", "vaccination", "jabs", "dentist", "hospital appointment",
    ),
    # Marks and injuries.
    "~injury": (
        "bruise", "bruises", "bruising", "bruised", "injury", "injuries", "injured", "mark",
        "marks", "fracture", "fractures", "burn", "burns", "nai", "non accidental", "black eye",
        "split lip", "cut lip",
    ),
    # Physical violence.
    "~hit": (
        "assault", "assaulted", "assaulting", "attacked", "violent", "hit", "hits", "hitting",
        "hurt", "hurts", "hurting", "beat", "beats", "beaten", "slap", "slapped", "punch",
        "punched", "kick", "kicked", "smack", "smacked", "strangled",
    ),
    # Alcohol and drugs.
    "~substance": (
        "alcohol", "drink", "drinking", "drunk", "drugs", "drug", "substance", "substances",
        "cannabis", "heroin", "cocaine", "methadone", "addiction", "addict", "misuse",
        "substance misuse", "drinker", "weed", "crack", "spice", "ketamine", "pills", "stoned",
        "addicted", "alcoholic", "rehab", "drug treatment", "detox", "relapse", "relapsed",
    ),
    # Mental ill health.
    "~mentalhealth": (
        "ptsd", "trauma", "self medicating", "personality disorder", "schizophrenia",
        "mentally ill", "mental health", "depression", "depressed", "anxiety", "psychosis",
        "mental illness", "low mood", "bipolar", "postnatal depression", "breakdown",
        "mental ill health", "mentally unwell", "sectioned", "psychiatric", "ocd", "hearing voices",
        "paranoid", "crisis team", "mental health services", "postnatal",
    ),
    # Domestic abuse, including violence by one partner towards the other.
    "~violence": (
        "domestic abuse", "domestic violence", "dv", "da", "violence", "violent", "coercive",
        "controlling", "coercive control", "marac", "idva", "domestic", "domestics",
        "domestic incident", "argue", "arguing", "arguments", "row", "rows", "fight", "fights",
        "fighting", "witness", "witnessed", "witnessing", "overheard", "heard the fight",
        *_PARTNER_ABUSE,
    ),
    # Records, notes and chronologies.
    "~record": (
        "record", "records", "recording", "recorded", "notes", "case notes", "chronology",
        "chronologies", "write up", "writing up", "documented", "documenting", "case file", "file",
    ),
    # Passing information on, and the rules about it.
    "~share": (
        "permission", "allowed to tell", "pass information", "share", "sharing", "shared",
        "pass on", "passed on", "let them know", "consent", "gdpr", "data protection",
        "confidentiality", "confidential", "need to know", "share information", "allowed to share",
        "breach",
        *_TELLING_AN_AGENCY,
    ),
    # Professional agreement and the lone dissenting voice.
    "~agree": (
        "agree", "agreed", "agreement", "consensus", "everyone agreed", "all agreed", "unanimous",
        "groupthink", "group think", "go along", "lone voice", "only one", "minority view",
        "outvoted", "everyone else", "whole network", "everyone thinks", "majority",
        "only one worried", "only person worried", "drop my worries", "rock the boat",
    ),
    # Disagreeing with a decision and escalating it.
    "~challenge": (
        "wrong call", "wrong decision", "raise a concern", "speak up", "question the decision",
        "nfa", "no further action", "closed the case", "disagree", "disagreed", "disagreement",
        "challenge", "challenging", "challenged", "escalate", "escalation", "escalating", "dispute",
        "resolution", "overruled", "not happy with the decision", "push back",
        "won't accept my referral", "referral rejected", "referral declined", "turned down",
        "still worried", "still concerned", "still really worried",
    ),
    # Managers and seniors.
    "~manager": (
        "manager", "managers", "supervisor", "team manager", "line manager", "senior",
    ),
    # Supervision, and the toll the work takes.
    "~supervision": (
        "traumatic", "trauma", "distressing", "disturbing", "upsetting", "burnout", "burnt out",
        "switch off", "wellbeing", "vicarious", "supervision", "supervisions", "debrief",
        "debriefs", "reflective supervision", "can't stop thinking", "cant stop thinking",
        "getting to me", "emotional toll", "secondary trauma", "compassion fatigue", "stressed",
        "overwhelmed", "out of my depth",
    ),
    # Meetings and conferences.
    "~meeting": (
        "chair", "chaired", "conference chair", "panel", "meeting", "meetings", "conference",
        "core group", "strategy meeting", "strategy discussion", "case conference",
        "child protection conference", "tac", "team around the child",
    ),
    # Schools and education settings.
    "~school": (
        "school", "schools", "teacher", "teachers", "college", "nursery", "classroom", "dsl",
    ),
    # Online life and apps.
    "~online": (
        "online", "internet", "snapchat", "instagram", "tiktok", "whatsapp", "social media", "app",
        "apps", "texting", "texts", "images", "photos", "nudes", "sexting", "webcam", "gaming",
    ),
    # Grooming and exploitation.
    "~exploit": (
        "exploit", "exploitation", "exploited", "exploiting", "groom", "grooming", "groomed",
        "older boyfriend", "older man", "older men", "older males", "cse", "gifts", "county lines",
    ),
    # Hopeful readings of a family, and lowered expectations.
    "~optimism": (
        "optimism", "optimistic", "hopeful", "positive", "best of", "benefit of the doubt",
        "rose tinted", "looking on the bright side", "doing so well", "doing really well",
        "turned a corner", "turning a corner", "expectations", "low expectations",
        "lowered the bar", "lower the bar", "getting better", "things are improving",
        "explain away", "explained away", "explaining away", "blip", "blips", "hoping", "hope",
        "hopefully", "strengths", "tough patch", "bad patch", "naive", "too trusting", "how well",
        "doing well",
        "see the good", "good side", "too positive",
    ),
    # Neglect and home conditions.
    "~neglect": (
        "neglect", "neglected", "neglectful", "dirty", "smelly", "unkempt", "no food", "hungry",
        "empty fridge", "messy", "squalor", "home conditions", "poor conditions", "head lice",
        "nits", "unwashed", "same clothes", "dental decay", "rotten teeth", "no coat", "no coats",
        "without coats", "go without", "going without", "hygiene", "smell", "smells", "filthy",
        "nappy rash", "not fed", "underweight", "failure to thrive", "faltering growth",
        "no heating", "mould", "dog mess", "hoarding", "no beds", "no bed", "mattress on the floor",
        "sleep on the floor", "no bedding", "no food in the house",
    ),
    # A family's history and past involvement.
    "~history": (
        "history", "histories", "previous", "previously", "past", "known to",
    ),
    # Cases reopened, re-referred or handed over and started afresh.
    "~restart": (
        "new worker", "new social worker", "reopened", "re opened", "re referral", "rereferral",
        "re referred", "fresh start", "clean slate", "start again", "starting again",
        "from scratch", "transferred", "handed over", "new team", "case closed and reopened",
        "new referral", "every referral", "each referral", "in isolation", "taken over",
        "took over", "handover", "brand new", "opened and closed", "without reading the file",
        "previous assessments", "old file", "referred again", "referral again", "old referrals",
        "previous referrals", "past referrals", "back again", "same concerns again",
        "previous worker", "last worker", "old notes", "not read", "weren't read", "didn't read",
        "nobody read",
    ),
    # Drift: waiting, stalling and plans that go on and on.
    "~delay": (
        "stall", "stalled", "stalling", "postponed", "rolled over", "rolls over", "on hold",
        "drift", "drifting", "delay", "delayed", "delays", "stuck", "nothing happening", "waiting",
        "slow", "overdue", "dragging", "timescales", "timescale", "nothing has moved",
        "nothing moved", "not moved", "hasn't moved", "not moving", "not progressed", "been open",
        "open for", "for ages", "still waiting", "not been updated", "hasn't been updated",
        "put back", "pushed back", "round in circles", "ticking along", "same actions", "postpone",
        "waiting list", "forever", "for years", "too long", "so long", "long time",
        "taken months", "taken six months", "taken weeks", "taking months", "taking weeks",
        "taken so long", "taking so long", "months to get", "weeks to get",
    ),
    # Language, interpreters and accessible formats.
    "~language": (
        "interpreter", "english", "translator", "translate", "language", "first language",
        "learning disability", "learning disabilities", "learning difficulty",
        "learning difficulties", "easy read", "accessible",
    ),
    # Hostility, evasion and avoidance towards practitioners, and their safety.
    "~hostile": (
        "hostile", "hostility", "aggressive", "aggression", "angry", "threatening", "threatened",
        "intimidating", "intimidated", "shouted", "shouting", "evasive", "avoid", "avoiding",
        "refuses", "refused", "refusing", "won't let me in", "wont let me in", "slammed the door",
        "uncooperative", "scared of dad", "scared of him", "cancel visit", "cancel home visit",
        "cancels visits", "cancelled visit", "rearrange visit", "rearranges visits",
        "open the door", "never in", "not in when", "avoids us", "avoid us", "avoid contact",
        "avoids contact", "dodge", "dodging", "hiding", "ignore my calls", "ignores calls",
        "never ring back", "not returning calls", "swears at me", "swearing at", "temper",
        "reluctant", "resistant", "resistance", "deception", "deceptive", "lying", "lies to",
        "complaint about me", "complain about me", "terrified we'll take", "scared we'll take",
        "frightened we'll take", "shouts at me", "shouted at me", "swore at me", "threatens me",
        "threatened me", "threatening me", "aggressive towards me", "aggressive to me",
        "abusive to me", "abusive towards me", "intimidates me", "let me in", "let us in",
        "report me", "films me", "avoid me", "avoids me", "avoiding me", "avoiding us",
        "hide from us", "hides from us", "answer my calls", "answer the phone", "return my calls",
        "always out", "out when i visit", "never home", "not home when", "stay safe",
        "personal safety", "lone working", "visit alone", "visiting alone",
    ),
    # Self-harm and suicide.
    "~selfharm": (
        "self harm", "selfharm", "self harming", "cutting", "suicide", "suicidal", "overdose",
        "ligature", "kill herself", "kill himself", "kill themselves",
    ),
    # Assumptions, bias and stereotypes (culture, class, poverty, faith).
    "~assume": (
        "low income", "benefits", "deprived", "deprivation", "assume", "assumed", "assumption",
        "assumptions", "presume", "presumed", "stereotype", "stereotypes", "culture", "cultural",
        "religion", "religious", "belief", "beliefs", "poverty", "poor", "diversity", "equality",
        "ethnicity", "race", "traveller", "values", "own values", "bias", "biased", "biases",
        "prejudice", "prejudiced", "stereotyping", "wealthy", "middle class", "affluent",
        "well off", "professional parents", "nice family",
    ),
    # Warmth, bonding and over-compliant children.
    "~attachment": (
        "keen to please", "well behaved", "warmth", "warm", "loving", "interacts",
        "compliant child", "attachment", "attached", "bond", "bonded", "bonding", "smiling",
        "smiles", "smiley", "happy", "eager to please", "clingy", "affectionate", "cuddles",
        "interaction", "obedient", "does as told", "does what told", "does everything told",
        "never makes a fuss", "makes no fuss", "never fusses", "never cries", "never complains",
        "too good", "frozen watchfulness", "everything she's told", "everything he's told",
        "what she's told", "what he's told", "as she's told", "as he's told", "what they're told",
        "best behaviour", "desperate to please", "doesn't cry", "does not cry", "passive",
        "withdrawn", "no reaction",
    ),
    # The child's own views, words and daily experience.
    "~voice": (
        "voice", "wishes and feelings", "wishes", "lived experience", "day in the life",
        "what the child says", "non verbal", "nonverbal", "autistic", "autism",
        "speak to the child", "talk to the child", "ordinary day", "daily life", "everyday life",
        "day to day life", "what life is like", "life is like", "how she feels", "how he feels",
        "how they feel", "how the child feels", "asked the child", "ask the child",
        "asking the child", "nobody asked", "no one asked", "nobody has asked", "in their shoes",
        "child's shoes", "direct work", "listen to the child", "child's perspective",
        "child's view", "child's views", "what the child wants", "not listened to",
        "views of the child", "child's feelings", "child's wishes", "what he thinks",
        "what she thinks", "what they think", "what the child thinks", "gets asked", "get asked",
        "never made it into", "made it into the plan", "left out of the plan", "not in the plan",
        "what it's like to be", "what it is like to be", "like for this child",
        "like for the child", "child's world",
        "drew a picture", "drawing", "drawings", "through play", "three houses",
        "words and pictures",
    ),
    # Checking, probing and not taking accounts at face value.
    "~curious": (
        "curious", "curiosity", "inquisitive", "verify", "verified", "dig deeper", "probe",
        "face value", "taken at face value", "take their word", "take her word", "take his word",
        "word for it", "pry", "prying", "nosy", "nosey", "intrusive", "doesn't add up",
        "don't add up", "didn't add up", "not add up", "does not add up", "something isn't right",
        "something is not right", "something's not right", "something not right", "feels off",
        "ask more questions", "awkward questions", "plausible", "checking up", "checked out",
        "question what", "didn't ask", "did not ask", "didn't question", "didn't follow it up",
        "never questioned", "story keeps changing", "account keeps changing",
        "explanation keeps changing", "story changes", "inconsistent account",
        "inconsistent explanation", "different explanations", "different stories", "parents' word",
        "mum's word", "dad's word", "on trust", "at their word", "didn't check", "did not check",
        "without checking", "never checked",
        "didn't look", "did not look", "other rooms", "other bedrooms", "look around the house",
        "see the bedrooms",
    ),
    # Levels of need and risk that changes.
    "~threshold": (
        "threshold", "thresholds", "level of need", "step up", "step down", "stepped up",
        "stepped down", "early help", "cin", "child in need", "section 47", "s47", "section 17",
        "escalating risk", "risk has changed", "risk changing", "level 2", "level 3", "level 4",
        "tipped", "tipping point", "getting worse", "risk increasing", "significant harm",
        "situation has changed", "things have changed", "weigh up", "weighing up",
        "signs of safety", "protective factors", "risk factors", "dangers", "circumstances change",
        "circumstances changed", "change in circumstances", "changes in circumstances",
        "situation is escalating", "things are escalating", "escalating quickly",
        "getting worse quickly", "deteriorating", "deteriorated",
    ),
    # Children caring for family members.
    "~caring": (
        "shopping", "cleaning", "cooking", "cooks", "medication", "meds", "does the chores",
        "housework", "caring for", "cares for", "looks after", "look after", "looking after",
        "young carer", "young carers", "caring role", "caring responsibilities", "looks after mum",
        "looking after mum", "cares for mum", "caring for mum", "looks after dad", "cooks tea",
        "cooks dinner", "makes dinner", "does the shopping", "helps mum", "helps dad",
        "disabled mum", "disabled parent", "disabled brother", "disabled sister", "too ill",
        "unwell parent", "poorly", "ms", "multiple sclerosis", "wheelchair",
    ),
    # Serious case reviews and practice reviews.
    "~review": (
        "serious case review", "serious case reviews", "scr", "scrs", "cspr", "csprs",
        "practice review", "learning review", "case review", "national panel",
        "safeguarding practice review",
    ),
    # Who is in the family and the household.
    "~genogram": (
        "mapping", "map the family", "wider family", "extended family", "network around",
        "family network", "genogram", "genograms", "ecomap", "ecomaps", "family tree", "who lives",
        "who is in the house", "visitors to the home", "new partner", "partners", "new boyfriend",
        "stays over", "staying over", "stays the night", "lodger", "who else lives",
        "adults in the house", "men in the house", "father figure", "absent father", "uncle",
        "aunt", "aunty", "grandparents", "kinship", "significant adults", "adults around",
        "important people", "adults in the child's life", "who else", "significant people",
    ),
    # Agencies and services.
    "~agency": (
        "agency", "agencies", "multi agency", "multiagency", "partner agencies", "health",
        "education", "police", "housing", "probation", "camhs", "adult services",
        "lead professional",
    ),
    # Hard conversations and being understood.
    "~difficulttalk": (
        "difficult conversation", "difficult conversations", "hard conversation", "bad news",
        "won't want to hear", "wont want to hear", "don't want to hear", "tell them something",
        "jargon", "plain english", "plain language", "acronyms", "didn't understand",
        "don't understand", "not understand", "not understood", "understand the plan", "confusing",
        "confusion", "misunderstood", "misunderstanding", "explain to parents",
    ),
    # Safeguarding duties of every role and organisation.
    "~everyone": (
        "everyone's responsibility", "everyones responsibility", "only the job", "not my job",
        "receptionist", "caretaker", "kitchen", "dinner lady", "lunchtime", "minibus", "driver",
        "cleaner", "volunteer", "volunteers", "admin", "front desk", "section 11", "whistleblowing",
        "whistleblow", "safe recruitment", "colleague's behaviour", "report a colleague",
        "allegation against staff", "allegation about a colleague", "lado",
        "behaviour towards children",
    ),
    # Reflecting on cases as a team.
    "~reflect": (
        "reflect", "reflecting", "reflection", "reflective", "going well", "working well",
        "what worries us", "needs to happen", "team meeting", "pod", "huddle",
        "think about our cases",
    ),
    # First impressions that never change.
    "~fixed": (
        "first impression", "first impressions", "first view", "early judgement", "made my mind up",
        "made up my mind", "mind made up", "made our minds up", "change my mind", "change my view",
        "reconsider", "rethink", "second guess", "never gone back", "set in stone", "fixed view",
        "fixed views", "rigid", "closed mind", "open mind", "open minded", "blinkered",
        "tunnel vision", "confirmation bias", "preconceived", "preconception", "pigeonholed",
        "labelled", "decided early", "early on", "made up our minds", "stuck to",
        "revisit my judgement", "revisit a judgement", "revisit my view", "other explanation",
        "alternative explanation", "other possibilities", "won't consider", "only one explanation",
        "one explanation",
    ),
    # Assuming someone else is dealing with it.
    "~covered": (
        *_ASSUMED_SOMEONE_ELSE,
        "someone else", "another agency", "other agencies are involved", "already involved",
        "already known", "already has a social worker", "on top of it", "dealt with",
        "left it with", "stepped back", "in hand", "someone must", "so i assume", "so i assumed",
        "so we assumed", "so i thought", "so we thought", "so i don't need", "so i left it",
        "so we left it", "is involved so", "are involved so", "involved so", "someone is dealing",
        "someone else is dealing", "must be on top of", "lots of professionals", "lots of services",
        "many professionals", "so many professionals", "professionals around",
        "professionals involved", "services involved",
    ),
    # Going missing and staying out.
    "~missing": (
        "missing from home", "goes missing", "going missing", "missing episodes", "runaway",
        "ran away", "runs away", "absconding", "out all night", "overnight",
    ),
    # Not wanting to believe a trusted adult could harm a child.
    "~unthinkable": (
        "could be abusing", "could be harming", "could be hurting", "capable of", "can't believe",
        "cannot believe", "hard to believe", "unthinkable", "wouldn't hurt", "would never hurt",
        "too nice", "lovely family", "respectable",
        "worst case", "worst possible", "worst explanation", "worst case scenario",
    ),
    # A child telling someone.
    "~disclose": (
        "disclose", "disclosed", "discloses", "disclosing", "disclosure", "disclosures",
        "opened up", "told me", "told us", "told school", "told the teacher",
    ),
    # Assessing again as things change.
    "~reassess": (
        "reassess", "reassessing", "reassessed", "reassessment", "re assess",
        "update the assessment", "review the assessment", "revisit the assessment",
        "redo", "redo the assessment",
    ),
    # A child who was not actually seen.
    "~unseen": (
        "asleep", "in bed", "napping", "sleeping", "didn't wake", "not seen", "haven't seen",
        "never seen", "wasn't there", "weren't there", "weren't home", "wasn't home",
        "under a blanket", "only saw", "glimpse", "briefly", "through the window", "in the pram",
    ),
    # Young people seen as the problem rather than at risk.
    "~blamed": (
        "criminal rather than", "seen as a criminal", "offender", "youth offending", "criminalised",
        "rather than a victim", "troublemaker", "antisocial behaviour", "anti social behaviour",
        "streetwise", "lifestyle choice", "lifestyle choices",
        "putting himself at risk", "putting herself at risk", "putting themselves at risk",
    ),
    # Agencies working to one plan.
    "~coordinate": (
        "coordinate", "coordinating", "co ordinate", "co ordinating", "coordination", "joined up",
        "same page", "working together", "joint plan", "team around the family",
        "team around the child", "taf", "professionals meeting", "who is doing what",
        "different plans", "silos",
        "with each other", "talk to each other", "speak to each other",
    ),
    # Fear.
    "~fear": (
        "scared", "afraid", "frightened", "terrified", "fearful", "fear", "petrified",
        "worried we'll",
    ),
    # A home or a show put on for announced visits.
    "~staged": (
        "announced visit", "announced visits", "unannounced", "drop in", "knows i'm coming",
        "knew i was coming", "know we're coming", "tidied up", "tidy up", "cleaned up before",
        "spotless", "looking perfect", "immaculate", "show home", "put on a show",
    ),
    # Several problems at once.
    "~combined": (
        "combination", "combined", "all three", "all at once", "at the same time", "trio",
        "co occurring", "overlapping", "multiple problems", "several problems",
    ),
}
# fmt: on

# Everyday workplace and small-talk phrases that no theme is about. A question word inside one
# of these counts as unexplained by every theme, however common the word is in our content:
# "meeting" in "book a meeting room", "share" in "share my screen", "background" in "desktop
# background". They are matched word for word (no stemming), so list the forms people type, and
# keep them unmistakable so that safeguarding talk is never caught.
# fmt: off
OFF_TOPIC: tuple[str, ...] = (
    # IT and office software
    "password", "passwords", "log in", "login", "laptop", "laptops", "my computer", "printer",
    "printers", "printing", "scanner", "vpn", "wifi", "wi fi", "outlook", "email account", "inbox",
    "microsoft teams", "ms teams", "on teams", "my teams", "teams call", "teams calls",
    "teams meeting", "teams meetings", "teams channel", "teams chat", "zoom call", "zoom link",
    "share my screen", "sharing my screen", "screen share", "screen sharing", "desktop",
    "wallpaper", "software", "install", "helpdesk", "help desk", "service desk", "it support",
    "keyboard", "headset", "word document", "pdf", "excel", "spreadsheet", "powerpoint",
    "out of office", "email signature", "onedrive", "sharepoint", "bluetooth", "phone charger",
    # pay, leave and HR admin
    "annual leave", "sick leave", "sick pay", "book leave", "payroll", "payslip", "pay slip",
    "salary", "pay rise", "pension", "mileage", "expenses claim", "claim expenses", "overtime",
    "timesheet", "timesheets", "flexible working", "part time staff", "part time hours",
    "hybrid working", "maternity leave", "paternity leave", "bank holiday", "bank holidays",
    "fit note", "bank details", "notice period", "dress code", "cv", "car allowance", "lease car",
    "staff discount", "christmas party",
    # buildings and facilities
    "meeting room", "meeting rooms", "book a room", "room booking", "desk booking", "hot desk",
    "car park", "parking", "canteen", "vending machine", "fire alarm", "air conditioning",
    "photocopier",
    # life outside work and small talk
    "weather", "joke", "jokes", "the football", "football match", "football score", "a film",
    "films", "recipe", "recipes", "roast", "capital of", "train times", "bus times", "savings",
    "isa", "mortgage", "stocks and shares", "horoscope", "lottery", "into spanish", "into french",
    "into polish", "into german", "into arabic", "into urdu", "blue badge", "council tax",
    "tv licence", "a poem",
)
# fmt: on
