"""What a typed reply to a pending question means, in French or English.

The bot asks things (where do you live? go on? is everything right? which address?); people
answer in words rather than with the buttons: « france », "UE", "yep", « ouais d'accord »,
"my email is ann@example.com", "wait, wrong email", "in English please". These functions read
such replies; `core.dialogue` and the conversation service decide what to do with them. They
never guess: an ambiguous reply ("CA": California or Canada?) is reported as such so the
question is asked again.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

from privbot.core.model import Jurisdiction, Language
from privbot.core.text import normalise, tokens


# --- yes / no -------------------------------------------------------------------------------
class Answer(StrEnum):
    YES = "yes"
    NO = "no"


_YES_EN = {
    "yes", "yeah", "yea", "yep", "yup", "yap", "ya", "yah", "yeh", "y", "ye", "yess", "yse",
    "yez", "ues", "sure", "of course", "go on", "go ahead", "confirm", "confirmed",
    "i confirm", "correct", "right", "alright", "all right", "exactly", "absolutely",
    "definitely", "certainly", "indeed", "fine", "that s right", "that is right",
    "that s correct", "that is correct", "it s correct", "it is correct", "all good",
    "looks good", "perfect", "yes it is", "go", "do it",
}  # fmt: skip
_YES_FR = {
    "oui", "ouais", "ouai", "ouaip", "ouep", "ouip", "wi", "ui", "oiu", "ouii", "oyi", "uoi",
    "d accord", "accord", "daccord", "dac", "dacc", "dak", "bien sur", "volontiers", "exact",
    "exactement", "est ca", "est bon", "est correct", "est juste", "parfait",
    "vas y", "vasy", "allez y", "allez", "valider", "je valide", "je confirme", "confirmer",
    "confirme", "tout a fait", "certainement", "carrement", "evidemment", "bien entendu",
    "tout est correct", "tout est bon", "impec", "impeccable", "nickel", "ca marche",
    "pas de souci", "pas de probleme", "entendu", "affirmatif",
}  # fmt: skip
_YES_EITHER = {"ok", "okay", "okey", "oki", "okie", "k", "kk"}
_NO_EN = {
    "no", "nope", "nah", "nop", "noo", "n", "not really", "never", "no way", "not at all",
    "don t", "do not", "i don t", "definitely not", "certainly not", "negative", "no no",
    "i don t want to", "not now", "forget it", "never mind", "nevermind",
}  # fmt: skip
_NO_FR = {
    "non", "nan", "nn", "nom", "nnon", "nonn", "pas du tout", "jamais", "surtout pas",
    "absolument pas", "certainement pas", "pas vraiment", "que non", "ah non", "non non",
    "je ne veux pas", "je veux pas", "pas question", "hors de question", "pas maintenant",
    "laisse tomber", "laissez tomber",
}  # fmt: skip
_NO_EITHER = {"na", "niet"}
_YES = _YES_EN | _YES_FR | _YES_EITHER
_NO = _NO_EN | _NO_FR | _NO_EITHER
# Words that may follow a yes or a no without changing it ("yes please", « non merci »).
# Text is normalised first: elisions are gone ("c'est bon" reads "est bon").
_FILLER = {
    "please", "pls", "plz", "thanks", "thank", "you", "thx", "ty", "sure", "it", "that",
    "this", "is", "s", "go", "ahead", "on", "do", "erase", "delete", "everything", "all",
    "indeed", "then", "fine", "good", "correct", "right", "confirm", "i", "we", "let",
    "merci", "svp", "stp", "plait", "vous", "te", "bien", "sur", "oui", "d", "accord",
    "daccord", "effacer", "efface", "effacez", "supprimer", "supprime", "supprimez", "tout",
    "c", "est", "bon", "ok", "okay", "vas", "y", "allez", "alors", "je", "confirme",
    "valide", "parfait", "yes", "yeah", "oh", "ah", "eh", "euh", "hmm", "well", "bah", "ben",
    "beh", "ouais", "mais", "non", "no", "keep", "garder", "rien", "nothing", "don", "t",
    "want", "veux", "pas", "ne", "n", "to", "a", "ca", "for", "now", "moment", "pour", "le",
}  # fmt: skip
_REPEATS = re.compile(r"(\w)\1{2,}")  # "yesss", "nooon", "ouiii"


def _squeeze(said: str) -> str:
    return _REPEATS.sub(r"\1", said)


def yes_no(text: str) -> Answer | None:
    """YES or NO when `text` is only that (with politeness around it), else None."""
    words = tokens(_squeeze(normalise(text)))
    if not words or len(words) > 8:
        return None
    for size in range(min(len(words), 5), 0, -1):
        head = " ".join(words[:size])
        rest = words[size:]
        found = Answer.YES if head in _YES else Answer.NO if head in _NO else None
        if found is None:
            found = _squeezed_twice(head)
        if found is not None and all(w in _FILLER for w in rest):
            # « oui... enfin non »: a later no/yes word contradicts the first one.
            later = {w for w in rest if w in {"non", "no"}} if found is Answer.YES else set()
            return None if later else found
    return None


def yes_no_language(text: str) -> Language | None:
    """The language a yes or a no is said in ("nope": English, « ouais »: French), None
    for "ok" and anything that is not a yes or a no."""
    words = tokens(_squeeze(normalise(text)))
    for size in range(min(len(words), 5), 0, -1):
        head = " ".join(words[:size])
        if head in _YES_EN or head in _NO_EN:
            return Language.EN
        if head in _YES_FR or head in _NO_FR:
            return Language.FR
    return None


def _squeezed_twice(head: str) -> Answer | None:
    """'yees', 'noon', 'ouui': a doubled letter typed by accident."""
    single = re.sub(r"(\w)\1", r"\1", head)
    return Answer.YES if single in _YES else Answer.NO if single in _NO else None


# --- e-mail addresses -----------------------------------------------------------------------
_EMAIL_IN_TEXT = re.compile(  # after a space or punctuation: never the tail of a longer word
    r"(?<![^\s<>(\[:;,\"'])[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)


def find_email(text: str) -> str | None:
    """The one e-mail address inside `text` ("my email is ann@example.com."), else None
    (none, or two different ones: which one is meant is not guessed)."""
    found = {m.group(0).lstrip("'") for m in _EMAIL_IN_TEXT.finditer(text)}
    return found.pop() if len(found) == 1 else None


# --- corrections ----------------------------------------------------------------------------
class Target(StrEnum):
    """What a correction is about."""

    EMAIL = "email"
    JURISDICTION = "jurisdiction"


_WRONG = {
    "wrong", "mistake", "mistaken", "typo", "incorrect", "change", "changer", "modify",
    "modifier", "correct", "corriger", "fix", "edit", "different", "another", "other",
    "mauvais", "mauvaise", "erreur", "trompe", "tromper", "trompee", "faute", "autre",
    "oops", "oups", "wait", "attends", "attendez", "update", "new", "nouvelle", "nouveau",
    "pas", "not", "isn", "bad",
}  # fmt: skip
_EMAIL_WORDS = {"email", "mail", "e", "adresse", "address", "courriel", "adress", "emial"}
_PLACE_WORDS = {
    "country", "pays", "residence", "jurisdiction", "juridiction", "live", "habite",
    "reside", "region", "state", "etat", "province", "where",
}  # fmt: skip
_MISTAKE_ALONE = {
    ("made", "mistake"), ("made", "typo"), ("me", "suis", "trompe"), ("me", "suis", "trompee"),
    ("ai", "fait", "erreur"), ("ai", "fait", "faute"), ("wrong", "one"),
}  # fmt: skip


def correction(text: str) -> Target | None:
    """What the user says they got wrong ("wait, wrong email", « changer d'adresse », « je me
    suis trompé »), else None. A bare mistake is about the e-mail address, the last thing
    typed in a flow."""
    said = normalise(text).replace("e mail", "email")
    words = set(tokens(said))
    if len(words) > 14 or not words & _WRONG:
        return None
    if words & _PLACE_WORDS:
        return Target.JURISDICTION
    if words & _EMAIL_WORDS:
        return Target.EMAIL
    ordered = tokens(said)
    for phrase in _MISTAKE_ALONE:
        if _contains(ordered, phrase):
            return Target.EMAIL
    return None


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    """`phrase` appears in `words` in order (other words may sit between)."""
    it = iter(words)
    return all(p in it for p in phrase)


# --- language -------------------------------------------------------------------------------
_LANGUAGE_NAMES = {
    "english": Language.EN, "anglais": Language.EN, "inglish": Language.EN,
    "englsh": Language.EN, "engish": Language.EN, "anglai": Language.EN,
    "french": Language.FR, "francais": Language.FR, "francaise": Language.FR,
    "frensh": Language.FR, "franscais": Language.FR, "fancais": Language.FR,
    "francai": Language.FR,
}  # fmt: skip
_SWITCH_WORDS = {
    "in", "en", "please", "pls", "svp", "stp", "s", "il", "vous", "te", "plait", "speak",
    "talk", "write", "parle", "parlez", "parler", "ecris", "ecrivez", "can", "could", "you",
    "answer", "reply", "respond", "reponds", "repondez", "repondre", "switch", "change",
    "to", "passer", "passe", "passez", "on", "language", "langue", "the", "je", "prefere",
    "prefer", "i", "would", "like", "rather", "continue", "continuer", "continuons", "let",
    "us", "me", "do", "speaks", "pouvez", "peux", "tu", "est", "ce", "que", "yes", "oui",
    "ok", "merci", "thanks", "non", "no", "sorry", "pardon", "desole", "only",
    "seulement", "plutot", "instead", "now", "maintenant", "mode", "version", "dans", "a",
    "go", "read", "understand", "comprends", "don", "t", "ne", "pas", "lis",
}  # fmt: skip


def language_switch(text: str) -> Language | None:
    """The language asked for in words ("in English please", « en français svp »,
    "can you speak french?"), else None. Only a short message that is about the language:
    "is my data sent to English companies?" is a question, not a switch."""
    words = tokens(normalise(text))
    if not words or len(words) > 9:
        return None
    named = {_LANGUAGE_NAMES[w] for w in words if w in _LANGUAGE_NAMES}
    if len(named) != 1:
        return None
    if all(w in _LANGUAGE_NAMES or w in _SWITCH_WORDS for w in words):
        return named.pop()
    return None


# --- a new code ----------------------------------------------------------------------------
_NEW_CODE = (
    ("resend",), ("send", "again"), ("new", "code"), ("another", "code"), ("didn", "get"),
    ("didn", "receive"), ("not", "received"), ("no", "code"), ("never", "got"),
    ("renvoyer",), ("renvoie",), ("renvoyez",), ("nouveau", "code"), ("autre", "code"),
    ("pas", "recu"), ("rien", "recu"), ("aucun", "code"), ("jamais", "recu"),
)  # fmt: skip


def wants_new_code(text: str) -> bool:
    """ "resend the code", « je n'ai rien reçu », "didn't get it": ask for a new code."""
    words = tokens(normalise(text))
    return len(words) <= 12 and any(_contains(words, phrase) for phrase in _NEW_CODE)


# --- questions ------------------------------------------------------------------------------
_QUESTION_STARTS = {
    "what", "why", "how", "when", "who", "where", "which", "whose", "do", "does", "did",
    "can", "could", "is", "are", "will", "would", "should", "may", "have", "has",
    "quoi", "que", "qu", "pourquoi", "comment", "quand", "qui", "ou", "quel", "quelle",
    "quels", "quelles", "combien", "est", "puis", "pouvez", "peut", "peux", "avez",
    "vous", "faut", "dois", "doit", "c", "a",
}  # fmt: skip


def looks_like_question(text: str) -> bool:
    """A question put in the middle of a flow ("why do you need my email?", « c'est quoi
    la portabilité »): it ends with '?' or opens like one and has a few words."""
    words = tokens(normalise(text))
    if len(words) < 2:
        return False
    if text.rstrip().endswith("?"):
        return True
    return len(words) >= 3 and words[0] in _QUESTION_STARTS


# --- places ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Place:
    """What a reply to "where do you live?" names: one jurisdiction, or several (ambiguous),
    or none."""

    found: frozenset[Jurisdiction]

    @property
    def jurisdiction(self) -> Jurisdiction | None:
        return next(iter(self.found)) if len(self.found) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.found) > 1


EU, UK, CAL, QC, OTHER = (
    Jurisdiction.EU,
    Jurisdiction.UK,
    Jurisdiction.CALIFORNIA,
    Jurisdiction.QUEBEC,
    Jurisdiction.OTHER,
)
SWISS = Jurisdiction.SWITZERLAND

_EU_COUNTRIES = """
austria autriche osterreich | belgium belgique belgie | bulgaria bulgarie | croatia croatie
hrvatska | cyprus chypre | czechia czech republic tchequie republique tcheque tchequie
| denmark danemark | estonia estonie | finland finlande suomi | france | germany allemagne
deutschland | greece grece | hungary hongrie | ireland irlande eire | italy italie italia
| latvia lettonie | lithuania lituanie | luxembourg | malta malte | netherlands pays bas
holland hollande nederland | poland pologne polska | portugal | romania roumanie | slovakia
slovaquie | slovenia slovenie | spain espagne espana | sweden suede sverige | iceland
islande | liechtenstein | norway norvege norge | martinique | guadeloupe | reunion
| guyane | mayotte | corse | corsica | monaco | europe | european union union europeenne
| eea eee espace economique europeen | ue | eu | paris | lyon | marseille | toulouse | lille
| bordeaux | nantes | bruxelles | brussels | berlin | madrid | barcelona | barcelone | rome
| milan | amsterdam | dublin | lisbonne | lisbon | vienne | vienna | munich | francfort
| frankfurt | european | europeen | europeenne | francais | francaise | belge | allemand
| allemande | espagnol | espagnole | italien | italienne
"""
_UK = """
uk | united kingdom | royaume uni | great britain | grande bretagne | britain | england
| angleterre | scotland | ecosse | wales | pays de galles | northern ireland | irlande du nord
| gb | london | londres | manchester | edinburgh | edimbourg | u k | british | britannique
| anglais | anglaise
"""
_SWITZERLAND = """
switzerland | suisse | schweiz | svizzera | geneve | geneva | zurich | lausanne | berne | bern
| bale | basel | swiss
"""
_CALIFORNIA = """
california | californie | californian | californien | californienne | los angeles
| san francisco | san diego | san jose | sacramento | silicon valley | oakland
"""
_QUEBEC = """
quebec | qc | montreal | quebecois | quebecoise | gatineau | sherbrooke | laval
"""
_US_STATES = """
alabama | alaska | arizona | arkansas | colorado | connecticut | delaware | florida | floride
| georgia | hawaii | idaho | illinois | indiana | iowa | kansas | kentucky | louisiana
| louisiane | maine | maryland | massachusetts | michigan | minnesota | mississippi | missouri
| montana | nebraska | nevada | new hampshire | new jersey | new mexico | nouveau mexique
| new york | north carolina | caroline du nord | north dakota | dakota du nord | ohio
| oklahoma | oregon | pennsylvania | pennsylvanie | rhode island | south carolina
| caroline du sud | south dakota | dakota du sud | tennessee | texas | utah | vermont
| virginia | virginie | west virginia | virginie occidentale | washington | wisconsin
| wyoming | new york city | chicago | seattle | boston | miami | houston
"""
_CANADA = """
ontario | british columbia | colombie britannique | alberta | manitoba | saskatchewan
| nova scotia | nouvelle ecosse | new brunswick | nouveau brunswick | newfoundland
| terre neuve | labrador | prince edward island | ile du prince edouard | yukon | nunavut
| northwest territories | territoires du nord ouest | toronto | vancouver | ottawa | calgary
| edmonton | winnipeg
"""
_ELSEWHERE = """
japan | japon | china | chine | india | inde | brazil | bresil | australia | australie
| mexico | mexique | morocco | maroc | algeria | algerie | tunisia | tunisie | senegal
| russia | russie | turkey | turquie | israel | singapore | singapour | south africa
| afrique du sud | argentina | argentine | nigeria | egypt | egypte | korea | coree
| ukraine | serbia | serbie | none of these | aucun | nowhere
"""
# Either of two: the country without the state or province (the law differs by state).
_US = "usa | us | u s | u s a | united states | etats unis | america | amerique | the states"
_CA = "canada | canadian | canadien | canadienne"


def _names(block: str) -> list[str]:
    """Names separated by '|'; the EU block lists a country's names on one line."""
    return [n.strip() for n in block.replace("\n", " ").split("|") if n.strip()]


_MULTI_WORD_EU = {
    "czech republic", "republique tcheque", "pays bas", "european union", "union europeenne",
    "espace economique europeen",
}  # fmt: skip


def _split_eu(entry: str) -> list[str]:
    parts = entry
    out: list[str] = []
    for phrase in sorted(_MULTI_WORD_EU, key=len, reverse=True):
        if phrase in parts:
            out.append(phrase)
            parts = parts.replace(phrase, " ")
    return out + [w for w in parts.split(" ") if w]


_PLACES: dict[str, frozenset[Jurisdiction]] = {}
for _entry in _names(_EU_COUNTRIES):
    for _n in _split_eu(_entry):
        _PLACES[_n] = frozenset({EU})
for _block, _where in (
    (_UK, UK),
    (_SWITZERLAND, SWISS),
    (_CALIFORNIA, CAL),
    (_QUEBEC, QC),
    (_US_STATES, OTHER),
    (_CANADA, OTHER),
    (_ELSEWHERE, OTHER),
):
    for _n in _names(_block):
        _PLACES[_n] = frozenset({_where})
for _n in _names(_US):
    _PLACES[_n] = frozenset({CAL, OTHER})
for _n in _names(_CA):
    _PLACES[_n] = frozenset({QC, OTHER})
# Nationality words that are also language names count only when they are all the reply.
_ALONE_ONLY = {"francais", "francaise", "anglais", "anglaise", "us", "eu", "ue", "gb", "qc"}
# Two-letter codes, only when they are the whole reply: "DE" is also a French word.
_CODES: dict[str, frozenset[Jurisdiction]] = {
    **{c: frozenset({EU}) for c in (
        "at be bg hr cy cz dk ee fi fr de gr hu ie lv lt lu mt nl pl pt ro sk si es se li"
    ).split()},
    "ch": frozenset({SWISS}),
    "ca": frozenset({CAL, QC, OTHER}),  # California or Canada
    "cali": frozenset({CAL}),
    "ny": frozenset({OTHER}),
    "tx": frozenset({OTHER}),
    "on": frozenset({OTHER}),
    "bc": frozenset({OTHER}),
}  # fmt: skip
_LONGEST = max(len(n.split(" ")) for n in _PLACES)
_FUZZY = sorted(n for n in _PLACES if len(n) >= 5 and " " not in n)


def place(text: str) -> Place:
    """The jurisdiction(s) `text` names: countries, US states, Canadian provinces, a few
    cities, in French or English, with or without accents; a longer name wins over the
    shorter one inside it ("Northern Ireland" is not Ireland)."""
    words = tokens(_squeeze_spaces(normalise(text)))
    if not words:
        return Place(frozenset())
    alone = " ".join(words)
    if alone in _CODES:
        return Place(_CODES[alone])
    found: set[Jurisdiction] = set()
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST, len(words) - i), 0, -1):
            name = " ".join(words[i : i + size])
            if name in _PLACES and (name not in _ALONE_ONLY or _alone_ok(words, i, size)):
                found |= _PLACES[name]
                i += size
                break
        else:
            i += 1
    if not found and len(words) <= 3:
        for w in words:
            close = difflib.get_close_matches(w, _FUZZY, n=1, cutoff=0.8) if len(w) >= 5 else []
            if close:
                found |= _PLACES[close[0]]
    return Place(frozenset(found))


def _alone_ok(words: list[str], i: int, size: int) -> bool:
    """A short or ambiguous name counts when it is the reply, or follows "in/the/en/au"."""
    if len(words) == size:
        return True
    before = words[i - 1] if i else ""
    return before in {"in", "the", "en", "au", "aux", "l", "from", "de", "du", "dans"}


def _squeeze_spaces(said: str) -> str:
    """'U.K.' / 'u.s.a' normalise with dots kept inside words: make them spaces."""
    return said.replace(".", " ")
